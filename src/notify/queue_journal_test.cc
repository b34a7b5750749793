#include "notify/queue_journal.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "notify/delivery_test_util.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::notify {
namespace {

using tsdb::wal::wal_test::LogCapture;
using tsdb::wal::wal_test::ReadFile;
using tsdb::wal::wal_test::ScratchDir;
using tsdb::wal::wal_test::WriteFile;

constexpr int64_t kNow = 1'700'000'000'000;

std::unique_ptr<QueueJournal> OpenJournal(const std::filesystem::path& dir,
                                          JournalOptions options = {}, int64_t now = kNow) {
  auto journal = QueueJournal::Open(dir, options, now);
  EXPECT_TRUE(journal.ok()) << journal.status().message();
  return journal.ok() ? std::move(*journal) : nullptr;
}

std::vector<std::string> PendingBodies(const QueueJournal& journal) {
  std::vector<std::string> bodies;
  for (const auto& [id, message] : journal.pending()) bodies.push_back(message.body);
  return bodies;
}

std::filesystem::path LastSegment(const std::filesystem::path& dir) {
  auto segments = tsdb::wal::ListSegments(dir);
  EXPECT_TRUE(segments.ok() && !segments->empty());
  return tsdb::wal::SegmentPath(dir, segments->back());
}

TEST(QueueJournalTest, PendingMessagesAndTheDeliveryLogSurviveAReopen) {
  ScratchDir tmp;
  {
    auto journal = OpenJournal(tmp.path());
    for (int i = 1; i <= 3; ++i) {
      auto id = journal->Add(notify_test::MakeMessage("r", "g", i, i));
      ASSERT_TRUE(id.ok());
      EXPECT_EQ(*id, static_cast<uint64_t>(i));
    }
    ASSERT_TRUE(journal->Finish(1, DoneReason::kDelivered, kNow + 5).ok());
    ASSERT_TRUE(journal->Finish(2, DoneReason::kFailed, kNow + 6).ok());
    EXPECT_EQ(journal->Finish(2, DoneReason::kFailed, kNow + 6).code(), Status::Code::kNotFound);
  }
  auto journal = OpenJournal(tmp.path());
  EXPECT_EQ(PendingBodies(*journal), std::vector<std::string>{"body 3"});
  const DeliveryEntry* entry = journal->LastDelivery({"r", "slack", 0, "g"});
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(*entry, (DeliveryEntry{1, kNow + 5}));
  EXPECT_EQ(journal->LastDelivery({"r", "slack", 1, "g"}), nullptr);
  // Ids go on after the ones used before.
  auto id = journal->Add(notify_test::MakeMessage("r", "g", 4, 4));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 4u);
}

TEST(QueueJournalTest, ATornTailLosesOnlyTheWriteItCut) {
  ScratchDir tmp;
  {
    auto journal = OpenJournal(tmp.path());
    for (int i = 1; i <= 3; ++i)
      ASSERT_TRUE(journal->Add(notify_test::MakeMessage("r", "g", i, i)).ok());
  }
  // A crash in the middle of the third message's write.
  std::filesystem::path segment = LastSegment(tmp.path());
  std::string bytes = ReadFile(segment);
  WriteFile(segment, bytes.substr(0, bytes.size() - 7));
  LogCapture log;
  auto journal = OpenJournal(tmp.path());
  EXPECT_EQ(PendingBodies(*journal), (std::vector<std::string>{"body 1", "body 2"}));
  EXPECT_NE(log.text().find("torn"), std::string::npos) << log.text();
}

TEST(QueueJournalTest, CompactionKeepsTheFilesBounded) {
  ScratchDir tmp;
  auto journal = OpenJournal(tmp.path(), {.compact_after_bytes = 4096});
  for (int i = 1; i <= 2000; ++i) {
    auto id = journal->Add(notify_test::MakeMessage("r", "g" + std::to_string(i % 10), i, i));
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(journal->Finish(*id, DoneReason::kDelivered, kNow + i).ok());
    ASSERT_LE(tsdb::wal::SizeBytes(tmp.path()), 3 * 4096u) << "after message " << i;
  }
  auto segments = tsdb::wal::ListSegments(tmp.path());
  ASSERT_TRUE(segments.ok());
  EXPECT_EQ(segments->size(), 1u);
  // The delivery log of every group survives the compactions and a reopen.
  journal.reset();
  journal = OpenJournal(tmp.path());
  for (int g = 0; g < 10; ++g) {
    const DeliveryEntry* entry = journal->LastDelivery({"r", "slack", 0, "g" + std::to_string(g)});
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->group_state_hash, static_cast<uint64_t>(1990 + (g == 0 ? 10 : g)));
  }
}

