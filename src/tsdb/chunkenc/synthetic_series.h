#pragma once

// Deterministic synthetic series shaped like what a container-monitoring server stores, for the
// chunk tests and benchmarks (no files, the same samples for the same seed on a platform).
//
// The shapes follow real scrapes: the kubelet's /metrics/cadvisor payload (1.35) holds 67% zeros
// (idle counters, empty spec limits), 13% other integers, 10% multiples of 4096 (memory), 7% CPU
// seconds with 6 decimals; node_exporter's adds ones, multiples of 512 and 2- and 3-decimal
// gauges; histogram buckets move in small steps and many stay put for hours.

#include <cstdint>
#include <string_view>
#include <vector>

namespace argus::tsdb {

enum class SeriesShape {
  kCpuSeconds,       // Counter in seconds: microsecond or nanosecond decimals, or float sums.
  kByteCounter,      // Integer counter with irregular steps, some in multiples of 4096 or 512.
  kDecimalGauge,     // Gauge with two decimals moving up and down (0.37, 41.25).
  kMemoryGauge,      // Gauge in multiples of 4096 (pages), flat at times.
  kHistogramBucket,  // Integer counter with small steps, often flat for long stretches.
  kConstant,         // up=1, spec limits, start times, counters that stay 0.
};
inline constexpr SeriesShape kAllShapes[] = {
    SeriesShape::kCpuSeconds,  SeriesShape::kByteCounter,     SeriesShape::kDecimalGauge,
    SeriesShape::kMemoryGauge, SeriesShape::kHistogramBucket, SeriesShape::kConstant};

std::string_view ShapeName(SeriesShape shape);

// The shape of series number `index` in the realistic mix: 45% constant, 15% histogram buckets,
// 15% integer counters, 10% memory gauges, 8% CPU seconds, 7% decimal gauges.
SeriesShape MixShape(uint64_t index);

enum class Timestamps {
  // Scrapes every 10, 15 or 30 s, each late by an exponential delay (mean 0.3 ms) and one in
  // 200 by 2 to 30 ms more, snapped to the previous timestamp plus the step when within 2 ms of
  // it (as Prometheus records them); one scrape in 1000 missed.
  kAligned,
  // The same scrapes with every jitter kept.
  kJittered,
};

struct SyntheticSeries {
  std::vector<int64_t> t;
  std::vector<double> v;
};

// `samples` samples of one series of `shape`, fully determined by the arguments. Some series
// carry a staleness marker or a counter reset.
SyntheticSeries GenerateSeries(SeriesShape shape, int samples, uint64_t seed,
                               Timestamps timestamps = Timestamps::kAligned);

// How a value read from a real scrape moves on.
enum class ScrapedKind {
  kCounter,   // Rises by about first / 10^4 a scrape, give or take half; zeros stay zero.
  kGauge,     // Random walk of about 1% a scrape, still 40% of the time; zeros stay zero.
  kClock,     // Seconds since the epoch at the scrape (container_last_seen).
  kConstant,  // Limits, start times.
};

// `samples` samples that start at `first` (a value of a real scrape, so with its real
// magnitude and decimals) and move as `kind` says, at the precision of `first`: the same
// number of decimals, pages of 4096 bytes if it is a multiple of them.
SyntheticSeries ContinueScrapedValue(double first, ScrapedKind kind, int samples, uint64_t seed);

}  // namespace argus::tsdb
