// Head snapshots: a restart loads the snapshot's chunks and replays only the WAL written after
// it, loses nothing, and falls back to what it can read when a snapshot is damaged.

#include <gtest/gtest.h>

#include <set>

#include "tsdb/db.h"
#include "tsdb/test_util.h"
#include "tsdb/wal/checkpoint.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::tsdb {
namespace {

using testing::ReadSeries;
using testing::Samples;
using testing::Series;

constexpr int64_t kSecond = 1000;
constexpr int kSeries = 30;

double ValueOf(int64_t t, int s) { return static_cast<double>(t / kSecond) * 0.25 + s; }

class DbSnapshotTest : public ::testing::Test {
 protected:
  DbSnapshotTest() : dir_(::testing::TempDir() + "/db_snapshot_test_" + std::to_string(getpid())) {
    std::filesystem::remove_all(dir_);
    options_.background_compaction = false;
  }
  ~DbSnapshotTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Db> Open() {
    auto db = Db::Open(dir_, options_);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // A sample every 10 s for every series from `from` to `to`.
  void Fill(Db& db, int64_t from, int64_t to) {
    for (int64_t t = from; t <= to; t += 10 * kSecond) {
      auto app = db.NewAppender();
      for (int s = 0; s < kSeries; ++s) {
        ASSERT_TRUE(app->Append(0, Series("s" + std::to_string(s)), t, ValueOf(t, s)).ok());
      }
      ASSERT_TRUE(app->Commit().ok());
    }
  }

  // Every series holds exactly the samples from `from` to `to`, or nothing for those in `lost`.
  void ExpectHolds(Db& db, int64_t from, int64_t to, const std::set<int>& lost = {}) {
    for (int s = 0; s < kSeries; ++s) {
      Samples want;
      if (!lost.contains(s)) {
        for (int64_t t = from; t <= to; t += 10 * kSecond) want.emplace_back(t, ValueOf(t, s));
      }
      ASSERT_EQ(ReadSeries(db, "s" + std::to_string(s)), want) << "series " << s;
    }
  }

  std::filesystem::path wal() const { return dir_ / "wal"; }

  std::filesystem::path dir_;
  DbOptions options_;
};

TEST_F(DbSnapshotTest, ARestartLoadsTheSnapshotAndTheWalWrittenSince) {
  constexpr int64_t kEnd = 1200 * 10 * kSecond;  // 1,200 samples a series: sealed chunks too.
  {
    auto db = Open();
    Fill(*db, 0, kEnd / 2);
    ASSERT_TRUE(db->Snapshot().ok());
    Fill(*db, kEnd / 2 + 10 * kSecond, kEnd);
    // Cut at 480 samples and at the 2 h block boundary: 480, 240, 480 and 1.
    EXPECT_EQ(db->head().NumChunks(), static_cast<size_t>(kSeries * 4));
  }
  // The snapshot replaced every segment before it; the segments since are still there.
  auto checkpoints = wal::ListCheckpoints(wal());
  ASSERT_EQ(checkpoints->size(), 1u);
  auto segments = wal::ListSegments(wal());
  ASSERT_FALSE(segments->empty());
  EXPECT_GT(segments->front(), (*checkpoints)[0].last_segment);
  {
    wal::wal_test::LogCapture log;
    auto db = Open();
    ExpectHolds(*db, 0, kEnd);
    EXPECT_NE(log.text().find("series_restored_from_snapshot=30"), std::string::npos) << log.text();
    // Appending goes on from the restored chunks, and a second snapshot replaces the first.
    Fill(*db, kEnd + 10 * kSecond, kEnd + 600 * kSecond);
    ASSERT_TRUE(db->Snapshot().ok());
  }
  auto db = Open();
  ExpectHolds(*db, 0, kEnd + 600 * kSecond);
  EXPECT_EQ(wal::ListCheckpoints(wal())->size(), 1u);
}

TEST_F(DbSnapshotTest, NothingIsWrittenWhenNothingChanged) {
  auto db = Open();
  Fill(*db, 0, 100 * kSecond);
  ASSERT_TRUE(db->Snapshot().ok());
  auto first = wal::ListCheckpoints(wal());
  ASSERT_TRUE(db->Snapshot().ok());
  auto second = wal::ListCheckpoints(wal());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*first)[0].path, (*second)[0].path);
}

TEST_F(DbSnapshotTest, CompactionSnapshotsOnceTheWalSinceReachesAQuarterOfTheLast) {
  auto db = Open();
  Fill(*db, 0, 1000 * kSecond);
  ASSERT_TRUE(db->Compact().ok());  // The first round always snapshots.
  auto first = wal::ListCheckpoints(wal());
  ASSERT_EQ(first->size(), 1u);
  const uint64_t snapshot = wal::SizeBytes(wal());
  // A little more WAL: the round leaves the snapshot as it is.
  Fill(*db, 1010 * kSecond, 1010 * kSecond);
  ASSERT_LT(wal::SizeBytes(wal()), snapshot + snapshot / 4);
  ASSERT_TRUE(db->Compact().ok());
  EXPECT_EQ((*wal::ListCheckpoints(wal()))[0].path, (*first)[0].path);
  // Past a quarter of it, the next round writes a new one.
  int64_t t = 1020 * kSecond;
  while (wal::SizeBytes(wal()) < snapshot + snapshot / 4) {
    Fill(*db, t, t);
    t += 10 * kSecond;
  }
  ASSERT_TRUE(db->Compact().ok());
  auto second = wal::ListCheckpoints(wal());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_NE((*second)[0].path, (*first)[0].path);
  ExpectHolds(*db, 0, t - 10 * kSecond);
}

