// Query speed on the memory storage, for the query shapes the engine is designed around: an
// aggregated rate over many series for a day at a 1 m step, a classic histogram quantile, a
// topk, a group_left join and an instant count over every series.
//
// ARGUS_BENCH_SERIES sets the number of counter series (default 10000; the headline figure is
// for 100000, which needs about 14 GB with the memory storage). Each series has one sample a
// minute for 24 hours.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

#include "promql/engine.h"
#include "storage/memory_storage.h"

namespace argus::promql {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;
constexpr int64_t kScrapeMs = 60'000;

int SeriesCount() {
  const char* env = std::getenv("ARGUS_BENCH_SERIES");
  return env != nullptr ? std::atoi(env) : 10'000;
}

// Counters x_total{job, instance}, histogram buckets h_bucket{instance, le} (a tenth as many
// instances, ten buckets each) and target_info{instance, team}, filled once for all benchmarks.
storage::Storage& Data() {
  static std::unique_ptr<storage::Storage> storage = [] {
    auto s = storage::NewMemoryStorage();
    const int n = SeriesCount();
    auto app = s->NewAppender();
    std::vector<model::Labels> labels;
    std::vector<double> rates;
    for (int i = 0; i < n; ++i) {
      labels.push_back({{"__name__", "x_total"},
                        {"job", "job" + std::to_string(i % 20)},
                        {"instance", "host" + std::to_string(i)}});
      rates.push_back(1 + i % 7);
    }
    static const char* kLe[] = {"0.005", "0.01", "0.025", "0.05", "0.1",
                                "0.25",  "0.5",  "1",     "2.5",  "+Inf"};
    for (int i = 0; i < n / 100; ++i) {
      for (int b = 0; b < 10; ++b) {
        labels.push_back(
            {{"__name__", "h_bucket"}, {"instance", "host" + std::to_string(i)}, {"le", kLe[b]}});
        rates.push_back(b + 1);
      }
    }
    for (int i = 0; i < n; ++i) {
      labels.push_back({{"__name__", "target_info"},
                        {"instance", "host" + std::to_string(i)},
                        {"team", "team" + std::to_string(i % 13)}});
      rates.push_back(0);
    }
    std::vector<storage::SeriesRef> refs(labels.size(), 0);
    for (int64_t t = 0; t <= kDayMs; t += kScrapeMs) {
      for (size_t k = 0; k < labels.size(); ++k) {
        double v = rates[k] == 0 ? 1 : rates[k] * static_cast<double>(t) / 1000.0 + k % 3;
        refs[k] = *app->Append(refs[k], labels[k], t, v);
      }
    }
    (void)app->Commit();
    return s;
  }();
  return *storage;
}

// Prometheus' default of 50 million samples stops topk and the join at 100000 series (their
// inner rate() holds 144 million); the benchmark measures them anyway. Series are decoded ahead
// by a worker per core, as in the server.
EngineOptions Unlimited() {
  static WorkerPool workers(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EngineOptions options;
  options.max_samples = 2'000'000'000;
  options.workers = &workers;
  return options;
}

void RangeQuery(benchmark::State& state, const char* query) {
  storage::Storage& data = Data();
  Engine engine(Unlimited());
  for (auto _ : state) {
    auto r = engine.RangeQuery(data, query, 0, kDayMs, kScrapeMs);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
  state.counters["series"] = SeriesCount();
}

void BM_SumRate(benchmark::State& state) { RangeQuery(state, "sum by (job) (rate(x_total[5m]))"); }
void BM_HistogramQuantile(benchmark::State& state) {
  RangeQuery(state, "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))");
}
void BM_Topk(benchmark::State& state) { RangeQuery(state, "topk(5, rate(x_total[5m]))"); }
void BM_GroupLeftJoin(benchmark::State& state) {
  RangeQuery(state,
             "sum by (team) (rate(x_total[5m]) * on(instance) group_left(team) target_info)");
}

void BM_CountAll(benchmark::State& state) {
  storage::Storage& data = Data();
  Engine engine(Unlimited());
  for (auto _ : state) {
    auto r = engine.InstantQuery(data, "count({__name__=~\".+\"})", kDayMs);
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK(BM_SumRate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HistogramQuantile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Topk)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GroupLeftJoin)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountAll)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::promql

BENCHMARK_MAIN();
