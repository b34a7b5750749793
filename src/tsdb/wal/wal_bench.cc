// The WAL's speed: encoding and logging a scrape's samples at realistic commit sizes, and reading
// back a WAL the size of a restart's replay (10 minutes of 1,000,000 series scraped every 10 s:
// 1,000,000 series records and 60,000,000 samples). Replay figures are per second of this
// process's CPU time (one core), which a busy machine does not distort.

#include <benchmark/benchmark.h>

#include <bit>
#include <filesystem>
#include <random>

#include "tsdb/wal/reader.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

constexpr int64_t kStart = 1'700'000'000'000;

// A scrape's values: half counters (integers, some large), a quarter gauges with fractions, a
// quarter histogram buckets (small integers).
double Value(std::mt19937_64& rng, uint64_t ref, int scrape) {
  switch (ref % 4) {
    case 0:
    case 1:
      return static_cast<double>(ref * 1000 + static_cast<uint64_t>(scrape) * (rng() % 5000));
    case 2:
      return std::bit_cast<double>((rng() >> 12) | 0x3ff0000000000000) * 100;
    default:
      return static_cast<double>(rng() % 50);
  }
}

// The samples record of one commit: `n` series scraped at `t`, refs in order from `first`.
std::string ScrapeRecord(uint64_t first, size_t n, int scrape, std::mt19937_64& rng) {
  std::string out;
  SamplesEncoder enc(&out);
  for (uint64_t ref = first; ref < first + n; ++ref) {
    enc.Add(ref, kStart + scrape * 10'000, Value(rng, ref, scrape));
  }
  return out;
}

// The labels of series `ref` of a Kubernetes cluster's container metrics: eleven of them.
model::Labels ContainerLabels(uint64_t ref) {
  static constexpr const char* kNames[] = {
      "container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
      "container_network_receive_bytes_total", "container_fs_reads_total"};
  return model::Labels{{"__name__", kNames[ref % 4]},
                       {"container", "app"},
                       {"cpu", "total"},
                       {"id", "/kubepods/burstable/pod" + std::to_string(ref / 40)},
                       {"image", "registry.example/team/api:1.42." + std::to_string(ref % 7)},
                       {"instance", "10.0." + std::to_string(ref / 40000) + ".12:10250"},
                       {"job", "kubernetes-cadvisor"},
                       {"namespace", "team-" + std::to_string(ref / 100000)},
                       {"node", "node-" + std::to_string(ref / 40000)},
                       {"pod", "api-" + std::to_string(ref / 40 % 5000) + "-7d9f8b6c5d-x2k4q"},
                       {"series", std::to_string(ref % 40)}};
}

std::filesystem::path BenchDir(const char* name) {
  return std::filesystem::temp_directory_path() /
         (std::string("argus-wal-bench-") + name + "-" + std::to_string(std::random_device()()));
}

void BM_EncodeSamples(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<RefSample> samples;
  for (uint64_t ref = 1000; ref < 1000 + n; ++ref)
    samples.push_back({ref, kStart, Value(rng, ref, 7)});
  std::string record;
  for (auto _ : state) {
    record.clear();
    SamplesEncoder(&record).Add(samples);
    benchmark::DoNotOptimize(record.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * record.size()));
  state.counters["bytes_per_sample"] = static_cast<double>(record.size()) / static_cast<double>(n);
}
BENCHMARK(BM_EncodeSamples)->Arg(100)->Arg(1000);

void BM_DecodeSamples(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(1);
  std::string record = ScrapeRecord(1000, n, 7, rng);
  std::vector<RefSample> samples;
  for (auto _ : state) {
    if (!DecodeSamples(record, &samples).ok()) state.SkipWithError("bad record");
    benchmark::DoNotOptimize(samples.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * record.size()));
}
BENCHMARK(BM_DecodeSamples)->Arg(100)->Arg(1000);

void BM_DecodeSeries(benchmark::State& state) {
  std::string record;
  SeriesEncoder enc(&record);
  for (uint64_t ref = 1; ref <= 1000; ++ref) enc.Add(ref, ContainerLabels(ref));
  DecodedSeries series;
  for (auto _ : state) {
    if (!DecodeSeries(record, &series).ok()) state.SkipWithError("bad record");
    benchmark::DoNotOptimize(series.series().data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 1000));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * record.size()));
}
BENCHMARK(BM_DecodeSeries);

