#pragma once

#include <absl/container/flat_hash_set.h>
#include <absl/functional/function_ref.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "collect/kept_file.h"
#include "collect/text_file.h"

namespace argus::collect {

enum class CgroupVersion { kV1, kV2 };

// One cgroup's readings, in cAdvisor's units and with its arithmetic: CPU in nanoseconds,
// memory in bytes, the working set as usage minus inactive file pages (floored at 0), CPU shares
// from cpu.weight on v2. Absent where the controller or the file is not there.
struct CgroupStats {
  std::optional<uint64_t> cpu_usage_ns, cpu_user_ns, cpu_system_ns;
  std::optional<uint64_t> cfs_periods, cfs_throttled_periods, cfs_throttled_ns;
  std::optional<uint64_t> cpu_shares;
  uint64_t cpu_quota_us = 0;  // 0: no quota ("max", -1).
  uint64_t cpu_period_us = 0;
  std::optional<uint64_t> memory_usage, memory_working_set, memory_rss, memory_cache;
  std::optional<uint64_t> memory_swap, memory_failcnt, oom_events;
  // As the kernel says: "max" on v2 and v1's page-rounded 2^63 are huge numbers here.
  std::optional<uint64_t> memory_limit;
  std::optional<uint64_t> processes;  // In this cgroup itself, as cgroup.procs lists them.
  std::optional<uint64_t> first_pid;  // One of them, for its network namespace.
  struct DeviceIo {
    uint32_t major = 0;
    uint32_t minor = 0;
    uint64_t read_bytes = 0;
    uint64_t write_bytes = 0;
  };
  std::vector<DeviceIo> io;  // Cleared, not freed, between reads.
};

// The descriptors of one cgroup's directories and files, which CgroupFs's walks and reads keep
// open from one collection to the next (so that a read is a pread per file), with its
// directories' watches and subdirectories. The caller owns one per cgroup and lets the cgroup go
// by destroying it (or closes its descriptors with Close); a watch lasts as long as its directory.
// It must not outlive the FdBudget of the CgroupFs that filled it.
class CgroupFiles {
 public:
  static constexpr size_t kHierarchies = 5;  // cpu, cpuacct, memory, blkio, pids.
  static constexpr size_t kFiles = 17;       // The most a version reads (v1's).

  void Close();

 private:
  friend class CgroupFs;
  std::array<KeptFd, kHierarchies> dirs_;  // By walk root; readable, for listing too.
  std::array<KeptFd, kFiles> files_;       // By the version's file slot.
  // By walk root: the inotify watch on the directory (-1: none), and its subdirectories as last
  // listed, which stand while the watch reports no change.
  std::array<int, kHierarchies> watches_{-1, -1, -1, -1, -1};
  std::array<std::vector<std::string>, kHierarchies> children_;
};

// The cgroup file system mounted at a root (/sys/fs/cgroup): cgroup v2 when the root is the
// unified hierarchy (it has cgroup.controllers), otherwise v1 with one hierarchy per controller
// in a subdirectory (cpu, cpuacct or "cpu,cpuacct", memory, blkio, pids). Cgroups are named by
// their path below the root, "/" for the root itself, as cAdvisor's `id` label names them.
// Reads allocate nothing once their buffers have grown. Not thread-safe.
class CgroupFs {
 public:
  // Detects the version and the v1 hierarchies; kIOError when `root` holds neither. The files
  // that reads keep open count against `budget`, which must outlive the CgroupFs.
  static Result<std::unique_ptr<CgroupFs>> Open(const std::string& root, FdBudget& budget);
  ~CgroupFs();

  CgroupVersion version() const { return version_; }

  // Calls `f` for every cgroup, parents before children. On v1 a cgroup that exists in several
  // hierarchies comes once per hierarchy. The view is valid for the call. `f` returns the
  // cgroup's CgroupFiles, which must stay where they are until the walk ends, in which the walk
  // keeps the cgroup's directory open and watched with inotify, as cAdvisor watches them: a
  // directory is listed again only when the watch reports a subdirectory made or removed (or
  // when it cannot be watched: inotify's limit of watches reached).
  void Walk(absl::FunctionRef<CgroupFiles*(std::string_view)> f);

  // Reads the statistics of cgroup `path` into `*stats`, replacing what it held, through the
  // descriptors `*files` keeps for it (opening those it does not have yet). False when the cgroup
  // was removed since `*files` was opened (its files answer ENODEV): `*files` is closed then and
  // `*stats` incomplete.
  [[nodiscard]] bool Read(std::string_view path, CgroupFiles* files, CgroupStats* stats);

  // The modification time of the cgroup's directory in seconds since the epoch (the oldest over
  // the v1 hierarchies), which cAdvisor reports as a raw cgroup's start time.
  std::optional<double> CreationTime(std::string_view path);

 private:
  // Indexes into walk_roots_; -1 where the controller is not mounted.
  struct Hierarchies {
    int cpu = -1, cpuacct = -1, memory = -1, blkio = -1, pids = -1;
  };
  CgroupFs(CgroupVersion version, std::vector<std::string> roots, Hierarchies hierarchies,
           FdBudget& budget);
  // Reads the watches' events into changed_.
  void ReadWatchEvents();
  // Lists the directory open as `fd` (walk_path_) into `*children`.
  void List(int fd, size_t depth, std::vector<std::string>* children);
  // Visits the cgroup at walk_path_ in walk root `root`, then its children.
  void WalkDir(size_t root, size_t depth, absl::FunctionRef<CgroupFiles*(std::string_view)> f);
  // Reads the file in `slot` (of the version's files) of the cgroup being read, in `hierarchy`.
  std::optional<std::string_view> ReadFile(int hierarchy, size_t slot);
  std::optional<uint64_t> ReadUint(int hierarchy, size_t slot);
  // The directory of the cgroup being read in `hierarchy`, -1 when it is not there.
  int DirFd(int hierarchy);
  void ReadV1(CgroupStats* stats);
  void ReadV2(CgroupStats* stats);
  void ReadProcs(int hierarchy, size_t slot, CgroupStats* stats);

  const CgroupVersion version_;
  const std::vector<std::string> walk_roots_;  // Absolute, distinct; one on v2.
  const Hierarchies hierarchies_;
  FdBudget& budget_;
  // The cgroup being read: its path, descriptors, and whether a file answered ENODEV.
  std::string_view read_path_;
  CgroupFiles* read_files_ = nullptr;
  bool read_gone_ = false;
  // Directories opened for the read at hand only (the budget did not allow keeping them), closed
  // when it ends; -2 where the cgroup is not in that hierarchy.
  std::array<int, CgroupFiles::kHierarchies> read_dirs_{};
  TextFile file_;
  std::string path_;
  std::string walk_path_;
  int inotify_fd_ = -1;               // -1: no watches, every directory listed on every walk.
  absl::flat_hash_set<int> changed_;  // Watches with events since the last walk.
  bool overflowed_ = false;           // Events were lost: every directory listed again.
  // Directory entries, by depth; one per depth from the start, so that none moves while a
  // shallower walk reads its own.
  std::vector<std::string> walk_buffers_;
};

}  // namespace argus::collect
