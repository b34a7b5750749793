#include "collect/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

namespace argus::collect {
namespace {

constexpr int kMaxDepth = 32;
constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string_view FirstLine(std::string_view text) { return text.substr(0, text.find('\n')); }

// Parses "major:minor".
bool ParseDevice(std::string_view text, CgroupStats::DeviceIo* io) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  auto major = ParseUint(text.substr(0, colon));
  auto minor = ParseUint(text.substr(colon + 1));
  if (!major || !minor) return false;
  io->major = static_cast<uint32_t>(*major);
  io->minor = static_cast<uint32_t>(*minor);
  return true;
}

CgroupStats::DeviceIo& DeviceEntry(CgroupStats* stats, const CgroupStats::DeviceIo& device) {
  for (auto& io : stats->io) {
    if (io.major == device.major && io.minor == device.minor) return io;
  }
  stats->io.push_back({device.major, device.minor, 0, 0});
  return stats->io.back();
}

// USER_HZ, the unit of cpuacct.stat.
uint64_t UserHz() {
  static const uint64_t hz = static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
  return hz;
}

uint64_t WorkingSet(uint64_t usage, std::optional<uint64_t> inactive_file) {
  uint64_t inactive = inactive_file.value_or(0);
  return usage < inactive ? 0 : usage - inactive;
}

}  // namespace

Result<std::unique_ptr<CgroupFs>> CgroupFs::Open(const std::string& root) {
  if (!IsDirectory(root)) {
    return Status::Errorf(Status::Code::kIOError, "no cgroup file system at \"{}\"", root);
  }
  if (access((root + "/cgroup.controllers").c_str(), F_OK) == 0) {
    return std::unique_ptr<CgroupFs>(
        new CgroupFs(CgroupVersion::kV2, {root, root, root, root, root}));
  }
  auto find = [&](std::initializer_list<const char*> names) -> std::string {
    for (const char* name : names) {
      std::string dir = root + "/" + name;
      if (IsDirectory(dir)) return dir;
    }
    return "";
  };
  // The co-mounted name first: "cpu" and "cpuacct" are usually symbolic links to it.
  Hierarchies h{find({"cpu,cpuacct", "cpuacct,cpu", "cpu"}),
                find({"cpu,cpuacct", "cpuacct,cpu", "cpuacct"}), find({"memory"}), find({"blkio"}),
                find({"pids"})};
  if (h.cpu.empty() && h.cpuacct.empty() && h.memory.empty()) {
    return Status::Errorf(Status::Code::kIOError,
                          "\"{}\" is neither a cgroup v2 hierarchy (no cgroup.controllers) nor "
                          "holds cgroup v1 hierarchies (no cpu, cpuacct or memory directory)",
                          root);
  }
  return std::unique_ptr<CgroupFs>(new CgroupFs(CgroupVersion::kV1, std::move(h)));
}

CgroupFs::CgroupFs(CgroupVersion version, Hierarchies hierarchies)
    : version_(version), hierarchies_(std::move(hierarchies)) {
  for (const std::string* dir : {&hierarchies_.cpu, &hierarchies_.cpuacct, &hierarchies_.memory,
                                 &hierarchies_.blkio, &hierarchies_.pids}) {
    if (!dir->empty() &&
        std::find(walk_roots_.begin(), walk_roots_.end(), *dir) == walk_roots_.end()) {
      walk_roots_.push_back(*dir);
    }
  }
}

void CgroupFs::Walk(absl::FunctionRef<void(std::string_view)> f) {
  for (const std::string& root : walk_roots_) {
    walk_path_.assign(root);
    f("/");
    WalkDir(root.size(), 0, f);
  }
}

void CgroupFs::WalkDir(size_t root_length, int depth, absl::FunctionRef<void(std::string_view)> f) {
  if (depth >= kMaxDepth) return;
  DIR* dir = opendir(walk_path_.c_str());
  if (dir == nullptr) return;  // Removed while walking: the cgroup is gone.
  size_t length = walk_path_.size();
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    walk_path_.resize(length);
    walk_path_ += '/';
    walk_path_ += e->d_name;
    bool is_dir = e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN && IsDirectory(walk_path_));
    if (!is_dir) continue;
    f(std::string_view(walk_path_).substr(root_length));
    WalkDir(root_length, depth + 1, f);
  }
  walk_path_.resize(length);
  closedir(dir);
}

std::optional<std::string_view> CgroupFs::ReadFile(const std::string& hierarchy,
                                                   std::string_view path, const char* file) {
  if (hierarchy.empty()) return std::nullopt;
  auto dir = std::find_if(open_dirs_.begin(), open_dirs_.end(),
                          [&](const OpenDir& d) { return *d.hierarchy == hierarchy; });
  if (dir == open_dirs_.end()) {
    path_.assign(hierarchy);
    if (path != "/") path_ += path;
    open_dirs_.push_back({&hierarchy, open(path_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)});
    dir = open_dirs_.end() - 1;
  }
  if (dir->fd < 0) return std::nullopt;
  return file_.ReadAt(dir->fd, file);
}

