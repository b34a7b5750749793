#include "collect/container_collector.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "collect/collect_test_util.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

const double kHz = static_cast<double>(sysconf(_SC_CLK_TCK));
constexpr char kD1[] = "4a9f6c1e2b3d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";
constexpr char kK1[] = "9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b";
constexpr char kD2[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr char kK2[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
constexpr char kU1[] = "6e1f7a5c-2b9d-4c3e-8f10-a2b3c4d5e6f7";
constexpr char kU2[] = "11111111-2222-3333-4444-555555555555";
constexpr char kU3[] = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

void SetMtime(const std::filesystem::path& dir, double seconds) {
  timespec times[2];
  times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(seconds);
  times[0].tv_nsec = times[1].tv_nsec = 0;
  ASSERT_EQ(utimensat(AT_FDCWD, dir.c_str(), times, 0), 0) << dir;
}

model::Labels With(model::Labels labels,
                   std::initializer_list<std::pair<std::string_view, std::string_view>> extra) {
  model::LabelsBuilder b(labels);
  for (const auto& [n, v] : extra) b.Set(n, v);
  return b.Build();
}

size_t CountNamed(const std::map<model::Labels, double>& samples, std::string_view name) {
  size_t n = 0;
  for (const auto& [labels, v] : samples) n += labels.MetricName() == name;
  return n;
}

TEST(ContainerCollectorV1Test, DockerContainer) {
  ContainerFixture fixture("cgroup_v1");
  const std::string docker = std::string("/docker/") + kD1;
  SetMtime(fixture.cgroups() / ("cpu,cpuacct" + docker), 1690000100);
  SetMtime(fixture.cgroups() / ("memory" + docker), 1690000000);  // The oldest wins.
  ManualClock clock;
  CollectHarness harness(fixture.Collector(clock));
  auto s = harness.Collect();
  EXPECT_SAMPLE(s, Series("up"), 1);
  auto c = [&](std::string_view metric,
               std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
    return With(Container(metric, docker, extra), {{"name", kD1}});
  };
  EXPECT_SAMPLE(s, c("container_cpu_usage_seconds_total", {{"cpu", "total"}}), 2.5);
  EXPECT_SAMPLE(s, c("container_cpu_user_seconds_total"), 150 / kHz);
  EXPECT_SAMPLE(s, c("container_cpu_system_seconds_total"), 80 / kHz);
  EXPECT_SAMPLE(s, c("container_cpu_cfs_periods_total"), 1000);
  EXPECT_SAMPLE(s, c("container_cpu_cfs_throttled_periods_total"), 25);
  EXPECT_SAMPLE(s, c("container_cpu_cfs_throttled_seconds_total"), 1.5);
  EXPECT_SAMPLE(s, c("container_spec_cpu_quota"), 50000);
  EXPECT_SAMPLE(s, c("container_spec_cpu_period"), 100000);
  EXPECT_SAMPLE(s, c("container_spec_cpu_shares"), 512);
  EXPECT_SAMPLE(s, c("container_memory_usage_bytes"), 104857600);
  // use_hierarchy is 1: the total_* figures; working set = usage − total_inactive_file.
  EXPECT_SAMPLE(s, c("container_memory_working_set_bytes"), 104857600 - 10485760);
  EXPECT_SAMPLE(s, c("container_memory_rss"), 73400320);
  EXPECT_SAMPLE(s, c("container_memory_cache"), 20971520);
  EXPECT_SAMPLE(s, c("container_memory_swap"), 1048576);
  EXPECT_SAMPLE(s, c("container_memory_failcnt"), 3);
  EXPECT_SAMPLE(s, c("container_oom_events_total"), 1);
  EXPECT_SAMPLE(s, c("container_spec_memory_limit_bytes"), 268435456);
  // The throttling layer's counters, since CFQ's file holds only "Total 0".
  EXPECT_SAMPLE(s, c("container_fs_reads_bytes_total", {{"device", "/dev/sda"}}), 4096);
  EXPECT_SAMPLE(s, c("container_fs_writes_bytes_total", {{"device", "/dev/sda"}}), 8192);
  EXPECT_SAMPLE(s, c("container_processes"), 2);
  EXPECT_SAMPLE(s, c("container_start_time_seconds"), 1690000000);
  EXPECT_SAMPLE(s, c("container_last_seen"), 1700000000);
  // Its network namespace, through its first process; lo and veth* left out.
  EXPECT_SAMPLE(s, c("container_network_receive_bytes_total", {{"interface", "eth0"}}), 3000);
  EXPECT_SAMPLE(s, c("container_network_receive_packets_total", {{"interface", "eth0"}}), 10);
  EXPECT_SAMPLE(s, c("container_network_receive_errors_total", {{"interface", "eth0"}}), 1);
  EXPECT_SAMPLE(s, c("container_network_receive_packets_dropped_total", {{"interface", "eth0"}}),
                2);
  EXPECT_SAMPLE(s, c("container_network_transmit_bytes_total", {{"interface", "eth0"}}), 4000);
  EXPECT_SAMPLE(s, c("container_network_transmit_errors_total", {{"interface", "eth0"}}), 3);
  EXPECT_SAMPLE(s, c("container_network_transmit_packets_dropped_total", {{"interface", "eth0"}}),
                4);
  EXPECT_EQ(s.count(c("container_network_receive_bytes_total", {{"interface", "lo"}})), 0u);
  EXPECT_EQ(s.count(c("container_network_receive_bytes_total", {{"interface", "veth1a2b"}})), 0u);
}

TEST(ContainerCollectorV1Test, RootKubepodsAndServices) {
  ContainerFixture fixture("cgroup_v1");
  ManualClock clock;
  // A Docker socket is configured but absent, as on a node that runs containerd: the cgroupfs
  // layout does not say which runtime runs the kubepods containers, the logs still name them.
  CollectHarness harness(fixture.Collector(clock, (fixture.logs() / "docker.sock").string()));
  auto s = harness.Collect();
  EXPECT_EQ(CountNamed(s, "container_last_seen"), 12u);  // Every cgroup of the fixture.

  EXPECT_SAMPLE(s, Container("container_cpu_usage_seconds_total", "/", {{"cpu", "total"}}), 900);
  // 9223372036854771712, v1's "no limit", is 0 as cAdvisor reports it; -1 is no quota at all.
  EXPECT_SAMPLE(s, Container("container_spec_memory_limit_bytes", "/"), 0);
  EXPECT_EQ(s.count(Container("container_spec_cpu_quota", "/")), 0u);
  EXPECT_SAMPLE(s, Container("container_memory_working_set_bytes", "/"), 7e9);
  EXPECT_SAMPLE(s, Container("container_network_receive_bytes_total", "/", {{"interface", "eth0"}}),
                1000000);
  // No CFS periods ran: no CFS series, as cAdvisor.
  EXPECT_EQ(s.count(Container("container_cpu_cfs_periods_total", "/")), 0u);

  const std::string pod = std::string("/kubepods/burstable/pod") + kU1;
  // Pod and namespace from the kubelet's log directories.
  auto pod_labels = [&](std::string_view metric) {
    return With(Container(metric, pod), {{"pod_uid", kU1},
                                         {"qos_class", "burstable"},
                                         {"pod", "web-7d4b9c-x2x9z"},
                                         {"namespace", "shop"}});
  };
  EXPECT_SAMPLE(s, With(pod_labels("container_cpu_usage_seconds_total"), {{"cpu", "total"}}), 3);
  EXPECT_SAMPLE(s, pod_labels("container_spec_memory_limit_bytes"), 0);
  EXPECT_EQ(s.count(pod_labels("container_network_receive_bytes_total")), 0u);

  const std::string container = pod + "/" + kK1;
  auto k1 = [&](std::string_view metric,
                std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
    return With(Container(metric, container, extra), {{"name", kK1},
                                                      {"pod_uid", kU1},
                                                      {"qos_class", "burstable"},
                                                      {"container", "app"},
                                                      {"pod", "web-7d4b9c-x2x9z"},
                                                      {"namespace", "shop"}});
  };
  // Inactive file pages above usage: the working set floors at 0.
  EXPECT_SAMPLE(s, k1("container_memory_working_set_bytes"), 0);
  EXPECT_SAMPLE(s, k1("container_spec_memory_limit_bytes"), 536870912);
  EXPECT_SAMPLE(s, k1("container_spec_cpu_quota"), 20000);
  EXPECT_SAMPLE(s, k1("container_cpu_cfs_throttled_seconds_total"), 0.8);
  EXPECT_SAMPLE(s, k1("container_network_transmit_bytes_total", {{"interface", "eth0"}}), 4000);

  EXPECT_SAMPLE(
      s,
      With(Container("container_spec_cpu_shares", std::string("/kubepods/besteffort/pod") + kU2),
           {{"pod_uid", kU2}, {"qos_class", "besteffort"}}),
      2);
  EXPECT_SAMPLE(s,
                With(Container("container_memory_failcnt", std::string("/kubepods/pod") + kU3),
                     {{"pod_uid", kU3},
                      {"qos_class", "guaranteed"},
                      {"pod", "etcd-node1"},
                      {"namespace", "kube-system"}}),
                9);

  auto ssh = [](std::string_view metric) {
    return With(Container(metric, "/system.slice/ssh.service"), {{"name", "ssh.service"}});
  };
  EXPECT_SAMPLE(s, ssh("container_memory_working_set_bytes"), 4194304 - 1048576);
  EXPECT_SAMPLE(s, ssh("container_processes"), 1);
  EXPECT_EQ(s.count(ssh("container_network_receive_bytes_total")), 0u);
}

TEST(ContainerCollectorV2Test, UnifiedHierarchy) {
  ContainerFixture fixture("cgroup_v2");
  const std::string docker = std::string("/system.slice/docker-") + kD2 + ".scope";
  SetMtime(fixture.cgroups() / docker.substr(1), 1695000000);
  ManualClock clock;
  CollectHarness harness(fixture.Collector(clock));
  auto s = harness.Collect();
  EXPECT_SAMPLE(s, Series("up"), 1);
  auto d = [&](std::string_view metric,
               std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
    return With(Container(metric, docker, extra), {{"name", kD2}});
  };
  EXPECT_SAMPLE(s, d("container_cpu_usage_seconds_total", {{"cpu", "total"}}), 3);
  EXPECT_SAMPLE(s, d("container_cpu_user_seconds_total"), 2);
  EXPECT_SAMPLE(s, d("container_cpu_system_seconds_total"), 1);
  // cpu.weight 100 is v1's 1024-ish: 2 + (100 − 1) × 262142 / 9999 = 2597.
  EXPECT_SAMPLE(s, d("container_spec_cpu_shares"), 2597);
  EXPECT_SAMPLE(s, d("container_spec_cpu_period"), 100000);
  EXPECT_EQ(s.count(d("container_spec_cpu_quota")), 0u);  // cpu.max "max 100000".
  EXPECT_SAMPLE(s, d("container_memory_usage_bytes"), 52428800);
  EXPECT_SAMPLE(s, d("container_memory_working_set_bytes"), 0);  // inactive_file > usage.
  EXPECT_SAMPLE(s, d("container_memory_rss"), 31457280);
  EXPECT_SAMPLE(s, d("container_memory_cache"), 15728640);
  EXPECT_SAMPLE(s, d("container_memory_swap"), 0);
  EXPECT_SAMPLE(s, d("container_spec_memory_limit_bytes"), 0);  // memory.max "max".
  EXPECT_SAMPLE(s, d("container_memory_failcnt"), 7);
  EXPECT_SAMPLE(s, d("container_oom_events_total"), 1);
  EXPECT_SAMPLE(s, d("container_fs_reads_bytes_total", {{"device", "/dev/sda"}}), 1048576);
  EXPECT_SAMPLE(s, d("container_fs_writes_bytes_total", {{"device", "/dev/sda"}}), 2097152);
  EXPECT_SAMPLE(s, d("container_processes"), 2);
  EXPECT_SAMPLE(s, d("container_start_time_seconds"), 1695000000);
  EXPECT_SAMPLE(s, d("container_network_receive_bytes_total", {{"interface", "eth0"}}), 5000);

  const std::string pod = std::string(
                              "/kubepods.slice/kubepods-burstable.slice/"
                              "kubepods-burstable-pod") +
                          "6e1f7a5c_2b9d_4c3e_8f10_a2b3c4d5e6f7.slice";
  const std::string container = pod + "/cri-containerd-" + kK2 + ".scope";
  auto k2 = [&](std::string_view metric) {
    return With(Container(metric, container), {{"name", kK2},
                                               {"pod_uid", kU1},
                                               {"qos_class", "burstable"},
                                               {"container", "app"},
                                               {"pod", "web-7d4b9c-x2x9z"},
                                               {"namespace", "shop"}});
  };
  EXPECT_SAMPLE(s, k2("container_cpu_cfs_periods_total"), 500);
  EXPECT_SAMPLE(s, k2("container_cpu_cfs_throttled_periods_total"), 50);
  EXPECT_SAMPLE(s, k2("container_cpu_cfs_throttled_seconds_total"), 2.5);
  EXPECT_SAMPLE(s, k2("container_spec_cpu_quota"), 20000);
  EXPECT_SAMPLE(s, k2("container_spec_cpu_shares"), 185);  // 2 + 7 × 262142 / 9999.
  EXPECT_SAMPLE(s, k2("container_spec_memory_limit_bytes"), 268435456);
  EXPECT_SAMPLE(s, k2("container_memory_working_set_bytes"), 190000000 - 15000000);
  EXPECT_SAMPLE(s, k2("container_memory_swap"), 4096);
  EXPECT_SAMPLE(s, k2("container_oom_events_total"), 2);
  EXPECT_SAMPLE(
      s,
      With(Container("container_spec_memory_limit_bytes", pod), {{"pod_uid", kU1},
                                                                 {"qos_class", "burstable"},
                                                                 {"pod", "web-7d4b9c-x2x9z"},
                                                                 {"namespace", "shop"}}),
      0);
  EXPECT_SAMPLE(s,
                With(Container("container_spec_cpu_quota",
                               "/kubepods.slice/"
                               "kubepods-podaaaaaaaa_bbbb_cccc_dddd_eeeeeeeeeeee.slice"),
                     {{"pod_uid", kU3},
                      {"qos_class", "guaranteed"},
                      {"pod", "etcd-node1"},
                      {"namespace", "kube-system"}}),
                100000);
  EXPECT_SAMPLE(s, Container("container_fs_reads_bytes_total", "/", {{"device", "/dev/sda"}}), 99);
  EXPECT_SAMPLE(s, Container("container_processes", "/"), 0);
  EXPECT_SAMPLE(s,
                With(Container("container_memory_usage_bytes", "/system.slice/ssh.service"),
                     {{"name", "ssh.service"}}),
                8388608);
}

TEST(ContainerCollectorV2Test, StoppedContainerGoesStale) {
  ContainerFixture fixture("cgroup_v2");
  ManualClock clock;
  CollectHarness harness(fixture.Collector(clock));
  harness.Collect();
  std::filesystem::remove_all(fixture.cgroups() / "system.slice/ssh.service");
  harness.clock().Advance(std::chrono::seconds(15));
  auto s = harness.Collect();
  size_t stale = 0;
  for (const auto& [labels, v] : s) {
    if (labels.Get("id") == "/system.slice/ssh.service") {
      EXPECT_TRUE(storage::IsStaleNaN(v)) << labels.ToString();
      ++stale;
    } else if (labels.Has("id")) {
      EXPECT_FALSE(storage::IsStaleNaN(v)) << labels.ToString();
    }
  }
  EXPECT_GT(stale, 5u);
  harness.clock().Advance(std::chrono::seconds(1));
  harness.loop().MarkStale();
  for (const auto& [labels, v] : harness.Newest()) {
    EXPECT_TRUE(storage::IsStaleNaN(v)) << labels.ToString();
  }
  // A collection that was due when the collector went does not bring the series back.
  harness.clock().Advance(std::chrono::seconds(1));
  for (const auto& [labels, v] : harness.Collect()) {
    EXPECT_TRUE(storage::IsStaleNaN(v)) << labels.ToString();
  }
}

TEST(ContainerCollectorV2Test, PodNamedOnceItsLogsAppear) {
  ContainerFixture fixture("cgroup_v2");
  ManualClock clock;
  // A Docker socket is configured but absent, as on a node that runs containerd.
  CollectHarness harness(fixture.Collector(clock, (fixture.logs() / "docker.sock").string()));
  const std::string pod =
      "/kubepods.slice/kubepods-besteffort.slice/"
      "kubepods-besteffort-pod11111111_2222_3333_4444_555555555555.slice";
  auto usage = [&](std::initializer_list<std::pair<std::string_view, std::string_view>> names) {
    return With(With(Container("container_cpu_usage_seconds_total", pod, {{"cpu", "total"}}),
                     {{"pod_uid", kU2}, {"qos_class", "besteffort"}}),
                names);
  };
  auto s = harness.Collect();
  EXPECT_SAMPLE(s, usage({}), 0.9);
  // containerd's container, named from the logs.
  const std::string k2 = std::string(
                             "/kubepods.slice/kubepods-burstable.slice/"
                             "kubepods-burstable-pod6e1f7a5c_2b9d_4c3e_8f10_a2b3c4d5e6f7.slice/"
                             "cri-containerd-") +
                         kK2 + ".scope";
  EXPECT_SAMPLE(s,
                With(Container("container_processes", k2), {{"name", kK2},
                                                            {"pod_uid", kU1},
                                                            {"qos_class", "burstable"},
                                                            {"container", "app"},
                                                            {"pod", "web-7d4b9c-x2x9z"},
                                                            {"namespace", "shop"}}),
                1);

  std::filesystem::create_directories(fixture.logs() / "pods" /
                                      (std::string("batch_nightly-report-28312_") + kU2) / "job");
  harness.clock().Advance(std::chrono::seconds(15));
  s = harness.Collect();
  EXPECT_SAMPLE(s, usage({{"pod", "nightly-report-28312"}, {"namespace", "batch"}}), 0.9);
  ASSERT_EQ(s.count(usage({})), 1u);
  EXPECT_TRUE(storage::IsStaleNaN(s.at(usage({}))));
}

TEST(PodLogIndexTest, SkipsNamesThatDoNotParse) {
  FixtureCopy logs("containers");
  for (const char* dir :
       {"pods/no-underscores", "pods/a_b", "pods/ns_pod_uid_extra", "pods/_p_u"}) {
    std::filesystem::create_directories(logs.path() / "log" / dir);
  }
  PodLogIndex index((logs.path() / "log").string());
  index.Refresh();
  ASSERT_NE(index.Pod(kU1), nullptr);
  EXPECT_EQ(index.Pod(kU1)->pod, "web-7d4b9c-x2x9z");
  EXPECT_EQ(index.Pod(kU1)->pod_namespace, "shop");
  EXPECT_EQ(index.Pod("b"), nullptr);
  EXPECT_EQ(index.Pod("uid_extra"), nullptr);
  EXPECT_EQ(index.Pod("u"), nullptr);
  ASSERT_NE(index.Container(kK1), nullptr);
  EXPECT_EQ(index.Container(kK1)->container, "app");
  EXPECT_EQ(index.Container("not-a-container"), nullptr);
}

TEST(ContainerCollectorTest, NoCgroupsIsDown) {
  FixtureCopy empty("containers");  // A directory that is no cgroup file system.
  ManualClock clock;
  CollectHarness harness(std::make_unique<ContainerCollector>(
      ContainerPaths{(empty.path() / "sys").string(), "/proc", "/sys", "", ""}, clock));
  auto s = harness.Collect();
  EXPECT_SAMPLE(s, Series("up"), 0);
  EXPECT_NE(harness.loop().health().last_error.find("neither a cgroup v2"), std::string::npos)
      << harness.loop().health().last_error;
}

}  // namespace
}  // namespace argus::collect
