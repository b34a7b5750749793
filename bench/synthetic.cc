#include "synthetic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace argus::bench {
namespace {

constexpr double kBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
constexpr size_t kBucketCount = std::size(kBuckets) + 1;  // And +Inf.
constexpr double kRestartProbability = 1e-4;              // Per container and step.

enum FamilyIndex : size_t {
  kCpuUsage,
  kCpuUser,
  kCpuSystem,
  kMemoryWorkingSet,
  kMemoryRss,
  kMemoryCache,
  kNetworkReceiveBytes,
  kNetworkTransmitBytes,
  kNetworkReceivePackets,
  kNetworkTransmitPackets,
  kFsReads,
  kFsWrites,
  kSpecMemoryLimit,
  kSpecCpuQuota,
  kCpuUtilisation,
  kRequestDuration,
};

void AppendValue(std::string* out, double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    fmt::format_to(std::back_inserter(*out), "{}", static_cast<int64_t>(v));
  } else {
    fmt::format_to(std::back_inserter(*out), "{}", v);
  }
}

}  // namespace

const std::vector<SyntheticNode::Family>& SyntheticNode::Families() {
  static const std::vector<Family> families = {
      {"container_cpu_usage_seconds", "counter", "Cumulative cpu time consumed in seconds."},
      {"container_cpu_user_seconds", "counter", "Cumulative user cpu time consumed in seconds."},
      {"container_cpu_system_seconds", "counter",
       "Cumulative system cpu time consumed in seconds."},
      {"container_memory_working_set_bytes", "gauge", "Current working set in bytes."},
      {"container_memory_rss", "gauge", "Size of RSS in bytes."},
      {"container_memory_cache", "gauge", "Number of bytes of page cache memory."},
      {"container_network_receive_bytes", "counter", "Cumulative count of bytes received"},
      {"container_network_transmit_bytes", "counter", "Cumulative count of bytes transmitted"},
      {"container_network_receive_packets", "counter", "Cumulative count of packets received"},
      {"container_network_transmit_packets", "counter", "Cumulative count of packets transmitted"},
      {"container_fs_reads_bytes", "counter", "Cumulative count of bytes read"},
      {"container_fs_writes_bytes", "counter", "Cumulative count of bytes written"},
      {"container_spec_memory_limit_bytes", "gauge", "Memory limit for the container."},
      {"container_spec_cpu_quota", "gauge", "CPU quota of the container."},
      {"app_cpu_utilisation_percent", "gauge", "CPU utilisation of the application, percent."},
      {"http_request_duration_seconds", "histogram", "Latency of HTTP requests."},
  };
  return families;
}