std::optional<uint64_t> CgroupFs::ReadUint(const std::string& hierarchy, std::string_view path,
                                           const char* file) {
  auto text = ReadFile(hierarchy, path, file);
  if (!text) return std::nullopt;
  std::string_view value = FirstLine(*text);
  if (value == "max") return kUnlimited;
  return ParseUint(value);
}

void CgroupFs::Read(std::string_view path, CgroupStats* stats) {
  std::vector<CgroupStats::DeviceIo> io = std::move(stats->io);
  io.clear();
  *stats = CgroupStats();
  stats->io = std::move(io);
  if (version_ == CgroupVersion::kV2) {
    ReadV2(path, stats);
    ReadProcs(hierarchies_.pids, path, stats);
  } else {
    ReadV1(path, stats);
    for (const std::string* h : {&hierarchies_.pids, &hierarchies_.cpu, &hierarchies_.memory}) {
      ReadProcs(*h, path, stats);
      if (stats->processes) break;
    }
  }
  for (const OpenDir& dir : open_dirs_) {
    if (dir.fd >= 0) close(dir.fd);
  }
  open_dirs_.clear();
}

void CgroupFs::ReadProcs(const std::string& hierarchy, std::string_view path, CgroupStats* stats) {
  auto text = ReadFile(hierarchy, path, "cgroup.procs");
  if (!text) return;
  uint64_t count = 0;
  for (std::string_view rest = *text; !rest.empty();) {
    auto pid = ParseUint(NextLine(&rest));
    if (!pid) continue;
    if (count++ == 0) stats->first_pid = pid;
  }
  stats->processes = count;
}

void CgroupFs::ReadV1(std::string_view path, CgroupStats* stats) {
  const Hierarchies& h = hierarchies_;
  stats->cpu_usage_ns = ReadUint(h.cpuacct, path, "cpuacct.usage");
  if (auto text = ReadFile(h.cpuacct, path, "cpuacct.stat")) {
    static constexpr std::string_view kKeys[] = {"user", "system"};
    std::optional<uint64_t> ticks[2];
    ScanKeyedValues(*text, kKeys, ticks);
    if (ticks[0]) stats->cpu_user_ns = *ticks[0] * 1'000'000'000 / UserHz();
    if (ticks[1]) stats->cpu_system_ns = *ticks[1] * 1'000'000'000 / UserHz();
  }
  if (auto text = ReadFile(h.cpu, path, "cpu.stat")) {
    static constexpr std::string_view kKeys[] = {"nr_periods", "nr_throttled", "throttled_time"};
    std::optional<uint64_t> v[3];
    ScanKeyedValues(*text, kKeys, v);
    stats->cfs_periods = v[0];
    stats->cfs_throttled_periods = v[1];
    stats->cfs_throttled_ns = v[2];
  }
  stats->cpu_shares = ReadUint(h.cpu, path, "cpu.shares");
  // "-1" (no quota) does not parse as unsigned: 0, as cAdvisor reads it.
  stats->cpu_quota_us = ReadUint(h.cpu, path, "cpu.cfs_quota_us").value_or(0);
  stats->cpu_period_us = ReadUint(h.cpu, path, "cpu.cfs_period_us").value_or(0);

  stats->memory_usage = ReadUint(h.memory, path, "memory.usage_in_bytes");
  if (auto text = ReadFile(h.memory, path, "memory.stat")) {
    static constexpr std::string_view kKeys[] = {
        "cache", "rss", "swap", "total_cache", "total_rss", "total_swap", "total_inactive_file"};
    std::optional<uint64_t> v[7];
    ScanKeyedValues(*text, kKeys, v);
    std::optional<uint64_t> inactive_file = v[6];
    bool hierarchical = ReadUint(h.memory, path, "memory.use_hierarchy").value_or(0) == 1;
    stats->memory_cache = hierarchical ? v[3] : v[0];
    stats->memory_rss = hierarchical ? v[4] : v[1];
    stats->memory_swap = (hierarchical ? v[5] : v[2]).value_or(0);
    if (stats->memory_usage) {
      stats->memory_working_set = WorkingSet(*stats->memory_usage, inactive_file);
    }
  }
  stats->memory_limit = ReadUint(h.memory, path, "memory.limit_in_bytes");
  stats->memory_failcnt = ReadUint(h.memory, path, "memory.failcnt");
  if (auto text = ReadFile(h.memory, path, "memory.oom_control")) {
    static constexpr std::string_view kKeys[] = {"oom_kill"};
    std::optional<uint64_t> v[1];
    ScanKeyedValues(*text, kKeys, v);
    stats->oom_events = v[0];
  }

  // CFQ's counters where the kernel has them, otherwise the throttling layer's, as runc reads.
  for (const char* file :
       {"blkio.io_service_bytes_recursive", "blkio.throttle.io_service_bytes_recursive"}) {
    auto text = ReadFile(h.blkio, path, file);
    if (!text) continue;
    for (std::string_view rest = *text; !rest.empty();) {
      std::string_view line = NextLine(&rest);
      CgroupStats::DeviceIo device;
      if (!ParseDevice(NextToken(&line), &device)) continue;  // "Total N".
      std::string_view op = NextToken(&line);
      auto v = ParseUint(NextToken(&line));
      if (!v) continue;
      if (op == "Read") DeviceEntry(stats, device).read_bytes = *v;
      if (op == "Write") DeviceEntry(stats, device).write_bytes = *v;
    }
    if (!stats->io.empty()) break;
  }
}

