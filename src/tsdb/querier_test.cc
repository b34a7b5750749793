#include "tsdb/querier.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "base/clock.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/index/block_writer.h"
#include "tsdb/index/ulid.h"
#include "tsdb/test_util.h"

namespace argus::tsdb {
namespace {

using testing::ReadAll;
using testing::Samples;
using testing::Series;

class QuerierTest : public ::testing::Test {
 protected:
  QuerierTest() : dir_(::testing::TempDir() + "/querier_test_" + std::to_string(getpid())) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~QuerierTest() override { std::filesystem::remove_all(dir_); }

  // A block holding, for each series, the samples given.
  std::shared_ptr<const BlockReader> Block(
      const std::vector<std::pair<model::Labels, Samples>>& series) {
    auto writer = BlockWriter::Create(dir_, ulids_.Next());
    EXPECT_TRUE(writer.ok());
    BlockMeta meta;
    meta.min_time = INT64_MAX;
    meta.max_time = INT64_MIN;
    for (const auto& [labels, samples] : series) {
      std::vector<int64_t> t;
      std::vector<double> v;
      for (auto [ts, value] : samples) {
        t.push_back(ts);
        v.push_back(value);
      }
      std::string bytes;
      EXPECT_TRUE(EncodeChunk(t, v, &bytes).ok());
      ChunkData chunk{t.front(), t.back(), bytes};
      EXPECT_TRUE((*writer)->AddSeries(labels, {&chunk, 1}).ok());
      meta.min_time = std::min(meta.min_time, t.front());
      meta.max_time = std::max(meta.max_time, t.back() + 1);
      meta.num_samples += t.size();
    }
    auto path = (*writer)->Finish(meta);
    EXPECT_TRUE(path.ok()) << path.status().message();
    auto block = BlockReader::Open(*path);
    EXPECT_TRUE(block.ok()) << block.status().message();
    return std::move(*block);
  }

  void Append(Head& head, const model::Labels& labels, const Samples& samples) {
    auto app = head.NewAppender();
    for (auto [t, v] : samples) ASSERT_TRUE(app->Append(0, labels, t, v).ok());
    ASSERT_TRUE(app->Commit().ok());
  }

  std::filesystem::path dir_;
  ManualClock clock_;
  UlidGenerator ulids_{clock_, [n = uint64_t{0}]() mutable { return ++n; }};
};

TEST_F(QuerierTest, MergesBlocksAndHeadBySeries) {
  auto block = Block({{Series("a"), {{1000, 1}, {2000, 2}}}, {Series("b"), {{1000, 10}}}});
  HeadOptions options;
  options.bounded_window = false;
  Head head(options);
  Append(head, Series("a"), {{2000, 99}, {3000, 3}});  // 2000 overlaps: the block's wins.
  Append(head, Series("c"), {{3000, 30}});
  auto q = NewQuerier(&head, {block}, INT64_MIN, INT64_MAX);
  std::vector<model::Matcher> all = {
      *model::Matcher::Make(model::Matcher::Type::kEqual, "job", "api")};
  auto got = ReadAll(*q, all);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, Series("a"));
  EXPECT_EQ(got[0].second, (Samples{{1000, 1}, {2000, 2}, {3000, 3}}));
  EXPECT_EQ(got[1].second, (Samples{{1000, 10}}));
  EXPECT_EQ(got[2].first, Series("c"));
}

TEST_F(QuerierTest, ClipsToTheRangeAndSeeks) {
  auto block = Block({{Series("a"), {{1000, 1}, {2000, 2}, {3000, 3}, {4000, 4}}}});
  Head head;
  Append(head, Series("a"), {{5000, 5}, {6000, 6}});
  auto q = NewQuerier(&head, {block}, 2000, 5000);
  auto set = q->Select(testing::Eq("__name__", "a"));
  ASSERT_TRUE(set->Next());
  auto it = set->At().Iterator();
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->t(), 2000);
  ASSERT_TRUE(it->Seek(3500));
  EXPECT_EQ(it->t(), 4000);
  ASSERT_TRUE(it->Seek(4000));  // Stays.
  EXPECT_EQ(it->t(), 4000);
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->t(), 5000);
  EXPECT_FALSE(it->Next());  // 6000 is past maxt.
  // A series with samples only outside the range is not selected.
  auto outside = NewQuerier(&head, {block}, 7000, 8000);
  EXPECT_TRUE(ReadAll(*outside, testing::Eq("__name__", "a")).empty());
}

