#include "tsdb/db.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tsdb/test_util.h"
#include "tsdb/wal/segments.h"

namespace argus::tsdb {
namespace {

using testing::ReadSeries;
using testing::Samples;
using testing::Series;

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;

class DbTest : public testing::DbDirTest {
 protected:
  DbTest() : DbDirTest("db_test") {}

  // One sample a minute for each of `series` series named s0, s1, ... from `from` to `to`.
  Samples Fill(Db& db, int series, int64_t from, int64_t to) {
    Samples want;
    for (int64_t t = from; t <= to; t += kMinute) {
      auto app = db.NewAppender();
      for (int s = 0; s < series; ++s) {
        EXPECT_TRUE(app->Append(0, Series("s" + std::to_string(s)), t, t / kMinute).ok());
      }
      EXPECT_TRUE(app->Commit().ok());
      want.emplace_back(t, t / kMinute);
    }
    return want;
  }
};

TEST_F(DbTest, CommittedSamplesComeBackAfterARestart) {
  Samples want;
  {
    auto db = Open();
    want = Fill(*db, 3, 0, 30 * kMinute);
  }
  auto db = Open();
  EXPECT_EQ(ReadSeries(*db, "s0"), want);
  EXPECT_EQ(ReadSeries(*db, "s2"), want);
  EXPECT_EQ(db->head().NumSeries(), 3u);
  // New series continue after the replayed ones, and the refs the head hands out still work.
  auto app = db->NewAppender();
  auto ref = app->Append(0, Series("s0"), 31 * kMinute, 31);
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(app->Append(*ref, {}, 32 * kMinute, 32).ok());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadSeries(*db, "s0").size(), want.size() + 2);
}

TEST_F(DbTest, ASecondProcessCannotOpenTheDirectory) {
  auto db = Open();
  auto second = Db::Open(dir_, options_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kIOError);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos);
}

TEST_F(DbTest, CompactionCutsTheHeadIntoBlocksAndTruncatesTheWal) {
  Samples want;
  {
    auto db = Open();
    want = Fill(*db, 2, 0, 6 * kHour);
    ASSERT_TRUE(db->Compact().ok());
    // The head spanned 6h: [0,2h) and [2h,4h) are blocks; then it spans 2h, and stays.
    ASSERT_EQ(db->Blocks().size(), 2u);
    EXPECT_EQ(db->Blocks()[0]->meta().min_time, 0);
    EXPECT_EQ(db->Blocks()[0]->meta().max_time, 2 * kHour);
    EXPECT_EQ(db->Blocks()[0]->meta().num_samples, 2u * 120);
    EXPECT_EQ(db->head().MinTime(), 4 * kHour);
    EXPECT_EQ(ReadSeries(*db, "s1"), want);
    auto checkpoints = wal::ListCheckpoints(dir_ / "wal");
    ASSERT_TRUE(checkpoints.ok());
    EXPECT_EQ(checkpoints->size(), 1u);
  }
  auto db = Open();  // Blocks, checkpoint and the newest segment.
  EXPECT_EQ(ReadSeries(*db, "s1"), want);
  EXPECT_EQ(db->head().MinTime(), 4 * kHour);
  // Samples a block holds already are refused.
  auto app = db->NewAppender();
  EXPECT_EQ(app->Append(0, Series("s0"), 3 * kHour, 1).status().code(), Status::Code::kOutOfBounds);
}

TEST_F(DbTest, BlocksAreMergedIntoLargerRanges) {
  auto db = Open();
  Samples want = Fill(*db, 2, 0, 13 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  // Five 2h blocks of [0,10h) cut from the head: [0,6h) is merged; [6h,18h) is not complete.
  auto blocks = db->Blocks();
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0]->meta().min_time, 0);
  EXPECT_EQ(blocks[0]->meta().max_time, 6 * kHour);
  EXPECT_EQ(blocks[0]->meta().compaction_level, 2);
  EXPECT_EQ(blocks[0]->meta().compaction_sources.size(), 3u);
  EXPECT_EQ(blocks[0]->meta().num_samples, 2u * 360);
  EXPECT_EQ(ReadSeries(*db, "s0"), want);
}

TEST_F(DbTest, RetentionByTimeDeletesOldBlocks) {
  options_.retention_ms = 6 * kHour;
  auto db = Open();
  Fill(*db, 1, 0, 13 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  // Blocks end at 10h: those ending at or before 4h are past retention.
  for (const auto& b : db->Blocks()) EXPECT_GT(b->meta().max_time, 4 * kHour);
  EXPECT_EQ(ReadSeries(*db, "s0").front().first, 4 * kHour);
}

TEST_F(DbTest, RetentionBySizeCountsTheWal) {
  options_.retention_bytes = 1;  // Less than the WAL alone: every block goes.
  auto db = Open();
  Fill(*db, 1, 0, 7 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  EXPECT_TRUE(db->Blocks().empty());
  EXPECT_EQ(ReadSeries(*db, "s0").front().first, 4 * kHour);
}

TEST_F(DbTest, ACorruptBlockIsQuarantinedAndTheRestServed) {
  {
    auto db = Open();
    Fill(*db, 1, 0, 7 * kHour);
    ASSERT_TRUE(db->Compact().ok());
    ASSERT_EQ(db->Blocks().size(), 2u);
  }
  std::vector<std::filesystem::path> blocks;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    if (e.path().filename().string().size() == 26) blocks.push_back(e.path());
  }
  std::sort(blocks.begin(), blocks.end());
  std::filesystem::path bad = blocks.front();  // ULIDs sort by time: the block of [0,2h).
  {                                            // Flip a byte in the middle of its index.
    std::fstream index(bad / "index", std::ios::in | std::ios::out | std::ios::binary);
    index.seekg(0, std::ios::end);
    auto size = static_cast<std::streamoff>(index.tellg());
    index.seekp(size / 2);
    char c;
    index.seekg(size / 2);
    index.get(c);
    index.seekp(size / 2);
    index.put(static_cast<char>(c ^ 0x40));
  }
  auto db = Open();
  ASSERT_EQ(db->Blocks().size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "quarantine" / bad.filename()));
  EXPECT_EQ(ReadSeries(*db, "s0").front().first, 2 * kHour);
}

}  // namespace
}  // namespace argus::tsdb
