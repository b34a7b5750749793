#include "collect/host_collector.h"

#include <re2/re2.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>

namespace argus::collect {
namespace {

using model::MetricType;

constexpr MetricDesc kCollectorSuccess{"node_scrape_collector_success",
                                       "node_exporter: Whether a collector succeeded.",
                                       MetricType::kGauge};
constexpr MetricDesc kCpuSeconds{"node_cpu_seconds_total", "Seconds the CPUs spent in each mode.",
                                 MetricType::kCounter};
constexpr MetricDesc kCpuGuestSeconds{"node_cpu_guest_seconds_total",
                                      "Seconds the CPUs spent in guests (VMs) for each mode.",
                                      MetricType::kCounter};
constexpr MetricDesc kBootTime{"node_boot_time_seconds", "Node boot time, in unixtime.",
                               MetricType::kGauge};
constexpr MetricDesc kContextSwitches{"node_context_switches_total",
                                      "Total number of context switches.", MetricType::kCounter};
constexpr MetricDesc kForks{"node_forks_total", "Total number of forks.", MetricType::kCounter};
constexpr MetricDesc kInterrupts{"node_intr_total", "Total number of interrupts serviced.",
                                 MetricType::kCounter};
constexpr MetricDesc kProcsRunning{"node_procs_running", "Number of processes in runnable state.",
                                   MetricType::kGauge};
constexpr MetricDesc kProcsBlocked{"node_procs_blocked",
                                   "Number of processes blocked waiting for I/O to complete.",
                                   MetricType::kGauge};
constexpr MetricDesc kLoad[] = {{"node_load1", "1m load average.", MetricType::kGauge},
                                {"node_load5", "5m load average.", MetricType::kGauge},
                                {"node_load15", "15m load average.", MetricType::kGauge}};
constexpr MetricDesc kTime{"node_time_seconds", "System time in seconds since epoch (1970).",
                           MetricType::kGauge};
constexpr MetricDesc kUname{"node_uname_info",
                            "Labeled system information as provided by the uname system call.",
                            MetricType::kGauge};

// The modes of a "cpuN" line of /proc/stat, in order; guest and guest_nice follow.
constexpr std::string_view kCpuModes[] = {"user",   "nice", "system",  "idle",
                                          "iowait", "irq",  "softirq", "steal"};

// USER_HZ, the unit of /proc/stat's times.
double UserHz() {
  static const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  return hz;
}

// node_exporter 1.5's defaults (Debian's build, which also leaves out /run, /mnt and /media).
constexpr const char* kDiskExclude = R"(^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$)";
constexpr const char* kMountPointExclude =
    R"(^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/))";
constexpr const char* kFsTypeExclude =
    "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|"
    "iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|"
    "sysfs|tracefs)$";

}  // namespace

HostCollector::HostCollector(HostPaths paths, const Clock& clock)
    : paths_(std::move(paths)),
      clock_(clock),
      disk_exclude_(std::make_unique<re2::RE2>(kDiskExclude)),
      mount_point_exclude_(std::make_unique<re2::RE2>(kMountPointExclude)),
      fs_type_exclude_(std::make_unique<re2::RE2>(kFsTypeExclude)) {}

HostCollector::~HostCollector() = default;

const std::string& HostCollector::ProcPath(std::string_view relative) {
  path_.assign(paths_.proc);
  path_ += '/';
  path_ += relative;
  return path_;
}

const std::string& HostCollector::SysPath(std::string_view relative) {
  path_.assign(paths_.sys);
  path_ += '/';
  path_ += relative;
  return path_;
}

Status HostCollector::Collect(SampleWriter& out) {
  bool cpu_ok = false;
  bool stat_ok = CollectStat(out, &cpu_ok);
  out.Add(kTime, static_cast<double>(clock_.NowMillis()) / 1000);
  const std::pair<std::string_view, bool> outcomes[] = {
      {"cpu", cpu_ok},
      {"stat", stat_ok},
      {"loadavg", CollectLoadavg(out)},
      {"meminfo", CollectMeminfo(out)},
      {"pressure", CollectPressure(out)},
      {"uname", CollectUname(out)},
      {"netdev", CollectNetdev(out)},
      {"netclass", CollectNetclass(out)},
      {"diskstats", CollectDiskstats(out)},
      {"filesystem", CollectFilesystems(out)},
      {"time", true},
  };
  bool any = false;
  for (const auto& [name, ok] : outcomes) {
    out.Add(kCollectorSuccess, {{"collector", name}}, ok ? 1 : 0);
    any = any || (ok && name != "time");
  }
  if (!any) {
    return Status::Errorf(Status::Code::kIOError,
                          "nothing could be read from the proc file system at \"{}\"", paths_.proc);
  }
  return Status::Ok();
}

bool HostCollector::CollectStat(SampleWriter& out, bool* cpu_ok) {
  auto text = file_.Read(ProcPath("stat"));
  if (!text) return false;
  bool stat_ok = false;
  for (std::string_view rest = *text; !rest.empty();) {
    std::string_view line = NextLine(&rest);
    std::string_view key = NextToken(&line);
    if (key.starts_with("cpu") && key.size() > 3) {  // "cpu" alone is the sum.
      std::string_view cpu = key.substr(3);
      for (std::string_view mode : kCpuModes) {
        auto v = ParseUint(NextToken(&line));
        if (!v) break;
        out.Add(kCpuSeconds, {{"cpu", cpu}, {"mode", mode}}, static_cast<double>(*v) / UserHz());
        *cpu_ok = true;
      }
      for (std::string_view mode : {"user", "nice"}) {
        auto v = ParseUint(NextToken(&line));
        if (!v) break;
        out.Add(kCpuGuestSeconds, {{"cpu", cpu}, {"mode", mode}},
                static_cast<double>(*v) / UserHz());
      }
      continue;
    }
    const MetricDesc* metric = nullptr;
    if (key == "btime") {
      metric = &kBootTime;
    } else if (key == "ctxt") {
      metric = &kContextSwitches;
    } else if (key == "processes") {
      metric = &kForks;
    } else if (key == "intr") {
      metric = &kInterrupts;  // The first number is the total.
    } else if (key == "procs_running") {
      metric = &kProcsRunning;
    } else if (key == "procs_blocked") {
      metric = &kProcsBlocked;
    }
    if (metric == nullptr) continue;
    if (auto v = ParseUint(NextToken(&line))) {
      out.Add(*metric, static_cast<double>(*v));
      stat_ok = true;
    }
  }
  return stat_ok;
}

bool HostCollector::CollectLoadavg(SampleWriter& out) {
  auto text = file_.Read(ProcPath("loadavg"));
  if (!text) return false;
  std::string_view rest = *text;
  double loads[3];
  for (double& load : loads) {
    auto v = ParseDouble(NextToken(&rest));
    if (!v) return false;
    load = *v;
  }
  for (size_t i = 0; i < 3; ++i) out.Add(kLoad[i], loads[i]);
  return true;
}

bool HostCollector::CollectMeminfo(SampleWriter& out) {
  auto text = file_.Read(ProcPath("meminfo"));
  if (!text) return false;
  bool any = false;
  for (std::string_view rest = *text; !rest.empty();) {
    std::string_view line = NextLine(&rest);
    std::string_view key = NextToken(&line);
    if (!key.ends_with(':')) continue;
    key.remove_suffix(1);
    auto v = ParseUint(NextToken(&line));
    if (!v) continue;
    bool kb = NextToken(&line) == "kB";
    // As node_exporter: "Active(anon)" becomes "Active_anon"; sizes in kB become _bytes.
    name_.assign("node_memory_");
    size_t start = name_.size();
    for (char c : key) {
      if (c == '(') {
        name_ += '_';
      } else if (c != ')') {
        name_ += c;
      }
    }
    if (kb) name_ += "_bytes";
    help_.assign("Memory information field ");
    help_.append(name_, start);
    help_ += '.';
    out.Add({name_, help_, MetricType::kGauge}, static_cast<double>(*v) * (kb ? 1024 : 1));
    any = true;
  }
  return any;
}

bool HostCollector::CollectPressure(SampleWriter& out) {
  struct Resource {
    std::string_view file;
    MetricDesc some;  // The "some" line: time that at least one task waited.
    MetricDesc full;  // The "full" line: time that no task could run; empty name to skip.
  };
  static constexpr Resource kResources[] = {
      {"pressure/cpu",
       {"node_pressure_cpu_waiting_seconds_total",
        "Total time in seconds that processes have waited for CPU time", MetricType::kCounter},
       {}},
      {"pressure/io",
       {"node_pressure_io_waiting_seconds_total",
        "Total time in seconds that processes have waited due to IO congestion",
        MetricType::kCounter},
       {"node_pressure_io_stalled_seconds_total",
        "Total time in seconds no process could make progress due to IO congestion",
        MetricType::kCounter}},
      {"pressure/memory",
       {"node_pressure_memory_waiting_seconds_total",
        "Total time in seconds that processes have waited for memory", MetricType::kCounter},
       {"node_pressure_memory_stalled_seconds_total",
        "Total time in seconds no process could make progress due to memory congestion",
        MetricType::kCounter}},
  };
  bool all = true;
  for (const Resource& r : kResources) {
    auto text = file_.Read(ProcPath(r.file));
    if (!text) {
      all = false;
      continue;
    }
    for (std::string_view rest = *text; !rest.empty();) {
      std::string_view line = NextLine(&rest);
      std::string_view kind = NextToken(&line);
      const MetricDesc& metric = kind == "some" ? r.some : r.full;
      if ((kind != "some" && kind != "full") || metric.name.empty()) continue;
      for (std::string_view field; !(field = NextToken(&line)).empty();) {
        if (!field.starts_with("total=")) continue;
        if (auto us = ParseUint(field.substr(6))) out.Add(metric, static_cast<double>(*us) / 1e6);
      }
    }
  }
  return all;
}

bool HostCollector::CollectUname(SampleWriter& out) {
  // The fields of uname(2), read from the proc tree so that a configured root is honoured.
  static constexpr std::string_view kFiles[] = {"sys/kernel/ostype", "sys/kernel/osrelease",
                                                "sys/kernel/version", "sys/kernel/hostname",
                                                "sys/kernel/domainname"};
  std::array<std::string, 5>& values = uname_;
  for (size_t i = 0; i < values.size(); ++i) {
    auto text = file_.Read(ProcPath(kFiles[i]));
    if (!text) return false;
    values[i].assign(text->substr(0, text->find('\n')));
  }
  utsname uts{};
  if (uname(&uts) != 0) return false;
  out.Add(kUname,
          {{"sysname", values[0]},
           {"release", values[1]},
           {"version", values[2]},
           {"nodename", values[3]},
           {"domainname", values[4]},
           {"machine", uts.machine}},
          1);
  return true;
}

}  // namespace argus::collect
