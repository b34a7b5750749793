#include "collect/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

namespace argus::collect {
namespace {

constexpr size_t kMaxDepth = 32;
constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

// Directories are opened readable, not O_PATH, so that the walk can list them too.
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY;
constexpr size_t kWalkBuffer = 16384;

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsDirectoryAt(int dir_fd, const char* name) {
  struct stat st {};
  return fstatat(dir_fd, name, &st, 0) == 0 && S_ISDIR(st.st_mode);
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

// The files each version reads, by their slot in CgroupFiles.
enum V2File : size_t {
  kV2CpuStat,
  kV2CpuWeight,
  kV2CpuMax,
  kV2MemoryCurrent,
  kV2MemoryStat,
  kV2SwapCurrent,
  kV2MemoryMax,
  kV2MemoryEvents,
  kV2IoStat,
  kV2Procs,
};
constexpr const char* kV2Files[] = {"cpu.stat",       "cpu.weight",    "cpu.max",
                                    "memory.current", "memory.stat",   "memory.swap.current",
                                    "memory.max",     "memory.events", "io.stat",
                                    "cgroup.procs"};
enum V1File : size_t {
  kV1CpuacctUsage,
  kV1CpuacctStat,
  kV1CpuStat,
  kV1CpuShares,
  kV1CfsQuota,
  kV1CfsPeriod,
  kV1MemoryUsage,
  kV1MemoryStat,
  kV1UseHierarchy,
  kV1MemoryLimit,
  kV1Failcnt,
  kV1OomControl,
  kV1BlkioCfq,
  kV1BlkioThrottle,
  kV1ProcsPids,  // Then cpu's and memory's.
};
constexpr const char* kV1Files[] = {"cpuacct.usage",
                                    "cpuacct.stat",
                                    "cpu.stat",
                                    "cpu.shares",
                                    "cpu.cfs_quota_us",
                                    "cpu.cfs_period_us",
                                    "memory.usage_in_bytes",
                                    "memory.stat",
                                    "memory.use_hierarchy",
                                    "memory.limit_in_bytes",
                                    "memory.failcnt",
                                    "memory.oom_control",
                                    "blkio.io_service_bytes_recursive",
                                    "blkio.throttle.io_service_bytes_recursive",
                                    "cgroup.procs",
                                    "cgroup.procs",
                                    "cgroup.procs"};
static_assert(std::size(kV1Files) == kV1ProcsPids + 3 &&
              std::size(kV1Files) <= CgroupFiles::kFiles);
static_assert(std::size(kV2Files) == kV2Procs + 1 && std::size(kV2Files) <= CgroupFiles::kFiles);

}  // namespace

void CgroupFiles::Close() {
  for (KeptFd& fd : dirs_) fd.Close();
  for (KeptFd& fd : files_) fd.Close();
}

Result<std::unique_ptr<CgroupFs>> CgroupFs::Open(const std::string& root, FdBudget& budget) {
  if (!IsDirectory(root)) {
    return Status::Errorf(Status::Code::kIOError, "no cgroup file system at \"{}\"", root);
  }
  if (access((root + "/cgroup.controllers").c_str(), F_OK) == 0) {
    return std::unique_ptr<CgroupFs>(
        new CgroupFs(CgroupVersion::kV2, {root}, {0, 0, 0, 0, 0}, budget));
  }
  std::vector<std::string> roots;
  auto find = [&](std::initializer_list<const char*> names) -> int {
    for (const char* name : names) {
      std::string dir = root + "/" + name;
      if (!IsDirectory(dir)) continue;
      auto it = std::find(roots.begin(), roots.end(), dir);
      if (it == roots.end()) it = roots.insert(roots.end(), std::move(dir));
      return static_cast<int>(it - roots.begin());
    }
    return -1;
  };
  // The co-mounted name first: "cpu" and "cpuacct" are usually symbolic links to it.
  Hierarchies h;
  h.cpu = find({"cpu,cpuacct", "cpuacct,cpu", "cpu"});
  h.cpuacct = find({"cpu,cpuacct", "cpuacct,cpu", "cpuacct"});
  h.memory = find({"memory"});
  h.blkio = find({"blkio"});
  h.pids = find({"pids"});
  if (h.cpu < 0 && h.cpuacct < 0 && h.memory < 0) {
    return Status::Errorf(Status::Code::kIOError,
                          "\"{}\" is neither a cgroup v2 hierarchy (no cgroup.controllers) nor "
                          "holds cgroup v1 hierarchies (no cpu, cpuacct or memory directory)",
                          root);
  }
  return std::unique_ptr<CgroupFs>(new CgroupFs(CgroupVersion::kV1, std::move(roots), h, budget));
}

CgroupFs::CgroupFs(CgroupVersion version, std::vector<std::string> roots, Hierarchies hierarchies,
                   FdBudget& budget)
    : version_(version),
      walk_roots_(std::move(roots)),
      hierarchies_(hierarchies),
      budget_(budget),
      inotify_fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)),
      walk_buffers_(kMaxDepth) {}