// Log calls of one commit each, to a WAL on the temporary directory's file system.
void BM_Log(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(2);
  std::vector<std::string> records;
  for (int scrape = 0; scrape < 16; ++scrape) records.push_back(ScrapeRecord(1, n, scrape, rng));
  auto dir = BenchDir("log");
  auto w = Writer::Open(dir);
  if (!w.ok()) {
    state.SkipWithError(w.status().message().c_str());
    return;
  }
  int64_t bytes = 0;
  size_t i = 0;
  for (auto _ : state) {
    const std::string& r = records[i++ % records.size()];
    if (!(*w)->Log({r}).ok()) state.SkipWithError("Log failed");
    bytes += static_cast<int64_t>(r.size());
    if ((i & 0xfff) == 0) {
      // Keep the disk from filling: drop the segments behind.
      state.PauseTiming();
      (void)(*w)->Truncate((*w)->current_segment() - 1);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.SetBytesProcessed(bytes);
  state.counters["log_calls_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  w->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Log)->Arg(100)->Arg(1000);

// The WAL a restart replays: 1,000,000 series with the labels of a Kubernetes cluster's
// container metrics, then 60 scrapes of all of them in commits of 1,000 samples.
class ReplayWal {
 public:
  static constexpr uint64_t kSeries = 1'000'000;
  static constexpr int kScrapes = 60;
  static constexpr size_t kCommit = 1000;

  ReplayWal() : dir_(BenchDir("replay")) {
    auto w = Writer::Open(dir_);
    if (!w.ok()) return;
    std::mt19937_64 rng(3);
    std::string series;
    for (uint64_t first = 1; first <= kSeries; first += kCommit) {
      series.clear();
      SeriesEncoder enc(&series);
      for (uint64_t ref = first; ref < first + kCommit; ++ref) {
        enc.Add(ref, ContainerLabels(ref));
      }
      if (!(*w)->Log({series}).ok()) return;
    }
    for (int scrape = 0; scrape < kScrapes; ++scrape) {
      for (uint64_t first = 1; first <= kSeries; first += kCommit) {
        if (!(*w)->Log({ScrapeRecord(first, kCommit, scrape, rng)}).ok()) return;
      }
    }
    ok_ = (*w)->Close().ok();
    bytes_ = SizeBytes(dir_);
  }
  ~ReplayWal() { std::filesystem::remove_all(dir_); }

  bool ok() const { return ok_; }
  const std::filesystem::path& dir() const { return dir_; }
  uint64_t bytes() const { return bytes_; }

 private:
  std::filesystem::path dir_;
  bool ok_ = false;
  uint64_t bytes_ = 0;
};

const ReplayWal& Wal() {
  static const ReplayWal wal;
  return wal;
}

// Reading records (framing and checksums) without decoding them.
void BM_ReadReplayWal(benchmark::State& state) {
  if (!Wal().ok()) {
    state.SkipWithError("could not write the WAL to read");
    return;
  }
  int64_t records = 0;
  for (auto _ : state) {
    auto reader = Reader::ForReplay(Wal().dir());
    while (reader->Next()) ++records;
    if (!reader->status().ok() || !reader->corruptions().empty()) state.SkipWithError("bad read");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Wal().bytes()));
  state.counters["records_per_s"] =
      benchmark::Counter(static_cast<double>(records), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReadReplayWal)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// Reading and decoding every record, as replay does before handing series and samples to the
// head.
void BM_ReplayDecode(benchmark::State& state) {
  if (!Wal().ok()) {
    state.SkipWithError("could not write the WAL to read");
    return;
  }
  int64_t samples = 0, series = 0;
  DecodedSeries decoded_series;
  std::vector<RefSample> decoded_samples;
  for (auto _ : state) {
    auto reader = Reader::ForReplay(Wal().dir());
    double sum = 0;
    while (reader->Next()) {
      if (TypeOf(reader->record()) == RecordType::kSamples) {
        if (!DecodeSamples(reader->record(), &decoded_samples).ok()) state.SkipWithError("bad");
        samples += static_cast<int64_t>(decoded_samples.size());
        sum += decoded_samples.back().v;
      } else {
        if (!DecodeSeries(reader->record(), &decoded_series).ok()) state.SkipWithError("bad");
        series += static_cast<int64_t>(decoded_series.size());
        sum += static_cast<double>(decoded_series.series().back().labels.size());
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Wal().bytes()));
  state.SetItemsProcessed(samples);
  state.counters["wal_mb"] = static_cast<double>(Wal().bytes()) / 1e6;
  state.counters["series_per_s"] =
      benchmark::Counter(static_cast<double>(series), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReplayDecode)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
}  // namespace argus::tsdb::wal

BENCHMARK_MAIN();
