#pragma once

// A deterministic generator of kubelet/cAdvisor-like series for the benchmarks, no files needed:
// nodes run pods of 1 to 3 containers, each container has the usual container_* metrics (file
// system ones per device), with 12 to 13 labels. Most values are shared (metric name, job,
// instance, namespace, image, container name, device); id, name and pod are unique per container
// or pod, 40 to 100 characters long.

#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "model/labels.h"

namespace argus::tsdb::bench {

class CadvisorSeries {
 public:
  explicit CadvisorSeries(uint64_t seed = 1) : rng_(seed) {}

  // The series of the next container (about 50), appended to `out`.
  void NextContainer(std::vector<model::Labels>& out) {
    static const char* kMetrics[] = {"container_cpu_usage_seconds_total",
                                     "container_cpu_user_seconds_total",
                                     "container_cpu_system_seconds_total",
                                     "container_cpu_cfs_periods_total",
                                     "container_cpu_cfs_throttled_periods_total",
                                     "container_cpu_cfs_throttled_seconds_total",
                                     "container_cpu_load_average_10s",
                                     "container_memory_usage_bytes",
                                     "container_memory_working_set_bytes",
                                     "container_memory_rss",
                                     "container_memory_cache",
                                     "container_memory_swap",
                                     "container_memory_mapped_file",
                                     "container_memory_max_usage_bytes",
                                     "container_memory_failcnt",
                                     "container_memory_failures_total",
                                     "container_oom_events_total",
                                     "container_spec_cpu_period",
                                     "container_spec_cpu_quota",
                                     "container_spec_cpu_shares",
                                     "container_spec_memory_limit_bytes",
                                     "container_spec_memory_reservation_limit_bytes",
                                     "container_spec_memory_swap_limit_bytes",
                                     "container_start_time_seconds",
                                     "container_last_seen",
                                     "container_threads",
                                     "container_threads_max",
                                     "container_processes",
                                     "container_sockets",
                                     "container_file_descriptors",
                                     "container_ulimits_soft",
                                     "container_network_receive_bytes_total",
                                     "container_network_transmit_bytes_total",
                                     "container_network_receive_errors_total"};
    static const char* kFsMetrics[] = {
        "container_fs_reads_bytes_total", "container_fs_writes_bytes_total",
        "container_fs_reads_total",       "container_fs_writes_total",
        "container_fs_usage_bytes",       "container_fs_limit_bytes",
        "container_fs_inodes_total",      "container_fs_io_time_seconds_total"};
    static const char* kDevices[] = {"/dev/nvme0n1", "/dev/nvme1n1"};
    if (containers_left_in_pod_ == 0) NextPod();
    --containers_left_in_pod_;
    std::string container = fmt::format("app-{}", rng_() % 300);
    std::string image = fmt::format("registry.example.com/team-{}/{}:v1.{}.{}", deployment_ % 40,
                                    container, deployment_ % 17, deployment_ % 5);
    std::string name = Hex(64);
    std::string id = fmt::format("/kubepods/burstable/pod{}/{}", pod_uid_, name);
    auto add = [&](const char* metric, const char* device) {
      std::vector<model::Label> l = {{"__name__", metric},
                                     {"container", container},
                                     {"id", id},
                                     {"image", image},
                                     {"instance", node_ + ":10250"},
                                     {"job", "kubelet"},
                                     {"metrics_path", "/metrics/cadvisor"},
                                     {"name", name},
                                     {"namespace", namespace_},
                                     {"node", node_},
                                     {"pod", pod_},
                                     {"service", "kubelet"}};
      if (device) l.push_back({"device", device});
      if (std::string_view(metric).starts_with("container_network")) {
        l.push_back({"interface", "eth0"});
      }
      out.push_back(model::Labels::FromUnsorted(std::move(l)));
    };
    for (const char* m : kMetrics) add(m, nullptr);
    for (const char* m : kFsMetrics) {
      for (const char* d : kDevices) add(m, d);
    }
  }

 private:
  void NextPod() {
    ++pods_;
    if (pods_ % 100 == 0 || node_.empty()) {
      node_ = fmt::format("ip-10-0-{}-{}.eu-west-1.compute.internal", nodes_ / 250, nodes_ % 250);
      ++nodes_;
    }
    deployment_ = rng_() % 3000;
    namespace_ = fmt::format("team-{}", deployment_ % 25);
    pod_ = fmt::format("service-{}-{}-{}", deployment_, Hex(10), Hex(5));
    pod_uid_ = fmt::format("{}-{}-{}-{}-{}", Hex(8), Hex(4), Hex(4), Hex(4), Hex(12));
    containers_left_in_pod_ = 1 + rng_() % 3;
  }

  std::string Hex(size_t n) {
    std::string s(n, '0');
    for (char& c : s) c = "0123456789abcdef"[rng_() % 16];
    return s;
  }

  std::mt19937_64 rng_;
  uint64_t pods_ = 0, nodes_ = 0, deployment_ = 0;
  int containers_left_in_pod_ = 0;
  std::string node_, namespace_, pod_, pod_uid_;
};

}  // namespace argus::tsdb::bench
