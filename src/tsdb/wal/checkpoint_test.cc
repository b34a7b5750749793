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
  // Writes checkpoint.<last> with `records`.
  void WriteCheckpoint(int last, std::initializer_list<std::string_view> records) {
    auto c = CheckpointWriter::Create(tmp_.path(), last, &metrics_);
    ASSERT_TRUE(c.ok()) << c.status().message();
    ASSERT_TRUE((*c)->Log(records).ok());
    auto path = (*c)->Finish();
    ASSERT_TRUE(path.ok()) << path.status().message();
    EXPECT_EQ(*path, tmp_.path() / CheckpointName(last));
  }

  wal_test::ScratchDir tmp_;
  Metrics metrics_{nullptr, tmp_.path()};
  std::unique_ptr<Writer> w_;
};

TEST_F(CheckpointTest, ARestartReadsTheCheckpointThenTheSegmentsAfterIt) {
  Log({SeriesRecord({1, 2}), SamplesRecord({{1, 100, 1}, {2, 100, 2}})});
  Next();
  Log({SamplesRecord({{1, 200, 1.5}})});
  Next();
  Log({SamplesRecord({{1, 300, 9}})});  // Segment 2: after the checkpoint.
  WriteCheckpoint(1, {SeriesRecord({1}), SamplesRecord({{1, 200, 1.5}})});
  EXPECT_EQ(metrics_.checkpoint_creations.Value(), 1);
  EXPECT_EQ(metrics_.checkpoint_creations_failed.Value(), 0);

  // Segments 0 and 1 are still there until truncated, but a restart no longer reads them.
  Contents c = Decode(Replay(tmp_.path()).records);
  EXPECT_EQ(c.series, (std::vector<std::pair<uint64_t, std::string>>{{1, "__name__=m,id=1,"}}));
  EXPECT_EQ(c.samples, (std::vector<RefSample>{{1, 200, 1.5}, {1, 300, 9}}));
  ASSERT_TRUE(w_->Truncate(1).ok());
  ASSERT_TRUE(DeleteCheckpoints(tmp_.path(), 1, &metrics_).ok());
  auto got = Replay(tmp_.path());
  EXPECT_TRUE(got.corruptions.empty());
  EXPECT_EQ(Decode(got.records).samples, c.samples);
}

TEST_F(CheckpointTest, TheNextCheckpointReplacesThePreviousOneOnlyWhenComplete) {
  Log({SeriesRecord({1, 2})});
  Next();
  WriteCheckpoint(0, {SeriesRecord({1, 2})});
  ASSERT_TRUE(w_->Truncate(0).ok());
  Log({SeriesRecord({3})});
  Next();
  {
    auto unfinished = CheckpointWriter::Create(tmp_.path(), 1, &metrics_);
    ASSERT_TRUE(unfinished.ok());
    ASSERT_TRUE((*unfinished)->Log({SeriesRecord({3})}).ok());
    // Until Finish, the .tmp is never read: the previous checkpoint and segment 1 are.
    EXPECT_EQ(Decode(Replay(tmp_.path()).records).series.size(), 3u);
  }  // Dropped unfinished: removed, counted as failed.
  EXPECT_TRUE(ListTemporaryCheckpoints(tmp_.path())->empty());
  EXPECT_EQ(metrics_.checkpoint_creations_failed.Value(), 1);
  WriteCheckpoint(1, {SeriesRecord({2, 3})});
  ASSERT_TRUE(w_->Truncate(1).ok());
  ASSERT_TRUE(DeleteCheckpoints(tmp_.path(), 1, &metrics_).ok());
  auto checkpoints = ListCheckpoints(tmp_.path());
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ((*checkpoints)[0].last_segment, 1);
  Contents c = Decode(Replay(tmp_.path()).records);
  EXPECT_EQ(c.series, (std::vector<std::pair<uint64_t, std::string>>{{2, "__name__=m,id=2,"},
                                                                     {3, "__name__=m,id=3,"}}));
  EXPECT_EQ(metrics_.checkpoint_deletions.Value(), 1);
}

TEST_F(CheckpointTest, ACheckpointOfTheSameSegmentsReplacesTheOldOne) {
  Log({SeriesRecord({1, 2})});
  Next();
  WriteCheckpoint(0, {SeriesRecord({1, 2})});
  WriteCheckpoint(0, {SeriesRecord({2})});
  ASSERT_TRUE(w_->Truncate(0).ok());
  Contents c = Decode(Replay(tmp_.path()).records);
  EXPECT_EQ(c.series, (std::vector<std::pair<uint64_t, std::string>>{{2, "__name__=m,id=2,"}}));
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
  WriteCheckpoint(0, {SeriesRecord({1})});
  ASSERT_TRUE(DeleteCheckpoints(tmp_.path(), 1).ok());
  EXPECT_FALSE(std::filesystem::exists(leftover));
  EXPECT_FALSE(std::filesystem::exists(tmp_.path() / CheckpointName(0)));
}

TEST_F(CheckpointTest, RefusesToGoBehindANewerCheckpoint) {
  Log({SeriesRecord({1})});
  Next();
  Next();
  WriteCheckpoint(1, {SeriesRecord({1})});
  auto older = CheckpointWriter::Create(tmp_.path(), 0, &metrics_);
  EXPECT_EQ(older.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(metrics_.checkpoint_creations.Value(), 2);
  EXPECT_EQ(metrics_.checkpoint_creations_failed.Value(), 1);
}

}  // namespace
}  // namespace argus::tsdb::wal