CgroupFs::~CgroupFs() {
  if (inotify_fd_ >= 0) close(inotify_fd_);
}

void CgroupFs::ReadWatchEvents() {
  changed_.clear();
  overflowed_ = false;
  if (inotify_fd_ < 0) return;
  alignas(inotify_event) char events[4096];
  for (ssize_t n; (n = read(inotify_fd_, events, sizeof(events))) > 0;) {
    for (ssize_t offset = 0; offset < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(events + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if (e->mask & IN_Q_OVERFLOW) overflowed_ = true;
      changed_.insert(e->wd);
    }
  }
}

void CgroupFs::Walk(absl::FunctionRef<CgroupFiles*(std::string_view)> f) {
  ReadWatchEvents();
  for (size_t root = 0; root < walk_roots_.size(); ++root) {
    walk_path_.assign(walk_roots_[root]);
    WalkDir(root, 0, f);
  }
}

void CgroupFs::WalkDir(size_t root, size_t depth,
                       absl::FunctionRef<CgroupFiles*(std::string_view)> f) {
  size_t root_length = walk_roots_[root].size();
  std::string_view path = std::string_view(walk_path_).substr(root_length);
  CgroupFiles* files = f(path.empty() ? "/" : path);
  if (depth >= kMaxDepth) return;
  int& watch = files->watches_[root];
  if (watch < 0 || overflowed_ || changed_.contains(watch)) {
    // Watched before listing, so that what is made after the listing has an event; the watch
    // counts once the listing is done.
    int listed_watch = watch;
    if (watch < 0 && inotify_fd_ >= 0) {
      listed_watch =
          inotify_add_watch(inotify_fd_, walk_path_.c_str(),
                            IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR);
    }
    // The directory stays open for reads and, when it is not watched, for the next listing.
    KeptFd& kept = files->dirs_[root];
    int fd = kept.get();
    if (fd >= 0) {
      lseek(fd, 0, SEEK_SET);
    } else {
      // Failing: removed while walking, the cgroup is gone; or out of descriptors, which the
      // budget notes for the caller.
      fd = kept.Open(budget_, AT_FDCWD, walk_path_.c_str(), kDirFlags);
      if (fd < 0) return;
    }
    List(fd, depth, &files->children_[root]);
    if (fd != kept.get()) close(fd);
    watch = listed_watch;
  }
  size_t length = walk_path_.size();
  for (const std::string& child : files->children_[root]) {
    walk_path_.resize(length);
    walk_path_ += '/';
    walk_path_ += child;
    WalkDir(root, depth + 1, f);
  }
  walk_path_.resize(length);
}

void CgroupFs::List(int fd, size_t depth, std::vector<std::string>* children) {
  children->clear();
  std::string& buffer = walk_buffers_[depth];
  if (buffer.size() < kWalkBuffer) buffer.resize(kWalkBuffer);
  for (ssize_t n; (n = getdents64(fd, buffer.data(), buffer.size())) > 0;) {
    // As with seq files, the kernel's file systems fill a listing as far as the next entry fits:
    // one that left room for the longest entry was the last, which saves the read returning 0.
    bool last = static_cast<size_t>(n) + sizeof(dirent64) <= buffer.size();
    for (ssize_t offset = 0; offset < n;) {
      const auto* e = reinterpret_cast<const dirent64*>(buffer.data() + offset);
      offset += e->d_reclen;
      if (e->d_name[0] == '.') continue;
      if (e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN && IsDirectoryAt(fd, e->d_name))) {
        children->emplace_back(e->d_name);
      }
    }
    if (last) break;
  }
}