TEST(QueueJournalTest, OldDeliveryLogEntriesExpire) {
  ScratchDir tmp;
  {
    auto journal = OpenJournal(tmp.path());
    ASSERT_TRUE(journal->Add(notify_test::MakeMessage("r", "old", 1, 1)).ok());
    ASSERT_TRUE(journal->Finish(1, DoneReason::kDelivered, kNow).ok());
    ASSERT_TRUE(journal->Add(notify_test::MakeMessage("r", "new", 2, 2)).ok());
    ASSERT_TRUE(journal->Finish(2, DoneReason::kDelivered, kNow + 3'600'000).ok());
  }
  auto journal = OpenJournal(tmp.path(), {.delivery_log_retention = std::chrono::hours(1)},
                             kNow + 3'600'000 + 1);
  EXPECT_EQ(journal->LastDelivery({"r", "slack", 0, "old"}), nullptr);
  EXPECT_NE(journal->LastDelivery({"r", "slack", 0, "new"}), nullptr);
}

TEST(QueueJournalTest, ACompactionCutShortReplaysToTheSameState) {
  ScratchDir tmp;
  std::filesystem::path before = tmp.path() / "before";
  std::filesystem::path dir = tmp.path() / "queue";
  {
    auto journal = OpenJournal(dir);
    for (int i = 1; i <= 4; ++i)
      ASSERT_TRUE(journal->Add(notify_test::MakeMessage("r", "g", i, i)).ok());
    ASSERT_TRUE(journal->Finish(1, DoneReason::kDelivered, kNow).ok());
  }
  std::filesystem::copy(dir, before);
  // The reopen compacts: a new segment with the live state, the old ones deleted. A crash before
  // the deletion leaves both.
  OpenJournal(dir).reset();
  for (const auto& entry : std::filesystem::directory_iterator(before)) {
    std::filesystem::copy(entry.path(), dir / entry.path().filename(),
                          std::filesystem::copy_options::skip_existing);
  }
  auto journal = OpenJournal(dir);
  EXPECT_EQ(PendingBodies(*journal), (std::vector<std::string>{"body 2", "body 3", "body 4"}));
  EXPECT_NE(journal->LastDelivery({"r", "slack", 0, "g"}), nullptr);
}

TEST(QueueJournalTest, AQueueOfALaterFormatIsNotOpened) {
  ScratchDir tmp;
  OpenJournal(tmp.path()).reset();
  // A header record of version 2, framed as the WAL frames records.
  std::string later;
  {
    auto writer = tsdb::wal::Writer::Open(tmp.path());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Log({std::string_view("\x01\x02", 2)}).ok());
  }
  auto journal = QueueJournal::Open(tmp.path(), {}, kNow);
  ASSERT_FALSE(journal.ok());
  EXPECT_EQ(journal.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(journal.status().message().find("format version 2"), std::string::npos)
      << journal.status().message();
}

TEST(QueueJournalTest, RecordsOfUnknownTypesAreSkipped) {
  ScratchDir tmp;
  {
    auto journal = OpenJournal(tmp.path());
    ASSERT_TRUE(journal->Add(notify_test::MakeMessage("r", "g", 1, 1)).ok());
  }
  {
    auto writer = tsdb::wal::Writer::Open(tmp.path());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Log({std::string_view("\x09later", 6)}).ok());
  }
  auto journal = OpenJournal(tmp.path());
  EXPECT_EQ(PendingBodies(*journal), std::vector<std::string>{"body 1"});
}

}  // namespace
}  // namespace argus::notify
