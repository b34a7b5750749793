// The head index' memory per series and add rate at a million cAdvisor-like series, and what
// the same postings would cost as vectors, packed deltas and roaring bitmaps.

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <roaring/roaring.h>

#include <chrono>
#include <map>

#include "tsdb/index/bench_series.h"
#include "tsdb/index/mem_index.h"

namespace argus::tsdb {
namespace {

constexpr size_t kSeries = 1'000'000;

size_t HeapInUse() { return mallinfo2().uordblks + mallinfo2().hblkhd; }

void BM_MemIndexBuild(benchmark::State& state) {
  for (auto _ : state) {
    bench::CadvisorSeries generator;
    std::vector<model::Labels> batch;
    size_t heap_before = HeapInUse();
    auto index = std::make_unique<MemIndex>();
    std::chrono::nanoseconds adding{0};
    size_t labels = 0;
    for (SeriesId id = 0; id < kSeries;) {
      batch.clear();
      generator.NextContainer(batch);
      auto start = std::chrono::steady_clock::now();
      for (const auto& l : batch) {
        if (id == kSeries) break;
        labels += l.size();
        benchmark::DoNotOptimize(index->Add(id++, l));
      }
      adding += std::chrono::steady_clock::now() - start;
    }
    batch = {};
    size_t heap = HeapInUse() - heap_before;
    state.SetIterationTime(std::chrono::duration<double>(adding).count());
    state.counters["heap_bytes_per_series"] = static_cast<double>(heap) / kSeries;
    state.counters["own_bytes_per_series"] = static_cast<double>(index->MemoryBytes()) / kSeries;
    state.counters["labels_per_series"] = static_cast<double>(labels) / kSeries;
    state.counters["adds_per_s"] =
        benchmark::Counter(kSeries, benchmark::Counter::kIsIterationInvariantRate);
    auto pods = LabelValues(*index, "pod");
    state.counters["pods"] = static_cast<double>(pods->size());
  }
}
BENCHMARK(BM_MemIndexBuild)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

// The postings of the same million series in three encodings, in bytes per series.
void BM_PostingsEncodings(benchmark::State& state) {
  for (auto _ : state) {
    bench::CadvisorSeries generator;
    std::map<std::pair<std::string, std::string>, std::vector<uint32_t>> lists;
    std::vector<model::Labels> batch;
    for (uint32_t id = 0; id < kSeries;) {
      batch.clear();
      generator.NextContainer(batch);
      for (const auto& l : batch) {
        if (id == kSeries) break;
        for (const auto& label : l) lists[{label.name, label.value}].push_back(id);
        ++id;
      }
    }
    size_t vector_bytes = 0, delta_bytes = 0, entries = 0;
    for (const auto& [pair, ids] : lists) {
      vector_bytes += 24 + 4 * ids.capacity();
      entries += ids.size();
      uint32_t previous = 0;
      for (uint32_t id : ids) {
        for (uint32_t d = id - previous; d >= 0x80; d >>= 7) ++delta_bytes;
        ++delta_bytes;
        previous = id;
      }
      delta_bytes += 24;  // The std::string or vector holding them.
    }
    size_t heap_before = HeapInUse();
    std::vector<roaring_bitmap_t*> bitmaps;
    for (const auto& [pair, ids] : lists) {
      roaring_bitmap_t* b = roaring_bitmap_create();
      for (uint32_t id : ids) roaring_bitmap_add(b, id);
      bitmaps.push_back(b);
    }
    size_t roaring_bytes = HeapInUse() - heap_before;
    for (roaring_bitmap_t* b : bitmaps) {
      roaring_bitmap_run_optimize(b);
      roaring_bitmap_shrink_to_fit(b);
    }
    size_t optimized_bytes = HeapInUse() - heap_before;
    state.counters["roaring_runs_bytes_per_series"] =
        static_cast<double>(optimized_bytes) / kSeries;
    for (roaring_bitmap_t* b : bitmaps) roaring_bitmap_free(b);
    state.counters["lists"] = static_cast<double>(lists.size());
    state.counters["entries_per_series"] = static_cast<double>(entries) / kSeries;
    state.counters["vector_bytes_per_series"] = static_cast<double>(vector_bytes) / kSeries;
    state.counters["delta_bytes_per_series"] = static_cast<double>(delta_bytes) / kSeries;
    state.counters["roaring_bytes_per_series"] = static_cast<double>(roaring_bytes) / kSeries;
  }
}
BENCHMARK(BM_PostingsEncodings)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::tsdb

BENCHMARK_MAIN();
