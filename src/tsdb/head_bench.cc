// The head at scale: memory per series and append cost, with cAdvisor-like series scraped round
// by round as a server sees them.

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <thread>

#include "tsdb/db.h"
#include "tsdb/head.h"
#include "tsdb/index/bench_series.h"
#include "tsdb/wal/segments.h"

namespace argus::tsdb {
namespace {

size_t HeapBytes() {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// Values that move like real ones, one step per scrape: counters by irregular amounts, memory in
// pages, two-decimal gauges, and many constants.
double Step(uint64_t series, double value, uint64_t round) {
  uint64_t h = (series * 0x9e3779b97f4a7c15 + round * 0xbf58476d1ce4e5b9) >> 40;
  switch (series % 8) {
    case 0:
      return value + 0.01 + static_cast<double>(h % 100000) / 1e6;  // CPU seconds.
    case 1:
      return value + static_cast<double>(h % 50000);  // Bytes.
    case 2:
      return std::max(0.0, std::round((value + (static_cast<double>(h % 200) - 100) / 100) * 100) /
                               100);  // Percent.
    case 3:
      return std::max(4096.0, value + 4096.0 * (static_cast<double>(h % 21) - 10));  // Memory.
    default:
      return value;  // Limits, idle counters, info series.
  }
}

void BM_HeadScrapes(benchmark::State& state) {
  const size_t series = static_cast<size_t>(state.range(0));
  const int rounds = static_cast<int>(state.range(1));
  for (auto _ : state) {
    size_t heap_before = HeapBytes();
    auto head = std::make_unique<Head>();
    std::vector<storage::SeriesRef> refs;
    std::vector<double> values;
    refs.reserve(series);
    values.reserve(series);
    size_t vectors = HeapBytes() - heap_before;
    bench::CadvisorSeries generator;
    std::vector<model::Labels> batch;
    int64_t t = 1'700'000'000'000;
    auto start = std::chrono::steady_clock::now();
    while (refs.size() < series) {
      batch.clear();
      generator.NextContainer(batch);
      auto app = head->NewAppender();
      for (const auto& labels : batch) {
        if (refs.size() == series) break;
        double v = static_cast<double>(refs.size() % 1000) * 4096;
        refs.push_back(*app->Append(0, labels, t, v));
        values.push_back(v);
      }
      (void)app->Commit();
    }
    for (int r = 1; r < rounds; ++r) {
      t += 10'000;
      for (size_t i = 0; i < series; i += 1000) {  // One commit per target of 1,000 series.
        auto app = head->NewAppender();
        for (size_t j = i; j < std::min(series, i + 1000); ++j) {
          values[j] = Step(j, values[j], r);
          (void)app->Append(refs[j], {}, t, values[j]);
        }
        (void)app->Commit();
      }
    }
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    size_t head_bytes = HeapBytes() - heap_before - vectors;
    state.counters["bytes_per_series"] = static_cast<double>(head_bytes) / series;
    state.counters["ns_per_sample"] = seconds * 1e9 / (static_cast<double>(series) * rounds);
    state.counters["index_bytes_per_series"] =
        static_cast<double>(head->index().MemoryBytes()) / series;
  }
}
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A restart after kill -9: `series` series scraped `rounds` times every 10 s, with a head
// snapshot after round `snapshot_round` (0: none, the whole WAL is replayed), replayed into a new
// head. The snapshot's cost is measured as the server pays it, while running.
void BM_ReplayWal(benchmark::State& state) {
  const size_t series = static_cast<size_t>(state.range(0));
  const int rounds = static_cast<int>(state.range(1));
  const int snapshot_round = static_cast<int>(state.range(2));
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("argus_replay_bench_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  DbOptions options;
  options.background_compaction = false;
  size_t steady_heap = 0;
  {
    auto db = Db::Open(dir, options);
    std::vector<storage::SeriesRef> refs;
    std::vector<double> values;
    bench::CadvisorSeries generator;
    std::vector<model::Labels> batch;
    int64_t t = 1'700'000'000'000;
    while (refs.size() < series) {
      batch.clear();
      generator.NextContainer(batch);
      auto app = (*db)->NewAppender();
      for (const auto& labels : batch) {
        if (refs.size() == series) break;
        refs.push_back(*app->Append(0, labels, t, 0));
        values.push_back(0);
      }
      (void)app->Commit();
    }
    for (int r = 1; r < rounds; ++r) {
      t += 10'000;
      for (size_t i = 0; i < series; i += 1000) {
        auto app = (*db)->NewAppender();
        for (size_t j = i; j < std::min(series, i + 1000); ++j) {
          values[j] = Step(j, values[j], r);
          (void)app->Append(refs[j], {}, t, values[j]);
        }
        (void)app->Commit();
      }
      if (r == snapshot_round) {
        auto start = std::chrono::steady_clock::now();
        double cpu = ThreadCpuSeconds();
        (void)(*db)->Snapshot();
        state.counters["snapshot_cpu_seconds"] = ThreadCpuSeconds() - cpu;
        state.counters["snapshot_seconds"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        state.counters["snapshot_bytes"] = static_cast<double>(wal::SizeBytes(dir / "wal"));
      }
    }
    steady_heap = HeapBytes();
  }
  for (auto _ : state) {
    // The heap's high-water mark during replay, sampled.
    std::atomic<size_t> peak{0};
    std::jthread sampler([&peak](std::stop_token stop) {
      while (!stop.stop_requested()) {
        peak = std::max(peak.load(), HeapBytes());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    auto start = std::chrono::steady_clock::now();
    auto db = Db::Open(dir, options);
    sampler.request_stop();
    sampler.join();
    state.counters["heap_peak_vs_steady"] =
        static_cast<double>(peak.load()) / static_cast<double>(steady_heap);
    state.counters["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.counters["series"] = static_cast<double>((*db)->head().NumSeries());
    state.counters["heap_vs_steady"] =
        static_cast<double>(HeapBytes()) / static_cast<double>(steady_heap);
  }
  std::filesystem::remove_all(dir);
}
// 10 minutes of 1M series: all from the WAL, and from a snapshot taken a minute before the kill.
BENCHMARK(BM_ReplayWal)
    ->Args({1'000'000, 60, 0})
    ->Args({1'000'000, 60, 54})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
// 2 hours of head data (720 scrapes), at a tenth of the series to keep the set-up short.
BENCHMARK(BM_ReplayWal)
    ->Args({100'000, 720, 0})
    ->Args({100'000, 720, 714})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_HeadScrapes)
    ->Args({100'000, 30})
    ->Args({1'000'000, 60})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::tsdb

BENCHMARK_MAIN();
