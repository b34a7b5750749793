#include "tsdb/wal/checkpoint.h"

#include <gtest/gtest.h>

#include <map>

#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

using wal_test::ReadAll;
using wal_test::Replay;

// What a list of records holds, decoded: the series in order with their labels as text, and the
// samples in order.
struct Contents {
  std::vector<std::pair<uint64_t, std::string>> series;
  std::vector<RefSample> samples;
  // Each series' record comes before its samples' records.
  bool series_first = true;
};

Contents Decode(const std::vector<std::string>& records) {
  Contents c;
  std::map<uint64_t, bool> known;
  DecodedSeries series;
  std::vector<RefSample> samples;
  for (const std::string& r : records) {
    if (TypeOf(r) == RecordType::kSeries) {
      EXPECT_TRUE(DecodeSeries(r, &series).ok());
      for (const auto& s : series.series()) {
        std::string text;
        for (const auto& l : s.labels)
          text += std::string(l.name) + "=" + std::string(l.value) + ",";
        c.series.emplace_back(s.ref, text);
        known[s.ref] = true;
      }
    } else if (TypeOf(r) == RecordType::kSamples) {
      EXPECT_TRUE(DecodeSamples(r, &samples).ok());
      for (const RefSample& s : samples) {
        c.samples.push_back(s);
        if (!known[s.ref]) c.series_first = false;
      }
    }
  }
  return c;
}

std::string SeriesRecord(std::initializer_list<uint64_t> refs) {
  std::string r;
  SeriesEncoder enc(&r);
  for (uint64_t ref : refs)
    enc.Add(ref, model::Labels{{"__name__", "m"}, {"id", std::to_string(ref)}});
  return r;
}

std::string SamplesRecord(std::initializer_list<RefSample> samples) {
  std::string r;
  SamplesEncoder enc(&r);
  for (const RefSample& s : samples) enc.Add(s);
  return r;
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto w = Writer::Open(tmp_.path(), {.metrics = &metrics_});
    ASSERT_TRUE(w.ok());
    w_ = std::move(*w);
  }

  void Log(std::initializer_list<std::string_view> records) { ASSERT_TRUE(w_->Log(records).ok()); }
  void Next() { ASSERT_TRUE(w_->NextSegment().ok()); }

  wal_test::ScratchDir tmp_;
  Metrics metrics_{nullptr, tmp_.path()};
  std::unique_ptr<Writer> w_;
};

TEST_F(CheckpointTest, KeepsTheSeriesAskedForAndTheirSamplesFromMint) {
  std::string s1 = SeriesRecord({1, 2, 3}),
              m1 = SamplesRecord({{1, 100, 1}, {2, 100, 2}, {3, 100, 3}});
  Log({s1, m1});
  Next();
  std::string m2 = SamplesRecord({{1, 200, 1.5}, {2, 200, 2.5}, {3, 200, 3.5}});
  std::string s2 = SeriesRecord({4}), m3 = SamplesRecord({{4, 250, 4}});
  Log({m2});
  Log({s2, m3, "\x09unknown"});
  Next();
  Log({SamplesRecord({{1, 300, 9}})});  // Segment 2: not in the checkpoint.

  auto keep = [](uint64_t ref) { return ref != 2; };
  auto stats = Checkpoint(tmp_.path(), 0, 1, keep, 200, &metrics_);
  ASSERT_TRUE(stats.ok()) << stats.status().message();
  EXPECT_EQ(stats->path, tmp_.path() / "checkpoint.00000001");
  EXPECT_EQ(stats->series_kept, 3u);
  EXPECT_EQ(stats->series_dropped, 1u);
  EXPECT_EQ(stats->samples_kept, 3u);     // 1@200, 3@200, 4@250.
  EXPECT_EQ(stats->samples_dropped, 4u);  // Everything at 100, and series 2.
  EXPECT_EQ(stats->records_dropped, 1u);
  EXPECT_TRUE(stats->corruptions.empty());
  EXPECT_EQ(metrics_.checkpoint_creations.Value(), 1);
  EXPECT_EQ(metrics_.checkpoint_creations_failed.Value(), 0);

  auto segments = ListSegments(stats->path);
  ASSERT_TRUE(segments.ok());
  std::vector<std::filesystem::path> files;
  for (int s : *segments) files.push_back(SegmentPath(stats->path, s));
  Contents c = Decode(ReadAll(Reader(files)).records);
  EXPECT_EQ(c.series,
            (std::vector<std::pair<uint64_t, std::string>>{
                {1, "__name__=m,id=1,"}, {3, "__name__=m,id=3,"}, {4, "__name__=m,id=4,"}}));
  EXPECT_EQ(c.samples, (std::vector<RefSample>{{1, 200, 1.5}, {3, 200, 3.5}, {4, 250, 4}}));
  EXPECT_TRUE(c.series_first);

  // A restart now reads the checkpoint and every segment: 0 and 1 are in both until truncated.
  ASSERT_TRUE(w_->Truncate(1).ok());
  ASSERT_TRUE(DeleteCheckpoints(tmp_.path(), 1, &metrics_).ok());
  auto got = Replay(tmp_.path());
  EXPECT_TRUE(got.corruptions.empty());
  Contents replayed = Decode(got.records);
  EXPECT_EQ(replayed.series, c.series);
  EXPECT_EQ(replayed.samples,
            (std::vector<RefSample>{{1, 200, 1.5}, {3, 200, 3.5}, {4, 250, 4}, {1, 300, 9}}));
}