int CgroupFs::DirFd(int hierarchy) {
  KeptFd& kept = read_files_->dirs_[hierarchy];
  if (kept.get() >= 0) return kept.get();
  int& transient = read_dirs_[hierarchy];
  if (transient != -1) return transient >= 0 ? transient : -1;
  path_.assign(walk_roots_[hierarchy]);
  if (read_path_ != "/") path_ += read_path_;
  int fd = kept.Open(budget_, AT_FDCWD, path_.c_str(), kDirFlags);
  if (fd != kept.get()) transient = fd < 0 ? -2 : fd;
  return fd;
}

std::optional<std::string_view> CgroupFs::ReadFile(int hierarchy, size_t slot) {
  if (hierarchy < 0 || read_gone_) return std::nullopt;
  KeptFd& file = read_files_->files_[slot];
  int dir = -1;
  if (file.get() < 0 && (dir = DirFd(hierarchy)) < 0) return std::nullopt;
  const char* name = version_ == CgroupVersion::kV2 ? kV2Files[slot] : kV1Files[slot];
  return file_.ReadKept(&file, budget_, dir, name, &read_gone_);
}

std::optional<uint64_t> CgroupFs::ReadUint(int hierarchy, size_t slot) {
  auto text = ReadFile(hierarchy, slot);
  if (!text) return std::nullopt;
  std::string_view value = FirstLine(*text);
  if (value == "max") return kUnlimited;
  return ParseUint(value);
}

bool CgroupFs::Read(std::string_view path, CgroupFiles* files, CgroupStats* stats) {
  std::vector<CgroupStats::DeviceIo> io = std::move(stats->io);
  io.clear();
  *stats = CgroupStats();
  stats->io = std::move(io);
  read_path_ = path;
  read_files_ = files;
  read_gone_ = false;
  read_dirs_.fill(-1);
  if (version_ == CgroupVersion::kV2) {
    ReadV2(stats);
    ReadProcs(hierarchies_.pids, kV2Procs, stats);
  } else {
    ReadV1(stats);
    const int procs[] = {hierarchies_.pids, hierarchies_.cpu, hierarchies_.memory};
    for (size_t i = 0; i < std::size(procs) && !stats->processes; ++i) {
      ReadProcs(procs[i], kV1ProcsPids + i, stats);
    }
  }
  for (int fd : read_dirs_) {
    if (fd >= 0) close(fd);
  }
  read_files_ = nullptr;
  if (read_gone_) files->Close();
  return !read_gone_;
}

void CgroupFs::ReadProcs(int hierarchy, size_t slot, CgroupStats* stats) {
  auto text = ReadFile(hierarchy, slot);
  if (!text) return;
  uint64_t count = 0;
  for (std::string_view rest = *text; !rest.empty();) {
    auto pid = ParseUint(NextLine(&rest));
    if (!pid) continue;
    if (count++ == 0) stats->first_pid = pid;
  }
  stats->processes = count;
}

