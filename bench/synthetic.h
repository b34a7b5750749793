#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace argus::bench {

// Series that move like the ones a kubelet's cAdvisor endpoint exposes, for benchmarks that must
// not flatter compression with constant payloads: float CPU-seconds counters growing by irregular
// amounts, integer byte and packet counters with varying steps, memory gauges in pages of 4096,
// gauges with two decimals walking up and down, classic histograms, constants, and now and then a
// container restart that resets its counters. Deterministic: the same seed gives the same series
// and the same values at every step.
class SyntheticNode {
 public:
  // A node (one scrape target) with about `series` series: containers of 28 series each.
  SyntheticNode(uint64_t seed, int node, int series);

  // Moves every series one step of `step_seconds` forward.
  void Advance(double step_seconds);

  // The current values in the Prometheus text format, with HELP and TYPE lines; appended to
  // *out. With `timestamp_ms` >= 0, every sample carries that timestamp.
  void RenderText(std::string* out, int64_t timestamp_ms = -1) const;

  size_t size() const { return series_.size(); }

  // One family's samples at one time, in the OpenMetrics text format (timestamp in seconds), for
  // backfill files written family by family.
  struct Family {
    std::string name;  // Without the _bucket/_sum/_count or _total suffixes for OpenMetrics.
    std::string type;  // "counter", "gauge" or "histogram".
    std::string help;
  };
  static const std::vector<Family>& Families();
  // Appends the samples of family `family` (an index into Families()) in the OpenMetrics format,
  // each with `timestamp_ms` rendered in seconds.
  void RenderOpenMetricsFamily(size_t family, int64_t timestamp_ms, std::string* out) const;

 private:
  enum class Kind { kCpuSeconds, kBytes, kPackets, kDiskBytes, kMemory, kPercent, kConstant };
  struct Series {
    size_t family;
    std::string labels;  // The series as text without the value: name{a="b",...}
    Kind kind;
    double value;
    double rate;  // Per second, for counters; the walk's scale for gauges.
    int container;
  };
  struct Histogram {  // One classic histogram of a container: the indices of its series.
    int container;
    size_t first_bucket;  // Buckets, then _sum, then _count, consecutive in series_.
  };
  uint64_t NextRandom();
  double Uniform(double lo, double hi);
  void AddContainer(int node, int container);

  uint64_t rng_;
  std::vector<Series> series_;
  std::vector<Histogram> histograms_;
};

}  // namespace argus::bench
