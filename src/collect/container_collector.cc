#include "collect/container_collector.h"

#include <absl/strings/string_view.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmath>

#include "base/log.h"
#include "collect/net_dev.h"

namespace argus::collect {
namespace {

using model::MetricType;

constexpr MetricDesc kCpuUsage{"container_cpu_usage_seconds_total",
                               "Cumulative cpu time consumed in seconds.", MetricType::kCounter};
constexpr MetricDesc kCpuUser{"container_cpu_user_seconds_total",
                              "Cumulative user cpu time consumed in seconds.",
                              MetricType::kCounter};
constexpr MetricDesc kCpuSystem{"container_cpu_system_seconds_total",
                                "Cumulative system cpu time consumed in seconds.",
                                MetricType::kCounter};
constexpr MetricDesc kCfsPeriods{"container_cpu_cfs_periods_total",
                                 "Number of elapsed enforcement period intervals.",
                                 MetricType::kCounter};
constexpr MetricDesc kCfsThrottledPeriods{"container_cpu_cfs_throttled_periods_total",
                                          "Number of throttled period intervals.",
                                          MetricType::kCounter};
constexpr MetricDesc kCfsThrottledSeconds{"container_cpu_cfs_throttled_seconds_total",
                                          "Total time duration the container has been throttled.",
                                          MetricType::kCounter};
constexpr MetricDesc kMemoryUsage{
    "container_memory_usage_bytes",
    "Current memory usage in bytes, including all memory regardless of when it was accessed",
    MetricType::kGauge};
constexpr MetricDesc kWorkingSet{"container_memory_working_set_bytes",
                                 "Current working set in bytes.", MetricType::kGauge};
constexpr MetricDesc kRss{"container_memory_rss", "Size of RSS in bytes.", MetricType::kGauge};
constexpr MetricDesc kCache{"container_memory_cache", "Number of bytes of page cache memory.",
                            MetricType::kGauge};
constexpr MetricDesc kSwap{"container_memory_swap", "Container swap usage in bytes.",
                           MetricType::kGauge};
constexpr MetricDesc kFailcnt{"container_memory_failcnt", "Number of memory usage hits limits",
                              MetricType::kCounter};
constexpr MetricDesc kOomEvents{"container_oom_events_total",
                                "Count of out of memory events observed for the container",
                                MetricType::kCounter};
constexpr MetricDesc kSpecQuota{"container_spec_cpu_quota", "CPU quota of the container.",
                                MetricType::kGauge};
constexpr MetricDesc kSpecPeriod{"container_spec_cpu_period", "CPU period of the container.",
                                 MetricType::kGauge};
constexpr MetricDesc kSpecShares{"container_spec_cpu_shares", "CPU share of the container.",
                                 MetricType::kGauge};
constexpr MetricDesc kSpecMemoryLimit{"container_spec_memory_limit_bytes",
                                      "Memory limit for the container.", MetricType::kGauge};
constexpr MetricDesc kFsReads{"container_fs_reads_bytes_total", "Cumulative count of bytes read",
                              MetricType::kCounter};
constexpr MetricDesc kFsWrites{"container_fs_writes_bytes_total",
                               "Cumulative count of bytes written", MetricType::kCounter};
constexpr MetricDesc kProcesses{
    "container_processes", "Number of processes running inside the container.", MetricType::kGauge};
constexpr MetricDesc kStartTime{"container_start_time_seconds",
                                "Start time of the container since unix epoch in seconds.",
                                MetricType::kGauge};
constexpr MetricDesc kLastSeen{
    "container_last_seen", "Last time a container was seen by the exporter", MetricType::kGauge};

// The interface counters cAdvisor reports, as indexes into NetDevCounters.
struct NetworkMetric {
  size_t field;
  MetricDesc metric;
};
constexpr NetworkMetric kNetwork[] = {
    {0,
     {"container_network_receive_bytes_total", "Cumulative count of bytes received",
      MetricType::kCounter}},
    {1,
     {"container_network_receive_packets_total", "Cumulative count of packets received",
      MetricType::kCounter}},
    {2,
     {"container_network_receive_errors_total",
      "Cumulative count of errors encountered while receiving", MetricType::kCounter}},
    {3,
     {"container_network_receive_packets_dropped_total",
      "Cumulative count of packets dropped while receiving", MetricType::kCounter}},
    {8,
     {"container_network_transmit_bytes_total", "Cumulative count of bytes transmitted",
      MetricType::kCounter}},
    {9,
     {"container_network_transmit_packets_total", "Cumulative count of packets transmitted",
      MetricType::kCounter}},
    {10,
     {"container_network_transmit_errors_total",
      "Cumulative count of errors encountered while transmitting", MetricType::kCounter}},
    {11,
     {"container_network_transmit_packets_dropped_total",
      "Cumulative count of packets dropped while transmitting", MetricType::kCounter}},
};

// Interfaces cAdvisor leaves out: loopback, the host ends of veth pairs, bridges of runtimes.
bool IgnoredInterface(std::string_view name) {
  for (std::string_view prefix : {"lo", "veth", "docker", "nerdctl"}) {
    if (name.starts_with(prefix)) return true;
  }
  return false;
}

// cAdvisor reports "no limit" (v2's "max", v1's 2^63 rounded down to a page) as 0.
double SpecMemoryValue(uint64_t v) { return v > (uint64_t{1} << 62) ? 0 : static_cast<double>(v); }

double Seconds(uint64_t ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace

ContainerCollector::ContainerCollector(ContainerPaths paths, const Clock& clock)
    : paths_(std::move(paths)), clock_(clock) {
  if (!paths_.docker_socket.empty()) {
    docker_.emplace(paths_.docker_socket, std::chrono::milliseconds(2000));
  }
  if (!paths_.pod_logs.empty()) pod_logs_.emplace(paths_.pod_logs);
}

void ContainerCollector::Identify(std::string_view path, Container* c) {
  c->identity = IdentifyCgroup(path);
  const CgroupIdentity& id = c->identity;
  c->own_network = path == "/" || !id.container_id.empty();
  // Only Docker's containers, and those under kubepods that may be Docker's, are worth asking;
  // they wait for its answer (its socket may appear later, when dockerd starts).
  c->docker_pending =
      docker_.has_value() && (id.runtime == Runtime::kDocker || id.runtime == Runtime::kUnknown);
  c->kube_lookups_left = pod_logs_ && !id.pod_uid.empty() ? kKubeLookups : 0;
  c->created_seconds = cgroups_->CreationTime(path);
}

void ContainerCollector::Resolve(std::string_view path, Container* c) {
  const CgroupIdentity& id = c->identity;
  if (c->docker_pending && docker_reachable_) {
    auto found = docker_->Inspect(id.container_id);
    if (!found.ok()) {
      log::Warn("Cannot ask Docker about a container",
                {{"id", id.container_id}, {"err", found.status().message()}});
      docker_reachable_ = found.status().code() != Status::Code::kIOError &&
                          found.status().code() != Status::Code::kTimeout;
    } else {
      c->docker_pending = false;
      if (found->has_value()) {
        c->docker = std::move(**found);
        c->created_seconds = c->docker.created_seconds;
        c->pid = c->docker.pid;
        if (!c->docker.kube_pod.empty()) c->kube_lookups_left = 0;
      }
    }
  }
  if (c->kube_lookups_left > 0 && c->docker.kube_pod.empty()) {
    // The kubelet's log directories, read at most once a collection.
    if (!pod_logs_fresh_) pod_logs_->Refresh();
    pod_logs_fresh_ = true;
    const KubeNames* found = id.container_id.empty() ? pod_logs_->Pod(id.pod_uid)
                                                     : pod_logs_->Container(id.container_id);
    c->kube_lookups_left = found ? 0 : c->kube_lookups_left - 1;
    if (found) c->kube_from_logs = *found;
  }
  bool from_docker = !c->docker.kube_pod.empty();
  const KubeNames& kube = from_docker ? KubeNames{c->docker.kube_pod, c->docker.kube_namespace,
                                                  c->docker.kube_container}
                                      : c->kube_from_logs;
  std::string name = !c->docker.name.empty()   ? c->docker.name
                     : id.container_id.empty() ? id.systemd_unit
                                               : id.container_id;
  c->labels = {{"id", std::string(path)},  {"name", std::move(name)},
               {"image", c->docker.image}, {"container", kube.container},
               {"pod", kube.pod},          {"namespace", kube.pod_namespace},
               {"pod_uid", id.pod_uid},    {"qos_class", id.qos_class}};
}

Status ContainerCollector::Collect(SampleWriter& out) {
  if (!cgroups_) {
    ARGUS_ASSIGN_OR_RETURN(cgroups_, CgroupFs::Open(paths_.cgroup, budget_));
    log::Info("Collecting container metrics",
              {{"cgroup", paths_.cgroup},
               {"version", cgroups_->version() == CgroupVersion::kV2 ? "v2" : "v1"}});
  }
  ++generation_;
  docker_reachable_ = docker_ && access(paths_.docker_socket.c_str(), F_OK) == 0;
  pod_logs_fresh_ = false;
  auto visit = [&](std::string_view path) {
    auto it = containers_.find(absl::string_view(path.data(), path.size()));
    Container* c = nullptr;
    if (it == containers_.end()) {
      c = &containers_.emplace(std::string(path), Container()).first->second;
      Identify(path, c);
      Resolve(path, c);
    } else {
      c = &it->second;
      bool pending = (c->docker_pending && docker_reachable_) || c->kube_lookups_left > 0;
      if (pending && c->generation != generation_) Resolve(path, c);
    }
    c->generation = generation_;
    return &c->files;
  };
  cgroups_->Walk(visit);
  if (budget_.TakeExhausted()) {
    CloseKeptFiles();
    cgroups_->Walk(visit);  // Again, for what the first walk could not open.
  }
  for (auto it = containers_.begin(); it != containers_.end();) {
    Container& c = it->second;
    if (c.generation != generation_ || !ReadStats(it->first, c)) {
      containers_.erase(it++);  // Gone: its series go stale, its files close.
      continue;
    }
    Emit(out, it->first, c);
    ++it;
  }
  return Status::Ok();
}

bool ContainerCollector::ReadStats(std::string_view path, Container& c) {
  bool found = cgroups_->Read(path, &c.files, &stats_);
  if (budget_.TakeExhausted()) {
    CloseKeptFiles();
    if (found) found = cgroups_->Read(path, &c.files, &stats_);  // With descriptors to spare.
  }
  return found;
}

void ContainerCollector::CloseKeptFiles() {
  for (auto& [path, c] : containers_) {
    c.files.Close();
    c.net_dev.Close();
  }
}

void ContainerCollector::Emit(SampleWriter& out, std::string_view path, Container& c) {
  scope_.clear();
  for (const auto& [name, value] : c.labels) scope_.emplace_back(name, value);
  out.SetScope(scope_);
  const CgroupStats& s = stats_;

  if (s.cpu_usage_ns) out.Add(kCpuUsage, {{"cpu", "total"}}, Seconds(*s.cpu_usage_ns));
  if (s.cpu_user_ns) out.Add(kCpuUser, Seconds(*s.cpu_user_ns));
  if (s.cpu_system_ns) out.Add(kCpuSystem, Seconds(*s.cpu_system_ns));
  // As cAdvisor: CFS figures only for cgroups that a quota has enforced periods on.
  if (s.cfs_periods.value_or(0) > 0) {
    out.Add(kCfsPeriods, static_cast<double>(*s.cfs_periods));
    out.Add(kCfsThrottledPeriods, static_cast<double>(s.cfs_throttled_periods.value_or(0)));
    out.Add(kCfsThrottledSeconds, Seconds(s.cfs_throttled_ns.value_or(0)));
  }
  if (s.cpu_shares || s.cpu_period_us != 0) {
    out.Add(kSpecPeriod, static_cast<double>(s.cpu_period_us));
    if (s.cpu_quota_us != 0) out.Add(kSpecQuota, static_cast<double>(s.cpu_quota_us));
    if (s.cpu_shares) out.Add(kSpecShares, static_cast<double>(*s.cpu_shares));
  }

  const std::pair<const MetricDesc&, const std::optional<uint64_t>&> memory[] = {
      {kMemoryUsage, s.memory_usage}, {kWorkingSet, s.memory_working_set},
      {kRss, s.memory_rss},           {kCache, s.memory_cache},
      {kSwap, s.memory_swap},         {kFailcnt, s.memory_failcnt},
      {kOomEvents, s.oom_events}};
  for (const auto& [metric, value] : memory) {
    if (value) out.Add(metric, static_cast<double>(*value));
  }
  if (s.memory_limit) out.Add(kSpecMemoryLimit, SpecMemoryValue(*s.memory_limit));

  for (const auto& io : s.io) {
    const std::string& device = DeviceName(io.major, io.minor);
    out.Add(kFsReads, {{"device", device}}, static_cast<double>(io.read_bytes));
    out.Add(kFsWrites, {{"device", device}}, static_cast<double>(io.write_bytes));
  }
  if (s.processes) out.Add(kProcesses, static_cast<double>(*s.processes));
  if (c.created_seconds) out.Add(kStartTime, *c.created_seconds);
  out.Add(kLastSeen, std::floor(static_cast<double>(clock_.NowMillis()) / 1000));
  if (c.own_network) EmitNetwork(out, path, c);
}

void ContainerCollector::EmitNetwork(SampleWriter& out, std::string_view path, Container& c) {
  // The root's interfaces are those of the host's first process; a container's are those of its
  // main process (from Docker) or any process in it, seen through /proc/<pid>/net/dev. The file
  // kept open shows the namespace of the process it was opened for, so it is kept only while
  // that process is the one to read.
  int64_t pid = path == "/" ? 1 : c.pid;
  if (pid <= 0 && stats_.first_pid) pid = static_cast<int64_t>(*stats_.first_pid);
  if (pid != c.net_dev_pid) c.net_dev.Close();
  c.net_dev_pid = pid;
  if (pid <= 0) return;
  auto read = [&] {
    if (c.net_dev.get() < 0) {
      path_.assign(paths_.proc);
      path_ += '/';
      path_ += std::to_string(pid);
      path_ += "/net/dev";
    }
    bool gone = false;
    return file_.ReadKept(&c.net_dev, budget_, AT_FDCWD, path_.c_str(), &gone);
  };
  auto text = read();
  if (!text && budget_.TakeExhausted()) {
    CloseKeptFiles();
    text = read();
  }
  if (!text) return;
  ForEachNetDev(*text, [&](std::string_view interface, const NetDevCounters& counters) {
    if (IgnoredInterface(interface)) return;
    for (const auto& [field, metric] : kNetwork) {
      out.Add(metric, {{"interface", interface}}, static_cast<double>(counters[field]));
    }
  });
}

const std::string& ContainerCollector::DeviceName(uint32_t major, uint32_t minor) {
  uint64_t key = (uint64_t{major} << 32) | minor;
  auto it = device_names_.find(key);
  if (it != device_names_.end()) return it->second;
  // As cAdvisor labels devices: /dev/<DEVNAME> from sysfs, else major:minor.
  std::string name = std::to_string(major) + ":" + std::to_string(minor);
  if (auto text = file_.Read(paths_.sys + "/dev/block/" + name + "/uevent")) {
    for (std::string_view rest = *text; !rest.empty();) {
      std::string_view line = NextLine(&rest);
      if (line.starts_with("DEVNAME=")) name = "/dev/" + std::string(line.substr(8));
    }
  }
  return device_names_.emplace(key, std::move(name)).first->second;
}

}  // namespace argus::collect
