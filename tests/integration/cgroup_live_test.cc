// The container collector on this machine's own cgroups: a busy child process in a cgroup of its
// own shows its CPU time growing between two collections.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/clock.h"
#include "collect/collect_loop.h"
#include "collect/collect_test_util.h"
#include "collect/container_collector.h"
#include "storage/memory_storage.h"

namespace argus::collect {
namespace {

constexpr char kCgroupRoot[] = "/sys/fs/cgroup";

// The hierarchy that accounts CPU time: the unified one, or v1's cpuacct.
std::filesystem::path CpuHierarchy() {
  std::filesystem::path root = kCgroupRoot;
  if (std::filesystem::exists(root / "cgroup.controllers")) return root;
  for (const char* name : {"cpu,cpuacct", "cpuacct,cpu", "cpuacct"}) {
    if (std::filesystem::exists(root / name / "cpuacct.usage")) return root / name;
  }
  return {};
}

double CpuSecondsOfThisProcess() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A child that, once told through a pipe, burns `seconds` of CPU time as its own getrusage
// counts it, says so through another pipe, and waits to be killed.
class BusyChild {
 public:
  explicit BusyChild(double seconds) {
    EXPECT_EQ(pipe(go_), 0);
    EXPECT_EQ(pipe(done_), 0);
    pid_ = fork();
    if (pid_ == 0) {
      char c;
      if (read(go_[0], &c, 1) != 1) _exit(1);
      double start = CpuSecondsOfThisProcess();
      volatile uint64_t spin = 0;
      while (CpuSecondsOfThisProcess() - start < seconds) {
        for (int i = 0; i < 100000; ++i) spin = spin + 1;
      }
      if (write(done_[1], "x", 1) != 1) _exit(1);
      pause();
      _exit(0);
    }
  }
  ~BusyChild() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    for (int fd : {go_[0], go_[1], done_[0], done_[1]}) close(fd);
  }
  pid_t pid() const { return pid_; }
  // Lets it spin and blocks until it has burnt its CPU time.
  bool Work() {
    char c = 'x';
    return write(go_[1], &c, 1) == 1 && read(done_[0], &c, 1) == 1;
  }

 private:
  pid_t pid_ = -1;
  int go_[2] = {-1, -1};
  int done_[2] = {-1, -1};
};

double CpuUsage(storage::Storage& storage, const std::string& id) {
  for (const auto& [labels, v] : NewestValues(storage)) {
    if (labels.MetricName() == "container_cpu_usage_seconds_total" && labels.Get("id") == id) {
      return v;
    }
  }
  return NAN;
}

TEST(CgroupLiveTest, BusyProcessCpuGrows) {
  std::filesystem::path hierarchy = CpuHierarchy();
  if (hierarchy.empty())
    GTEST_SKIP() << "no cgroup hierarchy accounts CPU time under /sys/fs/cgroup";
  std::string name = "argus-live-test-" + std::to_string(getpid());
  std::filesystem::path cgroup = hierarchy / name;
  if (mkdir(cgroup.c_str(), 0755) != 0) {
    GTEST_SKIP() << "cannot create a cgroup at " << cgroup << ": " << std::strerror(errno)
                 << " (needs root and a writable cgroup file system)";
  }
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { rmdir(dir.c_str()); }
  };
  Cleanup cleanup{cgroup};  // After the child is gone: a cgroup with processes cannot go.
  {
    BusyChild child(0.3);
    {
      std::ofstream procs(cgroup / "cgroup.procs");
      procs << child.pid() << std::flush;
      if (!procs) GTEST_SKIP() << "cannot move a process into " << cgroup;
    }
    ManualClock clock;
    auto storage = storage::NewMemoryStorage();
    CollectLoop loop(std::make_unique<ContainerCollector>(
                         ContainerPaths{kCgroupRoot, "/proc", "/sys", "", ""}, clock),
                     model::Labels{{"job", "cadvisor"}, {"instance", "live"}}, *storage, clock);
    loop.RunOnce();
    ASSERT_EQ(loop.health().state, scrape::Health::kUp) << loop.health().last_error;
    double before = CpuUsage(*storage, "/" + name);
    ASSERT_FALSE(std::isnan(before)) << "no container_cpu_usage_seconds_total for /" << name;

    ASSERT_TRUE(child.Work());
    clock.Advance(std::chrono::seconds(15));
    loop.RunOnce();
    double after = CpuUsage(*storage, "/" + name);
    EXPECT_GE(after - before, 0.25) << "before " << before << " after " << after;
  }
}

}  // namespace
}  // namespace argus::collect