void CgroupFs::ReadV1(CgroupStats* stats) {
  const Hierarchies& h = hierarchies_;
  stats->cpu_usage_ns = ReadUint(h.cpuacct, kV1CpuacctUsage);
  if (auto text = ReadFile(h.cpuacct, kV1CpuacctStat)) {
    static constexpr std::string_view kKeys[] = {"user", "system"};
    std::optional<uint64_t> ticks[2];
    ScanKeyedValues(*text, kKeys, ticks);
    if (ticks[0]) stats->cpu_user_ns = *ticks[0] * 1'000'000'000 / UserHz();
    if (ticks[1]) stats->cpu_system_ns = *ticks[1] * 1'000'000'000 / UserHz();
  }
  if (auto text = ReadFile(h.cpu, kV1CpuStat)) {
    static constexpr std::string_view kKeys[] = {"nr_periods", "nr_throttled", "throttled_time"};
    std::optional<uint64_t> v[3];
    ScanKeyedValues(*text, kKeys, v);
    stats->cfs_periods = v[0];
    stats->cfs_throttled_periods = v[1];
    stats->cfs_throttled_ns = v[2];
  }
  stats->cpu_shares = ReadUint(h.cpu, kV1CpuShares);
  // "-1" (no quota) does not parse as unsigned: 0, as cAdvisor reads it.
  stats->cpu_quota_us = ReadUint(h.cpu, kV1CfsQuota).value_or(0);
  stats->cpu_period_us = ReadUint(h.cpu, kV1CfsPeriod).value_or(0);

  stats->memory_usage = ReadUint(h.memory, kV1MemoryUsage);
  if (auto text = ReadFile(h.memory, kV1MemoryStat)) {
    static constexpr std::string_view kKeys[] = {
        "cache", "rss", "swap", "total_cache", "total_rss", "total_swap", "total_inactive_file"};
    std::optional<uint64_t> v[7];
    ScanKeyedValues(*text, kKeys, v);
    std::optional<uint64_t> inactive_file = v[6];
    bool hierarchical = ReadUint(h.memory, kV1UseHierarchy).value_or(0) == 1;
    stats->memory_cache = hierarchical ? v[3] : v[0];
    stats->memory_rss = hierarchical ? v[4] : v[1];
    stats->memory_swap = (hierarchical ? v[5] : v[2]).value_or(0);
    if (stats->memory_usage) {
      stats->memory_working_set = WorkingSet(*stats->memory_usage, inactive_file);
    }
  }
  stats->memory_limit = ReadUint(h.memory, kV1MemoryLimit);
  stats->memory_failcnt = ReadUint(h.memory, kV1Failcnt);
  if (auto text = ReadFile(h.memory, kV1OomControl)) {
    static constexpr std::string_view kKeys[] = {"oom_kill"};
    std::optional<uint64_t> v[1];
    ScanKeyedValues(*text, kKeys, v);
    stats->oom_events = v[0];
  }

  // CFQ's counters where the kernel has them, otherwise the throttling layer's, as runc reads.
  for (V1File slot : {kV1BlkioCfq, kV1BlkioThrottle}) {
    auto text = ReadFile(h.blkio, slot);
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

void CgroupFs::ReadV2(CgroupStats* stats) {
  const int root = hierarchies_.cpu;
  if (auto text = ReadFile(root, kV2CpuStat)) {
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
  if (auto weight = ReadUint(root, kV2CpuWeight); weight && *weight >= 1 && *weight <= 10000) {
    stats->cpu_shares = 2 + ((*weight - 1) * 262142) / 9999;
  }
  if (auto text = ReadFile(root, kV2CpuMax)) {
    std::string_view line = FirstLine(*text);
    std::string_view quota = NextToken(&line);
    stats->cpu_quota_us = quota == "max" ? 0 : ParseUint(quota).value_or(0);
    stats->cpu_period_us = ParseUint(NextToken(&line)).value_or(0);
  }

  stats->memory_usage = ReadUint(root, kV2MemoryCurrent);
  if (auto text = ReadFile(root, kV2MemoryStat)) {
    static constexpr std::string_view kKeys[] = {"anon", "file", "inactive_file"};
    std::optional<uint64_t> v[3];
    ScanKeyedValues(*text, kKeys, v);
    stats->memory_rss = v[0];
    stats->memory_cache = v[1];
    if (stats->memory_usage) stats->memory_working_set = WorkingSet(*stats->memory_usage, v[2]);
  }
  stats->memory_swap = ReadUint(root, kV2SwapCurrent);
  stats->memory_limit = ReadUint(root, kV2MemoryMax);
  if (auto text = ReadFile(root, kV2MemoryEvents)) {
    // v2 has no failcnt; memory.events' "max" counts the same event: usage hit the limit.
    static constexpr std::string_view kKeys[] = {"max", "oom_kill"};
    std::optional<uint64_t> v[2];
    ScanKeyedValues(*text, kKeys, v);
    stats->memory_failcnt = v[0];
    stats->oom_events = v[1];
  }

  if (auto text = ReadFile(root, kV2IoStat)) {
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