void CgroupFs::ReadV2(std::string_view path, CgroupStats* stats) {
  const std::string& root = hierarchies_.cpu;
  if (auto text = ReadFile(root, path, "cpu.stat")) {
    static constexpr std::string_view kKeys[] = {"usage_usec", "user_usec",    "system_usec",
                                                 "nr_periods", "nr_throttled", "throttled_usec"};
    std::optional<uint64_t> v[6];
    ScanKeyedValues(*text, kKeys, v);
    std::optional<uint64_t>* ns[] = {&stats->cpu_usage_ns, &stats->cpu_user_ns,
                                     &stats->cpu_system_ns};
    for (size_t i = 0; i < 3; ++i) {
      if (v[i]) *ns[i] = *v[i] * 1000;
    }
    stats->cfs_periods = v[3];
    stats->cfs_throttled_periods = v[4];
    if (v[5]) stats->cfs_throttled_ns = *v[5] * 1000;
  }
  // cpu.weight (1..10000) back to v1 shares (2..262144), the inverse of runc's mapping.
  if (auto weight = ReadUint(root, path, "cpu.weight");
      weight && *weight >= 1 && *weight <= 10000) {
    stats->cpu_shares = 2 + ((*weight - 1) * 262142) / 9999;
  }
  if (auto text = ReadFile(root, path, "cpu.max")) {
    std::string_view line = FirstLine(*text);
    std::string_view quota = NextToken(&line);
    stats->cpu_quota_us = quota == "max" ? 0 : ParseUint(quota).value_or(0);
    stats->cpu_period_us = ParseUint(NextToken(&line)).value_or(0);
  }

  stats->memory_usage = ReadUint(root, path, "memory.current");
  if (auto text = ReadFile(root, path, "memory.stat")) {
    static constexpr std::string_view kKeys[] = {"anon", "file", "inactive_file"};
    std::optional<uint64_t> v[3];
    ScanKeyedValues(*text, kKeys, v);
    stats->memory_rss = v[0];
    stats->memory_cache = v[1];
    if (stats->memory_usage) stats->memory_working_set = WorkingSet(*stats->memory_usage, v[2]);
  }
  stats->memory_swap = ReadUint(root, path, "memory.swap.current");
  stats->memory_limit = ReadUint(root, path, "memory.max");
  if (auto text = ReadFile(root, path, "memory.events")) {
    // v2 has no failcnt; memory.events' "max" counts the same event: usage hit the limit.
    static constexpr std::string_view kKeys[] = {"max", "oom_kill"};
    std::optional<uint64_t> v[2];
    ScanKeyedValues(*text, kKeys, v);
    stats->memory_failcnt = v[0];
    stats->oom_events = v[1];
  }

  if (auto text = ReadFile(root, path, "io.stat")) {
    for (std::string_view rest = *text; !rest.empty();) {
      std::string_view line = NextLine(&rest);
      CgroupStats::DeviceIo device;
      if (!ParseDevice(NextToken(&line), &device)) continue;
      CgroupStats::DeviceIo& io = DeviceEntry(stats, device);
      for (std::string_view field; !(field = NextToken(&line)).empty();) {
        if (field.starts_with("rbytes=")) io.read_bytes = ParseUint(field.substr(7)).value_or(0);
        if (field.starts_with("wbytes=")) io.write_bytes = ParseUint(field.substr(7)).value_or(0);
      }
    }
  }
}

std::optional<double> CgroupFs::CreationTime(std::string_view path) {
  std::optional<double> oldest;
  for (const std::string& root : walk_roots_) {
    path_.assign(root);
    if (path != "/") path_ += path;
    struct stat st {};
    if (stat(path_.c_str(), &st) != 0) continue;
    double t =
        static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
    if (!oldest || t < *oldest) oldest = t;
  }
  return oldest;
}

}  // namespace argus::collect