TEST_F(DbSnapshotTest, AnUnfinishedSnapshotLeavesThePreviousOneInUse) {
  {
    auto db = Open();
    Fill(*db, 0, 1000 * kSecond);
    ASSERT_TRUE(db->Snapshot().ok());
    Fill(*db, 1010 * kSecond, 2000 * kSecond);
  }
  // What a crash halfway through the next snapshot leaves: its .tmp with part of its records.
  auto segments = wal::ListSegments(wal());
  auto tmp = wal() / wal::TemporaryCheckpointName(segments->back());
  std::filesystem::create_directories(tmp);
  wal::wal_test::WriteFile(wal::SegmentPath(tmp, 0), "half a frame");
  auto db = Open();
  ExpectHolds(*db, 0, 2000 * kSecond);
  Fill(*db, 2010 * kSecond, 2100 * kSecond);
  ASSERT_TRUE(db->Snapshot().ok());
  EXPECT_FALSE(std::filesystem::exists(tmp));  // Deleted with the checkpoints it would replace.
}

// Flips a byte inside the chunks record of the newest checkpoint's first batch.
void DamageChunks(const std::filesystem::path& wal) {
  auto checkpoint = wal::ListCheckpoints(wal)->back().path;
  auto segment = wal::SegmentPath(checkpoint, 0);
  std::string bytes = wal::wal_test::ReadFile(segment);
  wal::Reader reader({segment});
  while (reader.Next()) {
    if (wal::TypeOf(reader.record()) != wal::RecordType::kChunks) continue;
    size_t at = reader.offset() + 12 + reader.record().size() / 2;  // Past the frame header.
    bytes[at] = static_cast<char>(bytes[at] ^ 0x10);
    break;
  }
  wal::wal_test::WriteFile(segment, bytes);
}

TEST_F(DbSnapshotTest, ADamagedSnapshotIsReportedAndTheRestServed) {
  {
    auto db = Open();
    Fill(*db, 0, 1000 * kSecond);
    ASSERT_TRUE(db->Snapshot().ok());
    Fill(*db, 1010 * kSecond, 2000 * kSecond);
  }
  DamageChunks(wal());
  wal::wal_test::LogCapture log;
  auto db = Open();
  // The frame's checksum catches the damage: the chunks of that batch (every series here) are
  // lost up to the snapshot, the samples logged after it are not.
  EXPECT_NE(log.text().find("record checksum mismatch"), std::string::npos) << log.text();
  for (int s = 0; s < kSeries; ++s) {
    Samples got = ReadSeries(*db, "s" + std::to_string(s));
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.front().first, 1010 * kSecond) << s;
    EXPECT_EQ(got.back().first, 2000 * kSecond) << s;
  }
}

TEST_F(DbSnapshotTest, ChunksThatFailTheirChecksAreLeftOutSeriesBySeries) {
  {
    auto db = Open();
    Fill(*db, 0, 1000 * kSecond);
  }
  // A checkpoint whose frames are intact but whose second series' open chunk is not a snapshot
  // (as a writer's mistake would leave it): the other series are restored.
  auto segments = wal::ListSegments(wal());
  const int last = segments->back();
  {
    auto db = Open();  // Replays the segments, to take the chunks from.
    std::string series, chunks;
    wal::SeriesEncoder series_out(&series);
    wal::ChunksEncoder chunks_out(&chunks);
    for (int s = 0; s < 3; ++s) {
      model::Labels labels = Series("s" + std::to_string(s));
      series_out.Add(s + 1, labels);
      SeriesChunks got;
      ASSERT_TRUE(db->head().Chunks(s + 1, INT64_MIN, INT64_MAX, &got));
      std::string open;
      got.open.AppendSnapshot(&open);
      if (s == 1) open[0] = 2;  // A version no reader knows.
      chunks_out.Add(s + 1, {}, open);
    }
    db.reset();
    auto written = wal::ListSegments(wal());
    for (int index : *written) std::filesystem::remove(wal::SegmentPath(wal(), index));
    auto out = wal::CheckpointWriter::Create(wal(), last + 10);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Log({series, chunks}).ok());
    ASSERT_TRUE((*out)->Finish().ok());
  }
  wal::wal_test::LogCapture log;
  auto db = Open();
  EXPECT_NE(log.text().find("series=1 first_err=\"series 2: open chunk"), std::string::npos)
      << log.text();
  Samples want;
  for (int64_t t = 0; t <= 1000 * kSecond; t += 10 * kSecond) want.emplace_back(t, ValueOf(t, 0));
  EXPECT_EQ(ReadSeries(*db, "s0"), want);
  EXPECT_TRUE(ReadSeries(*db, "s1").empty());
  EXPECT_EQ(ReadSeries(*db, "s2").size(), want.size());
}

TEST_F(DbSnapshotTest, ACheckpointOfSamplesFromAnEarlierVersionStillReplays) {
  std::filesystem::create_directories(wal());
  std::string series, samples;
  wal::SeriesEncoder(&series).Add(1, Series("s0"));
  wal::SamplesEncoder(&samples).Add(1, 0, ValueOf(0, 0));
  {
    auto out = wal::CheckpointWriter::Create(wal(), 3);
    ASSERT_TRUE(out.ok());
    ASSERT_TRUE((*out)->Log({series, samples}).ok());
    ASSERT_TRUE((*out)->Finish().ok());
  }
  auto db = Open();
  EXPECT_EQ(ReadSeries(*db, "s0"), (Samples{{0, ValueOf(0, 0)}}));
}

}  // namespace
}  // namespace argus::tsdb
