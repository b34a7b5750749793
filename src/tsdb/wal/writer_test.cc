#include "tsdb/wal/writer.h"

#include <gtest/gtest.h>

#include <thread>

#include "tsdb/wal/frame.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::tsdb::wal {
namespace {

using wal_test::LogCapture;
using wal_test::ReadFile;
using wal_test::Replay;
using wal_test::TestRecord;
using wal_test::WriteFile;

std::unique_ptr<Writer> MustOpen(const std::filesystem::path& dir, WriterOptions options = {}) {
  auto w = Writer::Open(dir, options);
  EXPECT_TRUE(w.ok()) << w.status().message();
  return w.ok() ? std::move(*w) : nullptr;
}

TEST(WriterTest, LogsRecordsThatReadBackInOrder) {
  wal_test::ScratchDir tmp;
  auto w = MustOpen(tmp.path() / "wal");
  std::vector<std::string> want;
  for (int i = 0; i < 10; ++i) {
    std::string a = TestRecord(2 * i, 20 + i), b = TestRecord(2 * i + 1, 300);
    ASSERT_TRUE(w->Log({a, b}).ok());
    want.push_back(a);
    want.push_back(b);
  }
  EXPECT_TRUE(w->Log({}).ok());
  EXPECT_EQ(w->metrics().page_flushes.Value(), 10);
  // Readable while the writer is open: every Log call is in the kernel.
  EXPECT_EQ(Replay(tmp.path() / "wal").records, want);
  ASSERT_TRUE(w->Close().ok());
  auto got = Replay(tmp.path() / "wal");
  EXPECT_EQ(got.records, want);
  EXPECT_TRUE(got.corruptions.empty());
}

TEST(WriterTest, RejectsEmptyAndOversizedRecordsWritingNothing) {
  wal_test::ScratchDir tmp;
  auto w = MustOpen(tmp.path());
  std::string good = TestRecord(1);
  Status empty = w->Log({good, ""});
  EXPECT_EQ(empty.code(), Status::Code::kInvalidInput);
  // Never read: the size alone is refused.
  auto huge = std::make_unique_for_overwrite<char[]>(kMaxRecordSize + 1);
  EXPECT_EQ(w->Log({std::string_view(huge.get(), kMaxRecordSize + 1)}).code(),
            Status::Code::kInvalidInput);
  EXPECT_EQ(std::filesystem::file_size(SegmentPath(tmp.path(), 0)), 0u);
}

TEST(WriterTest, CutsSegmentsAtTheConfiguredSize) {
  wal_test::ScratchDir tmp;
  auto w = MustOpen(tmp.path(), {.segment_size = 1000});
  const size_t frame = kFrameHeaderSize + 100;
  std::vector<std::string> want;
  for (int i = 0; i < 20; ++i) {
    want.push_back(TestRecord(i, 100));
    ASSERT_TRUE(w->Log({want.back()}).ok());
  }
  // Eight frames of 112 bytes fit in 1000 bytes, the ninth starts a new segment.
  EXPECT_EQ(*ListSegments(tmp.path()), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(std::filesystem::file_size(SegmentPath(tmp.path(), 0)), 8 * frame);
  EXPECT_EQ(std::filesystem::file_size(SegmentPath(tmp.path(), 1)), 8 * frame);
  EXPECT_EQ(w->current_segment(), 2);
  EXPECT_EQ(w->metrics().segment_current.Value(), 2);
  // A cut syncs the finished segment.
  EXPECT_EQ(w->metrics().fsync_duration.Count(), 2u);

  // A call larger than a segment gets one of its own, never split.
  std::string big = TestRecord(99, 3000);
  want.push_back(big);
  ASSERT_TRUE(w->Log({big}).ok());
  EXPECT_EQ(w->current_segment(), 3);
  EXPECT_EQ(std::filesystem::file_size(SegmentPath(tmp.path(), 3)), kFrameHeaderSize + 3000);
  want.push_back(TestRecord(100));
  ASSERT_TRUE(w->Log({want.back()}).ok());
  EXPECT_EQ(w->current_segment(), 4);
  EXPECT_EQ(Replay(tmp.path()).records, want);
}

TEST(WriterTest, ReopeningContinuesInANewSegment) {
  wal_test::ScratchDir tmp;
  std::vector<std::string> want;
  for (int run = 0; run < 3; ++run) {
    auto w = MustOpen(tmp.path());
    EXPECT_EQ(w->current_segment(), run);
    want.push_back(TestRecord(run));
    ASSERT_TRUE(w->Log({want.back()}).ok());
  }
  EXPECT_EQ(*ListSegments(tmp.path()), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(Replay(tmp.path()).records, want);
}

TEST(WriterTest, OpenStartsAfterTheNewestCheckpointEvenWithoutSegments) {
  wal_test::ScratchDir tmp;
  std::filesystem::create_directories(tmp.path() / CheckpointName(41));
  auto w = MustOpen(tmp.path());
  EXPECT_EQ(w->current_segment(), 42);
  ASSERT_TRUE(w->Log({TestRecord(1)}).ok());
  EXPECT_EQ(Replay(tmp.path()).records, std::vector<std::string>{TestRecord(1)});
}

TEST(WriterTest, OpenCutsATornTailAndSaysSo) {
  wal_test::ScratchDir tmp;
  {
    auto w = MustOpen(tmp.path());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(w->Log({TestRecord(i, 50)}).ok());
  }
  auto segment = SegmentPath(tmp.path(), 0);
  std::string bytes = ReadFile(segment);
  const size_t frame = kFrameHeaderSize + 50;
  WriteFile(segment, bytes.substr(0, 2 * frame + 30));  // The third write was interrupted.

  LogCapture log;
  auto w = MustOpen(tmp.path());
  EXPECT_EQ(std::filesystem::file_size(segment), 2 * frame);
  EXPECT_EQ(w->metrics().corruptions.Value(), 1);
  EXPECT_NE(log.text().find("msg=\"Cut the torn tail of the last WAL segment\" segment=" +
                            segment.string() + " offset=124 bytes_lost=30"),
            std::string::npos)
      << log.text();
  ASSERT_TRUE(w->Log({TestRecord(3, 50)}).ok());
  auto got = Replay(tmp.path());
  EXPECT_EQ(got.records,
            (std::vector<std::string>{TestRecord(0, 50), TestRecord(1, 50), TestRecord(3, 50)}));
  EXPECT_TRUE(got.corruptions.empty());
}

TEST(WriterTest, OpenKeepsIntactRecordsAfterADamagedOne) {
  wal_test::ScratchDir tmp;
  {
    auto w = MustOpen(tmp.path());
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(w->Log({TestRecord(i, 50)}).ok());
  }
  auto segment = SegmentPath(tmp.path(), 0);
  std::string bytes = ReadFile(segment);
  const size_t frame = kFrameHeaderSize + 50;
  bytes[frame + kFrameHeaderSize + 10] ^= 0x40;  // Inside the second record.
  WriteFile(segment, bytes);
  auto w = MustOpen(tmp.path());
  EXPECT_EQ(std::filesystem::file_size(segment), 4 * frame);
  EXPECT_EQ(w->metrics().corruptions.Value(), 0);
  auto got = Replay(tmp.path());
  EXPECT_EQ(got.records,
            (std::vector<std::string>{TestRecord(0, 50), TestRecord(2, 50), TestRecord(3, 50)}));
  ASSERT_EQ(got.corruptions.size(), 1u);
  EXPECT_EQ(got.corruptions[0].offset, frame);
  EXPECT_EQ(got.corruptions[0].lost_bytes, frame);
  EXPECT_EQ(got.corruptions[0].what, "record checksum mismatch");
}

TEST(WriterTest, OpenCutsADamagedLastRecord) {
  wal_test::ScratchDir tmp;
  {
    auto w = MustOpen(tmp.path());
    for (int i = 0; i < 2; ++i) ASSERT_TRUE(w->Log({TestRecord(i, 50)}).ok());
  }
  auto segment = SegmentPath(tmp.path(), 0);
  std::string bytes = ReadFile(segment);
  bytes.back() ^= 1;
  WriteFile(segment, bytes);
  LogCapture log;
  auto w = MustOpen(tmp.path());
  EXPECT_EQ(std::filesystem::file_size(segment), kFrameHeaderSize + 50);
  EXPECT_NE(log.text().find("Cut the corrupt tail"), std::string::npos) << log.text();
  EXPECT_NE(log.text().find("reason=\"record checksum mismatch\""), std::string::npos);
  EXPECT_EQ(w->metrics().corruptions.Value(), 1);
}

TEST(WriterTest, TruncateDeletesCheckpointedSegmentsButNeverTheCurrentOne) {
  wal_test::ScratchDir tmp;
  auto w = MustOpen(tmp.path());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(w->Log({TestRecord(i)}).ok());
    auto next = w->NextSegment();
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(*next, i + 1);
  }
  ASSERT_TRUE(w->Truncate(1).ok());
  EXPECT_EQ(*ListSegments(tmp.path()), (std::vector<int>{2, 3, 4}));
  ASSERT_TRUE(w->Truncate(100).ok());
  EXPECT_EQ(*ListSegments(tmp.path()), (std::vector<int>{4}));
  EXPECT_EQ(w->metrics().truncations.Value(), 2);
  EXPECT_EQ(w->metrics().truncations_failed.Value(), 0);
  ASSERT_TRUE(w->Log({TestRecord(9)}).ok());
  EXPECT_EQ(Replay(tmp.path()).records, std::vector<std::string>{TestRecord(9)});
}

TEST(WriterTest, SyncCloseAndUseAfterClose) {
  wal_test::ScratchDir tmp;
  auto w = MustOpen(tmp.path());
  ASSERT_TRUE(w->Log({TestRecord(1)}).ok());
  ASSERT_TRUE(w->Sync().ok());
  EXPECT_EQ(w->metrics().fsync_duration.Count(), 1u);
  ASSERT_TRUE(w->Close().ok());
  ASSERT_TRUE(w->Close().ok());
  const double fsyncs_when_closed = w->metrics().fsync_duration.Count();
  EXPECT_FALSE(w->Log({TestRecord(2)}).ok());
  EXPECT_FALSE(w->Sync().ok());
  EXPECT_FALSE(w->NextSegment().ok());
  EXPECT_EQ(w->metrics().fsync_duration.Count(),
            fsyncs_when_closed);  // A closed file is not synced.
}

TEST(WriterTest, ConcurrentLogCallsStayWhole) {
  wal_test::ScratchDir tmp;
  auto w = MustOpen(tmp.path(), {.segment_size = 64 << 10});
  constexpr int kThreads = 4, kCalls = 300;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        std::string a = TestRecord(t * 100000 + 2 * i, 40),
                    b = TestRecord(t * 100000 + 2 * i + 1, 90);
        EXPECT_TRUE(w->Log({a, b}).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  auto got = Replay(tmp.path());
  ASSERT_EQ(got.records.size(), size_t{2 * kThreads * kCalls});
  std::vector<int> next(kThreads, 0);
  for (size_t i = 0; i < got.records.size(); i += 2) {
    // Each call's two records are adjacent, and each thread's calls in its order.
    int n = std::stoi(got.records[i].substr(8));
    int t = n / 100000;
    EXPECT_EQ(got.records[i], TestRecord(n, 40));
    EXPECT_EQ(got.records[i + 1], TestRecord(n + 1, 90));
    EXPECT_EQ(n % 100000, 2 * next[t]++);
  }
  EXPECT_GT(w->current_segment(), 0);
}

TEST(WriterTest, MetricsAreRegisteredUnderPrometheusNames) {
  wal_test::ScratchDir tmp;
  MetricsRegistry registry;
  Metrics metrics(&registry, tmp.path());
  auto w = MustOpen(tmp.path(), {.metrics = &metrics});
  ASSERT_TRUE(w->Log({TestRecord(1)}).ok());
  std::string text;
  registry.Render(&text);
  for (const char* line :
       {"prometheus_tsdb_wal_page_flushes_total 1\n", "prometheus_tsdb_wal_segment_current 0\n",
        "prometheus_tsdb_wal_storage_size_bytes 32\n",
        "prometheus_tsdb_wal_fsync_duration_seconds_count 0\n",
        "prometheus_tsdb_wal_writes_failed_total 0\n", "prometheus_tsdb_wal_corruptions_total 0\n",
        "prometheus_tsdb_wal_truncations_total 0\n",
        "prometheus_tsdb_wal_truncations_failed_total 0\n",
        "prometheus_tsdb_checkpoint_creations_total 0\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
}

}  // namespace
}  // namespace argus::tsdb::wal