TEST_F(CheckpointTest, TheNextCheckpointStartsFromThePreviousOne) {
  Log({SeriesRecord({1, 2}), SamplesRecord({{1, 10, 1}, {2, 10, 2}})});
  Next();
  auto first = Checkpoint(
      tmp_.path(), 0, 0, [](uint64_t) { return true; }, 0, &metrics_);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(w_->Truncate(0).ok());
  Log({SeriesRecord({3}), SamplesRecord({{3, 20, 3}, {1, 20, 1}})});
  Next();
  Log({SamplesRecord({{2, 30, 2}})});
  Next();
  // Segment 0 is asked for again but the previous checkpoint covers it.
  auto second = Checkpoint(
      tmp_.path(), 0, 2, [](uint64_t ref) { return ref != 1; }, 15, &metrics_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->series_kept, 2u);
  EXPECT_EQ(second->samples_kept, 2u);
  ASSERT_TRUE(w_->Truncate(2).ok());
  ASSERT_TRUE(DeleteCheckpoints(tmp_.path(), 2, &metrics_).ok());
  auto checkpoints = ListCheckpoints(tmp_.path());
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ((*checkpoints)[0].last_segment, 2);

  Contents c = Decode(Replay(tmp_.path()).records);
  EXPECT_EQ(c.series, (std::vector<std::pair<uint64_t, std::string>>{{2, "__name__=m,id=2,"},
                                                                     {3, "__name__=m,id=3,"}}));
  EXPECT_EQ(c.samples, (std::vector<RefSample>{{3, 20, 3}, {2, 30, 2}}));
  EXPECT_EQ(metrics_.checkpoint_deletions.Value(), 1);
}

TEST_F(CheckpointTest, ACheckpointOfTheSameSegmentsReplacesTheOldOne) {
  Log({SeriesRecord({1, 2}), SamplesRecord({{1, 10, 1}, {2, 10, 2}})});
  Next();
  ASSERT_TRUE(Checkpoint(
                  tmp_.path(), 0, 0, [](uint64_t) { return true; }, 0)
                  .ok());
  auto again = Checkpoint(
      tmp_.path(), 0, 0, [](uint64_t ref) { return ref == 2; }, 0);
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_TRUE(w_->Truncate(0).ok());
  Contents c = Decode(Replay(tmp_.path()).records);
  EXPECT_EQ(c.series, (std::vector<std::pair<uint64_t, std::string>>{{2, "__name__=m,id=2,"}}));
  EXPECT_EQ(c.samples, (std::vector<RefSample>{{2, 10, 2}}));
  EXPECT_TRUE(ListTemporaryCheckpoints(tmp_.path())->empty());
}

TEST_F(CheckpointTest, LeftoversOfACrashedCheckpointAreIgnoredThenDeleted) {
  Log({SeriesRecord({1}), SamplesRecord({{1, 10, 1}})});
  Next();
  auto leftover = tmp_.path() / TemporaryCheckpointName(0);
  std::filesystem::create_directories(leftover);
  wal_test::WriteFile(SegmentPath(leftover, 0), "half a checkpoint");
  auto got = Replay(tmp_.path());
  EXPECT_EQ(got.records.size(), 2u);
  EXPECT_TRUE(got.corruptions.empty());
  ASSERT_TRUE(Checkpoint(
                  tmp_.path(), 0, 0, [](uint64_t) { return true; }, 0)
                  .ok());
  ASSERT_TRUE(DeleteCheckpoints(tmp_.path(), 1).ok());
  EXPECT_FALSE(std::filesystem::exists(leftover));
  EXPECT_FALSE(std::filesystem::exists(tmp_.path() / CheckpointName(0)));
}

TEST_F(CheckpointTest, RefusesToGoBehindANewerCheckpoint) {
  Log({SeriesRecord({1})});
  Next();
  Next();
  ASSERT_TRUE(Checkpoint(
                  tmp_.path(), 0, 1, [](uint64_t) { return true; }, 0, &metrics_)
                  .ok());
  auto older = Checkpoint(
      tmp_.path(), 0, 0, [](uint64_t) { return true; }, 0, &metrics_);
  EXPECT_EQ(older.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(metrics_.checkpoint_creations.Value(), 2);
  EXPECT_EQ(metrics_.checkpoint_creations_failed.Value(), 1);
}

TEST_F(CheckpointTest, DamagedInputIsReportedAndTheRestKept) {
  Log({SeriesRecord({1, 2})});
  Log({SamplesRecord({{1, 10, 1}})});
  Next();
  auto segment = SegmentPath(tmp_.path(), 0);
  std::string bytes = wal_test::ReadFile(segment);
  bytes[bytes.size() - 2] ^= 1;  // The samples record.
  wal_test::WriteFile(segment, bytes);
  auto stats = Checkpoint(
      tmp_.path(), 0, 0, [](uint64_t) { return true; }, 0);
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->corruptions.size(), 1u);
  EXPECT_EQ(stats->corruptions[0].segment, segment);
  EXPECT_EQ(stats->series_kept, 2u);
  EXPECT_EQ(stats->samples_kept, 0u);
}

}  // namespace
}  // namespace argus::tsdb::wal