uint64_t SyntheticNode::NextRandom() {  // splitmix64
  uint64_t z = (rng_ += 0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

double SyntheticNode::Uniform(double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(NextRandom() >> 11) * 0x1.0p-53;
}

SyntheticNode::SyntheticNode(uint64_t seed, int node, int series) : rng_(seed * 1000003 + node) {
  int containers = std::max(1, series / 28);
  for (int c = 0; c < containers; ++c) AddContainer(node, c);
  std::stable_sort(series_.begin(), series_.end(),
                   [](const Series& a, const Series& b) { return a.family < b.family; });
  for (size_t i = 0; i < series_.size(); ++i) {
    if (series_[i].family == kRequestDuration &&
        (i == 0 || series_[i - 1].container != series_[i].container ||
         series_[i - 1].family != kRequestDuration)) {
      histograms_.push_back({series_[i].container, i});
    }
  }
}

void SyntheticNode::AddContainer(int node, int c) {
  std::string pod = fmt::format("app-{}-7d9f8b6c5d-{:05x}", c % 7, (node * 7919 + c) % 0xfffff);
  std::string id = fmt::format("{:016x}{:016x}", NextRandom(), NextRandom());
  std::string common = fmt::format(
      "container=\"app-{}\",id=\"/kubepods/burstable/pod{:08x}/{}\",image=\"registry.local/team/"
      "app-{}:v1.{}.3\",instance=\"node-{}\",name=\"{}\",namespace=\"ns-{}\",pod=\"{}\"",
      c % 7, NextRandom() & 0xffffffff, id, c % 7, c % 5, node, id, c % 4, pod);
  auto add = [&](size_t family, std::string_view suffix, std::string extra, Kind kind, double value,
                 double rate) {
    std::string labels = fmt::format("{}{}{{{}{}}}", Families()[family].name, suffix, common,
                                     extra.empty() ? "" : "," + extra);
    series_.push_back({family, std::move(labels), kind, value, rate, c});
  };
  double cores = Uniform(0.01, 2.0);
  add(kCpuUsage, "_total", "cpu=\"total\"", Kind::kCpuSeconds, Uniform(0, 1e5), cores);
  add(kCpuUser, "_total", "cpu=\"total\"", Kind::kCpuSeconds, Uniform(0, 7e4), cores * 0.7);
  add(kCpuSystem, "_total", "cpu=\"total\"", Kind::kCpuSeconds, Uniform(0, 3e4), cores * 0.3);
  double pages = std::floor(Uniform(1e3, 5e5));
  add(kMemoryWorkingSet, "", "", Kind::kMemory, pages * 4096, pages / 1000);
  add(kMemoryRss, "", "", Kind::kMemory, std::floor(pages * 0.8) * 4096, pages / 1000);
  add(kMemoryCache, "", "", Kind::kMemory, std::floor(Uniform(0, 1e5)) * 4096, 20);
  double bytes_rate = Uniform(1e3, 1e7);
  add(kNetworkReceiveBytes, "_total", "interface=\"eth0\"", Kind::kBytes,
      std::floor(Uniform(0, 1e12)), bytes_rate);
  add(kNetworkTransmitBytes, "_total", "interface=\"eth0\"", Kind::kBytes,
      std::floor(Uniform(0, 1e12)), bytes_rate * 0.6);
  add(kNetworkReceivePackets, "_total", "interface=\"eth0\"", Kind::kPackets,
      std::floor(Uniform(0, 1e9)), bytes_rate / 900);
  add(kNetworkTransmitPackets, "_total", "interface=\"eth0\"", Kind::kPackets,
      std::floor(Uniform(0, 1e9)), bytes_rate * 0.6 / 900);
  add(kFsReads, "_total", "device=\"/dev/nvme0n1\"", Kind::kDiskBytes,
      std::floor(Uniform(0, 1e6)) * 4096, 0.2);
  add(kFsWrites, "_total", "device=\"/dev/nvme0n1\"", Kind::kDiskBytes,
      std::floor(Uniform(0, 1e6)) * 512, 0.5);
  add(kSpecMemoryLimit, "", "", Kind::kConstant, std::pow(2, 28 + c % 5), 0);
  add(kSpecCpuQuota, "", "", Kind::kConstant, 50000.0 * (1 + c % 4), 0);
  add(kCpuUtilisation, "", "", Kind::kPercent, std::round(Uniform(0, 80) * 100) / 100, 0.5);
  for (size_t b = 0; b < kBucketCount; ++b) {
    std::string le = b + 1 == kBucketCount ? "+Inf" : fmt::format("{}", kBuckets[b]);
    add(kRequestDuration, "_bucket", fmt::format("le=\"{}\"", le), Kind::kPackets, 0, 0);
  }
  add(kRequestDuration, "_sum", "", Kind::kCpuSeconds, 0, 0);
  add(kRequestDuration, "_count", "", Kind::kPackets, 0, 0);
}

void SyntheticNode::Advance(double step) {
  std::vector<bool> restarted(series_.empty() ? 0 : series_.back().container + 1);
  for (size_t c = 0; c < restarted.size(); ++c) {
    restarted[c] = Uniform(0, 1) < kRestartProbability;
  }
  for (Series& s : series_) {
    if (s.family == kRequestDuration) continue;  // Below, bucket by bucket.
    bool restart = restarted[s.container];
    switch (s.kind) {
      case Kind::kCpuSeconds:
        s.value = restart ? 0 : s.value + step * s.rate * Uniform(0.5, 1.5);
        break;
      case Kind::kBytes:
        s.value = restart ? 0 : s.value + std::floor(step * s.rate * Uniform(0.2, 1.8));
        break;
      case Kind::kPackets:
        s.value = restart ? 0 : s.value + std::floor(step * s.rate * Uniform(0.5, 1.5));
        break;
      case Kind::kDiskBytes:
        if (restart) s.value = 0;
        if (Uniform(0, 1) < s.rate) s.value += 4096 * std::floor(Uniform(1, 64));
        break;
      case Kind::kMemory: {
        double pages = s.value / 4096 + std::floor(Uniform(-s.rate, s.rate + 1));
        s.value = std::max(1.0, pages) * 4096;
        break;
      }
      case Kind::kPercent: {
        double v = s.value + Uniform(-s.rate, s.rate) * 4;
        s.value = std::round(std::clamp(v, 0.0, 100.0) * 100) / 100;
        break;
      }
      case Kind::kConstant:
        break;
    }
  }
  for (const Histogram& h : histograms_) {
    bool restart = restarted[h.container];
    double requests = std::floor(Uniform(0, 200) * step / 30);
    double cumulative = 0;
    double sum = 0;
    for (size_t b = 0; b < kBucketCount; ++b) {
      // Latencies spread over the buckets, most of them in the middle ones.
      double share = b + 1 == kBucketCount ? 1 : std::min(1.0, 0.02 * (b + 1) * (b + 1));
      double in_bucket = std::floor(requests * share) - cumulative;
      cumulative += std::max(0.0, in_bucket);
      Series& bucket = series_[h.first_bucket + b];
      bucket.value = restart ? 0 : bucket.value + cumulative;
      sum += std::max(0.0, in_bucket) * (b < std::size(kBuckets) ? kBuckets[b] * 0.7 : 7);
    }
    Series& sum_series = series_[h.first_bucket + kBucketCount];
    Series& count_series = series_[h.first_bucket + kBucketCount + 1];
    sum_series.value = restart ? 0 : sum_series.value + sum * Uniform(0.9, 1.1);
    count_series.value = restart ? 0 : count_series.value + cumulative;
  }
}

void SyntheticNode::RenderText(std::string* out, int64_t timestamp_ms) const {
  size_t family = SIZE_MAX;
  for (const Series& s : series_) {
    if (s.family != family) {
      family = s.family;
      const Family& f = Families()[family];
      std::string name = f.type == "counter" ? f.name + "_total" : f.name;
      fmt::format_to(std::back_inserter(*out), "# HELP {} {}\n# TYPE {} {}\n", name, f.help, name,
                     f.type);
    }
    out->append(s.labels);
    out->push_back(' ');
    AppendValue(out, s.value);
    if (timestamp_ms >= 0) fmt::format_to(std::back_inserter(*out), " {}", timestamp_ms);
    out->push_back('\n');
  }
}

void SyntheticNode::RenderOpenMetricsFamily(size_t family, int64_t timestamp_ms,
                                            std::string* out) const {
  auto first = std::lower_bound(series_.begin(), series_.end(), family,
                                [](const Series& s, size_t f) { return s.family < f; });
  for (auto it = first; it != series_.end() && it->family == family; ++it) {
    out->append(it->labels);
    out->push_back(' ');
    AppendValue(out, it->value);
    fmt::format_to(std::back_inserter(*out), " {}.{:03}\n", timestamp_ms / 1000,
                   timestamp_ms % 1000);
  }
}

}  // namespace argus::bench
