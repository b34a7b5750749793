// Files kept open between collections: reads that see new content, cgroups that come and go,
// a removed cgroup's ENODEV, and running short of descriptors.

#include "collect/kept_file.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "collect/cgroup.h"
#include "collect/collect_test_util.h"
#include "collect/net_dev.h"
#include "collect/text_file.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

namespace fs = std::filesystem;

const char kSsh[] = "/system.slice/ssh.service";

size_t OpenDescriptors() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n - 1;  // The iterator's own.
}

// Sets the soft limit on open files for the scope of the object.
class OpenFileLimit {
 public:
  explicit OpenFileLimit(rlim_t soft) {
    getrlimit(RLIMIT_NOFILE, &old_);
    rlimit lowered = old_;
    lowered.rlim_cur = soft;
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
  }
  ~OpenFileLimit() { setrlimit(RLIMIT_NOFILE, &old_); }

 private:
  rlimit old_{};
};

// The containers' series of `samples`, without the collector's own (its duration varies).
std::map<model::Labels, double> ContainerSeries(const std::map<model::Labels, double>& samples) {
  std::map<model::Labels, double> out;
  for (const auto& [labels, v] : samples) {
    if (labels.Has("id")) out.emplace(labels, v);
  }
  return out;
}

uint64_t LoopbackReceivedPackets(std::string_view net_dev) {
  uint64_t packets = 0;
  ForEachNetDev(net_dev, [&](std::string_view interface, const NetDevCounters& counters) {
    if (interface == "lo") packets = counters[1];
  });
  return packets;
}

TEST(FdBudgetTest, KeepsUpToItsLimitAndHalvesWhenOutOfDescriptors) {
  FdBudget budget(4);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(budget.Take());
  EXPECT_FALSE(budget.Take());
  budget.Give();
  EXPECT_EQ(budget.kept(), 3u);
  EXPECT_FALSE(budget.NoteOpenError(ENOENT));  // Absent files are normal.
  EXPECT_FALSE(budget.TakeExhausted());
  EXPECT_TRUE(budget.NoteOpenError(EMFILE));
  EXPECT_EQ(budget.limit(), 1u);
  EXPECT_TRUE(budget.TakeExhausted());
  EXPECT_FALSE(budget.TakeExhausted());
}

TEST(KeptFileTest, ProcfsMakesTheContentAfreshOnEachRead) {
  FdBudget budget(8);
  KeptFd file;
  TextFile text_file;
  bool gone = false;
  auto before = text_file.ReadKept(&file, budget, AT_FDCWD, "/proc/self/net/dev", &gone);
  ASSERT_TRUE(before.has_value());
  ASSERT_GE(file.get(), 0);
  uint64_t packets = LoopbackReceivedPackets(*before);
  // Traffic on loopback only: a datagram to a port nothing listens on still crosses lo.
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(s, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(sendto(s, "x", 1, 0, reinterpret_cast<const sockaddr*>(&to), sizeof(to)), 1);
  }
  close(s);
  int fd = file.get();
  auto after = text_file.ReadKept(&file, budget, AT_FDCWD, "/proc/self/net/dev", &gone);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(file.get(), fd);  // Read again, not reopened.
  EXPECT_GE(LoopbackReceivedPackets(*after), packets + 3);
  EXPECT_FALSE(gone);
}

// A cgroup made in the machine's own cgroup file system, removed with the object.
class ScratchCgroup {
 public:
  ScratchCgroup() {
    bool v2 = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0;
    std::string name = "argus-test-" + std::to_string(getpid());
    dir_ = (v2 ? "/sys/fs/cgroup/" : "/sys/fs/cgroup/memory/") + name;
    path_ = "/" + name;
    made_ = mkdir(dir_.c_str(), 0755) == 0;
  }
  ~ScratchCgroup() {
    if (made_) rmdir(dir_.c_str());
  }
  bool made() const { return made_; }
  bool Remove() {
    made_ = !(rmdir(dir_.c_str()) == 0);
    return !made_;
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
  bool made_ = false;
};

TEST(KeptFileTest, RemovedCgroupAnswersEnodevAndClosesItsFiles) {
  ScratchCgroup cgroup;
  if (!cgroup.made()) {
    GTEST_SKIP() << "cannot make a cgroup in /sys/fs/cgroup here (" << std::strerror(errno)
                 << "); the kernel's ENODEV for a removed cgroup's files is not checked";
  }
  FdBudget budget(1000);
  auto fs = CgroupFs::Open("/sys/fs/cgroup", budget);
  ASSERT_TRUE(fs.ok()) << fs.status().message();
  CgroupFiles files;
  CgroupStats stats;
  ASSERT_TRUE((*fs)->Read(cgroup.path(), &files, &stats));
  EXPECT_EQ(stats.processes, 0u);
  ASSERT_TRUE((*fs)->Read(cgroup.path(), &files, &stats));  // Through the kept files.
  size_t kept = budget.kept();
  EXPECT_GT(kept, 1u);
  ASSERT_TRUE(cgroup.Remove()) << std::strerror(errno);
  EXPECT_FALSE((*fs)->Read(cgroup.path(), &files, &stats));
  EXPECT_EQ(budget.kept(), 0u);
}

class ContainerFilesTest : public ::testing::Test {
 protected:
  ContainerFixture fixture_{"cgroup_v2"};
  ManualClock clock_;

