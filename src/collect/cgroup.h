#pragma once

#include <absl/functional/function_ref.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
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

// The cgroup file system mounted at a root (/sys/fs/cgroup): cgroup v2 when the root is the
// unified hierarchy (it has cgroup.controllers), otherwise v1 with one hierarchy per controller
// in a subdirectory (cpu, cpuacct or "cpu,cpuacct", memory, blkio, pids). Cgroups are named by
// their path below the root, "/" for the root itself, as cAdvisor's `id` label names them.
// Reads allocate nothing once their buffers have grown. Not thread-safe.
class CgroupFs {
 public:
  // Detects the version and the v1 hierarchies; kIOError when `root` holds neither.
  static Result<std::unique_ptr<CgroupFs>> Open(const std::string& root);

  CgroupVersion version() const { return version_; }

  // Calls `f` for every cgroup, parents before children. On v1 a cgroup that exists in several
  // hierarchies comes once per hierarchy. The view is valid for the call.
  void Walk(absl::FunctionRef<void(std::string_view)> f);

  // Reads the statistics of cgroup `path` into `*stats`, replacing what it held.
  void Read(std::string_view path, CgroupStats* stats);

  // The modification time of the cgroup's directory in seconds since the epoch (the oldest over
  // the v1 hierarchies), which cAdvisor reports as a raw cgroup's start time.
  std::optional<double> CreationTime(std::string_view path);

 private:
  struct Hierarchies {  // Absolute directories; empty where the controller is not mounted.
    std::string cpu, cpuacct, memory, blkio, pids;
  };
  CgroupFs(CgroupVersion version, Hierarchies hierarchies);
  void WalkDir(size_t root_length, int depth, absl::FunctionRef<void(std::string_view)> f);
  // Reads `file` of cgroup `path` in `hierarchy`, through the directory handle that the read of
  // the cgroup holds for it.
  std::optional<std::string_view> ReadFile(const std::string& hierarchy, std::string_view path,
                                           const char* file);
  std::optional<uint64_t> ReadUint(const std::string& hierarchy, std::string_view path,
                                   const char* file);
  void ReadV1(std::string_view path, CgroupStats* stats);
  void ReadV2(std::string_view path, CgroupStats* stats);
  void ReadProcs(const std::string& hierarchy, std::string_view path, CgroupStats* stats);

  const CgroupVersion version_;
  const Hierarchies hierarchies_;  // On v2, all five are the root.
  std::vector<std::string> walk_roots_;
  // The directories of the cgroup being read, opened once per Read and hierarchy; fd -1 where the
  // cgroup is not in that hierarchy.
  struct OpenDir {
    const std::string* hierarchy = nullptr;
    int fd = -1;
  };
  std::vector<OpenDir> open_dirs_;
  TextFile file_;
  std::string path_;
  std::string walk_path_;
};

}  // namespace argus::collect
