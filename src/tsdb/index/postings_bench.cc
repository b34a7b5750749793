// Intersections of a 1M-entry postings list with a 100k- and a 10-entry one, dense (consecutive
// ids) and sparse (every 10th id), over the three kinds of lists: vectors, the head's roaring
// bitmaps (including their copy-out) and a block's on-disk lists.

#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/check.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/block_writer.h"
#include "tsdb/index/mem_index.h"

namespace argus::tsdb {
namespace {

constexpr SeriesId kBig = 1'000'000;

// Series i has big="1", every 10th medium="1" (100k), every 100000th small="1" (10).
model::Labels SeriesLabels(SeriesId i) {
  model::LabelsBuilder b;
  b.Set("big", "1");
  b.Set("i", std::to_string(i));
  if (i % 10 == 0) b.Set("medium", "1");
  if (i % 100'000 == 0) b.Set("small", "1");
  return b.Build();
}

const char* OtherName(int64_t entries) { return entries == 10 ? "small" : "medium"; }

std::vector<SeriesId> Ids(SeriesId count, SeriesId stride) {
  std::vector<SeriesId> ids;
  for (SeriesId i = 0; i < count; ++i) ids.push_back(i * stride);
  return ids;
}

const MemIndex& Mem(SeriesId stride) {
  static auto* indexes = new std::map<SeriesId, std::unique_ptr<MemIndex>>;
  auto& index = (*indexes)[stride];
  if (!index) {
    index = std::make_unique<MemIndex>();
    for (SeriesId i = 0; i < kBig; ++i) CHECK(index->Add(i * stride, SeriesLabels(i)).ok());
  }
  return *index;
}

const BlockReader& Block() {
  static std::unique_ptr<BlockReader> block = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "argus-bench-XXXXXX").string();
    CHECK(::mkdtemp(dir.data()) != nullptr);
    std::vector<model::Labels> labels;
    for (SeriesId i = 0; i < kBig; ++i) labels.push_back(SeriesLabels(i));
    std::sort(labels.begin(), labels.end());
    auto writer = BlockWriter::Create(dir, Ulid::FromParts(1, {}));
    for (const auto& l : labels) CHECK((*writer)->AddSeries(l, {}).ok());
    auto path = (*writer)->Finish(BlockMeta{});
    auto reader = BlockReader::Open(*path).value();
    // Unlinked now; the mappings keep the files readable until the process exits.
    std::filesystem::remove_all(dir);
    return reader;
  }();
  return *block;
}

void Count(benchmark::State& state, std::unique_ptr<Postings> p, int64_t other) {
  size_t n = 0;
  while (p->Next()) ++n;
  if (static_cast<int64_t>(n) != other) state.SkipWithError("wrong intersection");
}

// Args: stride (1 dense, 10 sparse), entries of the other list.
void BM_IntersectVectors(benchmark::State& state) {
  SeriesId stride = state.range(0), other = state.range(1);
  auto big = Ids(kBig, stride), small = Ids(other, stride * (kBig / other));
  for (auto _ : state) {
    state.PauseTiming();  // Copying the ids into lists is not the intersection.
    std::vector<std::unique_ptr<Postings>> lists;
    lists.push_back(ListPostings(big));
    lists.push_back(ListPostings(small));
    state.ResumeTiming();
    Count(state, Intersect(std::move(lists)), state.range(1));
  }
}
BENCHMARK(BM_IntersectVectors)->ArgsProduct({{1, 10}, {100'000, 10}});

// Args as above; the lists come from `index`, with whatever copying or mapping that takes.
void IntersectIn(benchmark::State& state, const IndexReader& index) {
  const char* other = OtherName(state.range(1));
  for (auto _ : state) {
    std::vector<std::unique_ptr<Postings>> lists;
    lists.push_back(index.PostingsFor("big", "1"));
    lists.push_back(index.PostingsFor(other, "1"));
    Count(state, Intersect(std::move(lists)), state.range(1));
  }
}

void BM_IntersectMemIndex(benchmark::State& state) { IntersectIn(state, Mem(state.range(0))); }
BENCHMARK(BM_IntersectMemIndex)->ArgsProduct({{1, 10}, {100'000, 10}});

// A block numbers its series densely, so only the dense case applies.
void BM_IntersectBlock(benchmark::State& state) { IntersectIn(state, Block()); }
BENCHMARK(BM_IntersectBlock)->ArgsProduct({{1}, {100'000, 10}});

}  // namespace
}  // namespace argus::tsdb

BENCHMARK_MAIN();