  std::map<model::Labels, double> CollectAgain(CollectHarness& harness) {
    harness.clock().Advance(std::chrono::seconds(15));
    return harness.Collect();
  }
  fs::path Ssh() const { return fixture_.cgroups() / "system.slice/ssh.service"; }
};

TEST_F(ContainerFilesTest, ContainersComingAndGoingOpenAndCloseTheirFiles) {
  CollectHarness harness(fixture_.Collector(clock_));
  harness.Collect();
  size_t steady = OpenDescriptors();
  harness.Collect();
  EXPECT_EQ(OpenDescriptors(), steady);  // Nothing opened anew for known cgroups.

  fs::copy(Ssh(), fixture_.cgroups() / "system.slice/cron.service");
  auto s = CollectAgain(harness);
  EXPECT_SAMPLE(s,
                Container("container_memory_usage_bytes", "/system.slice/cron.service",
                          {{"name", "cron.service"}}),
                8388608);
  EXPECT_GT(OpenDescriptors(), steady + 5);

  // A cgroup in a cgroup, both new: found, though nothing listed the outer one before.
  fs::create_directories(fixture_.cgroups() / "system.slice/batch.slice/job.scope");
  s = CollectAgain(harness);
  size_t job = 0;
  for (const auto& [labels, v] : s)
    job += labels.Get("id") == "/system.slice/batch.slice/job.scope";
  EXPECT_GT(job, 0u);
  fs::remove_all(fixture_.cgroups() / "system.slice/batch.slice");

  fs::remove_all(fixture_.cgroups() / "system.slice/cron.service");
  s = CollectAgain(harness);
  EXPECT_EQ(OpenDescriptors(), steady);  // Closed in the collection that saw it go.
  auto cron = Container("container_memory_usage_bytes", "/system.slice/cron.service",
                        {{"name", "cron.service"}});
  ASSERT_EQ(s.count(cron), 1u);
  EXPECT_TRUE(storage::IsStaleNaN(s.at(cron)));
}

TEST_F(ContainerFilesTest, FilesRewrittenInPlaceAreReadAgain) {
  CollectHarness harness(fixture_.Collector(clock_));
  auto usage = Container("container_memory_usage_bytes", kSsh, {{"name", "ssh.service"}});
  auto s = harness.Collect();
  EXPECT_SAMPLE(s, usage, 8388608);
  std::ofstream(Ssh() / "memory.current") << "9437184\n";  // The same inode, as the kernel's.
  s = CollectAgain(harness);
  EXPECT_SAMPLE(s, usage, 9437184);
}

TEST_F(ContainerFilesTest, WhatTheBudgetCannotKeepIsOpenedForEachRead) {
  std::map<model::Labels, double> unlimited;
  {
    CollectHarness harness(fixture_.Collector(clock_));
    unlimited = ContainerSeries(harness.Collect());
  }
  ASSERT_GT(unlimited.size(), 50u);
  // Room for a dozen kept files: the budget is half the limit, most of which is open already.
  OpenFileLimit limit(OpenDescriptors() + 24);
  CollectHarness harness(fixture_.Collector(clock_));
  EXPECT_EQ(ContainerSeries(harness.Collect()), unlimited);
  EXPECT_EQ(ContainerSeries(CollectAgain(harness)), unlimited);
}

TEST_F(ContainerFilesTest, RunningOutOfDescriptorsClosesKeptFilesAndLosesNothing) {
  CollectHarness harness(fixture_.Collector(clock_));
  harness.Collect();
  fs::copy(Ssh(), fixture_.cgroups() / "system.slice/cron.service");
  std::map<model::Labels, double> s;
  {
    // Every descriptor taken, so that opening the new cgroup's files fails with EMFILE.
    OpenFileLimit limit(OpenDescriptors() + 16);
    std::vector<int> hogs;
    for (int fd; (fd = dup(0)) >= 0;) hogs.push_back(fd);
    ASSERT_EQ(errno, EMFILE);
    s = CollectAgain(harness);
    for (int fd : hogs) close(fd);
  }
  EXPECT_SAMPLE(s,
                Container("container_memory_usage_bytes", "/system.slice/cron.service",
                          {{"name", "cron.service"}}),
                8388608);
  // Every series there, none stale: what a collector with descriptors to spare reads.
  CollectHarness reference(fixture_.Collector(clock_));
  // Start times aside: system.slice's is its directory's time when first seen, which the new
  // cgroup moved.
  auto without_start_times = [](std::map<model::Labels, double> samples) {
    std::erase_if(samples, [](const auto& sample) {
      return sample.first.MetricName() == "container_start_time_seconds";
    });
    return ContainerSeries(samples);
  };
  EXPECT_EQ(without_start_times(s), without_start_times(reference.Collect()));
}

}  // namespace
}  // namespace argus::collect
