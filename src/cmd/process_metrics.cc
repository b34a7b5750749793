#include "cmd/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace argus::cmd {
namespace {

// The fields of /proc/self/stat after the command name, which may contain spaces.
std::vector<std::string> StatFields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> fields;
  auto close = line.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 2));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

// Field n of /proc/self/stat as numbered in proc(5), or 0 when unreadable.
double StatField(size_t n) {
  auto fields = StatFields();
  size_t index = n - 3;  // Fields 1 (pid) and 2 (comm) come before the ones we split.
  return index < fields.size() ? std::stod(fields[index]) : 0;
}

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double t = 0;
      in >> t;
      return t;
    }
  }
  return 0;
}

}  // namespace

void RegisterProcessMetrics(MetricsRegistry& registry) {
  static const double kTicks = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const double kPageSize = static_cast<double>(sysconf(_SC_PAGESIZE));
  registry.AddCounterFunc("process_cpu_seconds_total",
                          "Total user and system CPU time spent in seconds.",
                          [] { return (StatField(14) + StatField(15)) / kTicks; });
  registry.AddGaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.",
                        [] { return StatField(24) * kPageSize; });
  registry.AddGaugeFunc("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                        [] { return StatField(23); });
  registry.AddGaugeFunc("process_start_time_seconds",
                        "Start time of the process since unix epoch in seconds.",
                        [] { return BootTimeSeconds() + StatField(22) / kTicks; });
  registry.AddGaugeFunc("process_open_fds", "Number of open file descriptors.", [] {
    std::error_code ec;
    auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
    return ec ? 0.0 : static_cast<double>(std::distance(it, {}));
  });
  registry.AddGaugeFunc("process_max_fds", "Maximum number of open file descriptors.", [] {
    rlimit limit{};
    return getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<double>(limit.rlim_cur) : 0.0;
  });
}

}  // namespace argus::cmd