// This process' resident kilobytes of the mapping that holds `p` (/proc/self/smaps).
size_t MappedResidentKb(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const auto address = reinterpret_cast<uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    uintptr_t start = 0, end = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &start, &end) == 2) {  // A mapping's first line.
      inside = start <= address && address < end;
    } else if (inside && line.starts_with("Rss:")) {
      return std::stoul(line.substr(4));
    }
  }
  ADD_FAILURE() << "no mapping holds " << p;
  return 0;
}

TEST_F(QuerierTest, GivesBackTheBlockPagesItMadeResident) {
  std::vector<std::pair<model::Labels, Samples>> series;
  for (int i = 0; i < 2000; ++i) {
    Samples samples;
    for (int k = 0; k < 100; ++k) samples.push_back({k * 1000, (i * 7919 + k * 104729) % 1000003});
    series.push_back({Series("s" + std::to_string(i)), samples});
  }
  std::sort(series.begin(), series.end());  // In label order, as blocks hold them.
  auto block = Block(series);
  model::LabelsBuilder labels;
  std::vector<ChunkMeta> chunks;
  ASSERT_TRUE(block->Series(0, labels, chunks).ok());
  const void* mapped = block->Chunk(chunks[0].ref)->data();
  {
    auto q = NewQuerier(nullptr, {block}, INT64_MIN, INT64_MAX);
    EXPECT_EQ(ReadAll(*q, testing::Eq("job", "api")).size(), 2000u);
    EXPECT_GT(MappedResidentKb(mapped), 0u);
  }
  EXPECT_EQ(MappedResidentKb(mapped), 0u);
  // Read again, from the page cache.
  auto q = NewQuerier(nullptr, {block}, INT64_MIN, INT64_MAX);
  EXPECT_EQ(ReadAll(*q, testing::Eq("job", "api")), series);
}

// AppendRange reads what Seek and Next read: clipped to the querier's and the call's range, the
// parts merged in time order with the block's sample winning where the head has the same time.
TEST_F(QuerierTest, AppendRangeReadsWhatSeekAndNextRead) {
  auto early = Block({{Series("a"), {{1000, 1}, {2000, 2}, {3000, 3}}}});
  auto late = Block({{Series("a"), {{4000, 4}, {5000, 5}}}});
  HeadOptions options;
  options.bounded_window = false;
  Head head(options);
  Append(head, Series("a"), {{2000, 99}, {5000, 98}, {6000, 6}, {7000, 7}});
  auto q = NewQuerier(&head, {early, late}, 1500, 6500);
  for (auto [mint, maxt] : {std::pair<int64_t, int64_t>{0, 10000},
                            {2000, 5000},
                            {4500, 4600},
                            {2500, 6000},
                            {7000, 8000}}) {
    auto set = q->Select(testing::Eq("__name__", "a"));
    ASSERT_TRUE(set->Next());
    Samples stepped;
    auto it = set->At().Iterator();
    if (it->Seek(mint)) {
      do {
        if (it->t() > maxt) break;
        stepped.push_back({it->t(), it->v()});
      } while (it->Next());
    }
    std::vector<storage::SamplePoint> points;
    ASSERT_TRUE(set->At().Iterator()->AppendRange(mint, maxt, &points).ok());
    Samples batch;
    for (auto p : points) batch.push_back({p.t, p.v});
    EXPECT_EQ(batch, stepped) << mint << ".." << maxt;
  }
  auto set = q->Select(testing::Eq("__name__", "a"));
  ASSERT_TRUE(set->Next());
  std::vector<storage::SamplePoint> points;
  ASSERT_TRUE(set->At().Iterator()->AppendRange(0, 10000, &points).ok());
  ASSERT_EQ(points.size(), 5u);  // 2000 .. 6000.
  EXPECT_EQ(points[0].v, 2);     // The block's, not the head's 99.
  EXPECT_EQ(points[3].v, 5);     // The later block's, not the head's 98.
}

TEST_F(QuerierTest, LabelNamesAndValuesAcrossSources) {
  auto block = Block({{model::Labels{{"__name__", "a"}, {"zone", "x"}}, {{1000, 1}}}});
  Head head;
  Append(head, model::Labels{{"__name__", "b"}, {"pod", "p1"}}, {{1000, 1}});
  auto q = NewQuerier(&head, {block}, INT64_MIN, INT64_MAX);
  EXPECT_EQ(*q->LabelNames({}), (std::vector<std::string>{"__name__", "pod", "zone"}));
  EXPECT_EQ(*q->LabelValues("__name__", {}), (std::vector<std::string>{"a", "b"}));
  auto only_b = testing::Eq("__name__", "b");
  EXPECT_EQ(*q->LabelNames(only_b), (std::vector<std::string>{"__name__", "pod"}));
  EXPECT_EQ(*q->LabelValues("pod", only_b), (std::vector<std::string>{"p1"}));
}

}  // namespace
}  // namespace argus::tsdb
