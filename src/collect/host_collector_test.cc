#include "collect/host_collector.h"

#include <gtest/gtest.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "collect/collect_test_util.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

const double kHz = static_cast<double>(sysconf(_SC_CLK_TCK));

std::unique_ptr<HostCollector> FixtureHost(const std::filesystem::path& root, const Clock& clock) {
  return std::make_unique<HostCollector>(
      HostPaths{(root / "proc").string(), (root / "sys").string(), (root / "rootfs").string()},
      clock);
}

class HostCollectorTest : public ::testing::Test {
 protected:
  FixtureCopy tree_{"host"};
  ManualClock clock_;
  CollectHarness harness_{FixtureHost(tree_.path(), clock_)};
};

TEST_F(HostCollectorTest, CpuAndStat) {
  auto s = harness_.Collect();
  EXPECT_SAMPLE(s, Series("up"), 1);
  EXPECT_SAMPLE(s, Series("node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "user"}}), 20000 / kHz);
  EXPECT_SAMPLE(s, Series("node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "idle"}}),
                350000 / kHz);
  EXPECT_SAMPLE(s, Series("node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "iowait"}}), 800 / kHz);
  EXPECT_SAMPLE(s, Series("node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "steal"}}), 25 / kHz);
  EXPECT_SAMPLE(s, Series("node_cpu_guest_seconds_total", {{"cpu", "0"}, {"mode", "user"}}),
                10 / kHz);
  // The "cpu" line is the sum over CPUs: node_exporter does not report it.
  EXPECT_EQ(s.count(Series("node_cpu_seconds_total", {{"cpu", ""}, {"mode", "user"}})), 0u);
  size_t cpu_series = 0;
  for (const auto& [labels, v] : s) cpu_series += labels.MetricName() == "node_cpu_seconds_total";
  EXPECT_EQ(cpu_series, 16u);  // 2 CPUs × 8 modes.
  EXPECT_SAMPLE(s, Series("node_boot_time_seconds"), 1700000000);
  EXPECT_SAMPLE(s, Series("node_context_switches_total"), 123456789);
  EXPECT_SAMPLE(s, Series("node_forks_total"), 54321);
  EXPECT_SAMPLE(s, Series("node_intr_total"), 987654);
  EXPECT_SAMPLE(s, Series("node_procs_running"), 3);
  EXPECT_SAMPLE(s, Series("node_procs_blocked"), 1);
  EXPECT_SAMPLE(s, Series("node_time_seconds"),
                static_cast<double>(harness_.clock().NowMillis()) / 1000);
}

TEST_F(HostCollectorTest, LoadMemoryAndPressure) {
  auto s = harness_.Collect();
  EXPECT_SAMPLE(s, Series("node_load1"), 0.52);
  EXPECT_SAMPLE(s, Series("node_load5"), 0.41);
  EXPECT_SAMPLE(s, Series("node_load15"), 0.30);
  EXPECT_SAMPLE(s, Series("node_memory_MemTotal_bytes"), 16384000.0 * 1024);
  EXPECT_SAMPLE(s, Series("node_memory_MemAvailable_bytes"), 12288000.0 * 1024);
  EXPECT_SAMPLE(s, Series("node_memory_Active_anon_bytes"), 1024000.0 * 1024);
  EXPECT_SAMPLE(s, Series("node_memory_SwapFree_bytes"), 2000000.0 * 1024);
  EXPECT_SAMPLE(s, Series("node_memory_HugePages_Total"), 0);  // No unit: no _bytes.
  EXPECT_SAMPLE(s, Series("node_pressure_cpu_waiting_seconds_total"), 12.5);
  EXPECT_SAMPLE(s, Series("node_pressure_io_waiting_seconds_total"), 3);
  EXPECT_SAMPLE(s, Series("node_pressure_io_stalled_seconds_total"), 1.5);
  // The fixture has no pressure/memory: the collector failed, the rest of it stands.
  EXPECT_SAMPLE(s, Series("node_scrape_collector_success", {{"collector", "pressure"}}), 0);
  EXPECT_SAMPLE(s, Series("node_scrape_collector_success", {{"collector", "meminfo"}}), 1);
  EXPECT_EQ(s.count(Series("node_pressure_memory_waiting_seconds_total")), 0u);
}

TEST_F(HostCollectorTest, NetworkAndDisks) {
  auto s = harness_.Collect();
  EXPECT_SAMPLE(s, Series("node_network_receive_bytes_total", {{"device", "eth0"}}), 987654321);
  EXPECT_SAMPLE(s, Series("node_network_receive_errs_total", {{"device", "eth0"}}), 1);
  EXPECT_SAMPLE(s, Series("node_network_receive_multicast_total", {{"device", "eth0"}}), 6);
  EXPECT_SAMPLE(s, Series("node_network_transmit_packets_total", {{"device", "eth0"}}), 54321);
  EXPECT_SAMPLE(s, Series("node_network_transmit_compressed_total", {{"device", "eth0"}}), 12);
  EXPECT_EQ(s.count(Series("node_network_receive_bytes_total", {{"device", "lo"}})), 0u);
  EXPECT_SAMPLE(s, Series("node_network_up", {{"device", "eth0"}}), 1);
  EXPECT_SAMPLE(s, Series("node_network_up", {{"device", "lo"}}), 0);  // operstate "unknown".
  EXPECT_SAMPLE(s, Series("node_network_mtu_bytes", {{"device", "eth0"}}), 1500);
  EXPECT_SAMPLE(s, Series("node_network_transmit_queue_length", {{"device", "lo"}}), 1000);

  EXPECT_SAMPLE(s, Series("node_disk_reads_completed_total", {{"device", "sda"}}), 1000);
  EXPECT_SAMPLE(s, Series("node_disk_read_bytes_total", {{"device", "sda"}}), 20480.0 * 512);
  EXPECT_SAMPLE(s, Series("node_disk_written_bytes_total", {{"device", "sda"}}), 40960.0 * 512);
  EXPECT_SAMPLE(s, Series("node_disk_write_time_seconds_total", {{"device", "sda"}}), 1.5);
  EXPECT_SAMPLE(s, Series("node_disk_io_time_seconds_total", {{"device", "sda"}}), 1.8);
  EXPECT_SAMPLE(s, Series("node_disk_io_time_weighted_seconds_total", {{"device", "sda"}}), 2);
  EXPECT_SAMPLE(s, Series("node_disk_discarded_sectors_total", {{"device", "sda"}}), 64);
  EXPECT_SAMPLE(s, Series("node_disk_flush_requests_total", {{"device", "sda"}}), 30);
  EXPECT_SAMPLE(s, Series("node_disk_flush_requests_time_seconds_total", {{"device", "sda"}}),
                0.04);
  // An older kernel's line: 11 fields, no discard or flush series.
  EXPECT_SAMPLE(s, Series("node_disk_io_now", {{"device", "dm-0"}}), 2);
  EXPECT_EQ(s.count(Series("node_disk_discards_completed_total", {{"device", "dm-0"}})), 0u);
  // Partitions and loop devices are excluded, as node_exporter's default does.
  for (const char* device : {"sda1", "loop0"}) {
    EXPECT_EQ(s.count(Series("node_disk_reads_completed_total", {{"device", device}})), 0u);
  }
}

TEST_F(HostCollectorTest, FilesystemsAndUname) {
  auto s = harness_.Collect();
  struct statfs root {};
  ASSERT_EQ(statfs((tree_.path() / "rootfs").c_str(), &root), 0);
  auto fs = [](const char* name, const char* device, const char* type, const char* mount) {
    return Series(name, {{"device", device}, {"fstype", type}, {"mountpoint", mount}});
  };
  double block = static_cast<double>(root.f_bsize);
  EXPECT_SAMPLE(s, fs("node_filesystem_size_bytes", "/dev/sda1", "ext4", "/"),
                static_cast<double>(root.f_blocks) * block);
  EXPECT_SAMPLE(s, fs("node_filesystem_files", "/dev/sda1", "ext4", "/"),
                static_cast<double>(root.f_files));
  EXPECT_SAMPLE(s, fs("node_filesystem_readonly", "/dev/sda1", "ext4", "/"), 0);
  EXPECT_SAMPLE(s, fs("node_filesystem_device_error", "/dev/sda1", "ext4", "/"), 0);
  // An escaped space in the mount point, mounted read-only.
  EXPECT_SAMPLE(s, fs("node_filesystem_readonly", "/dev/sdb1", "xfs", "/data disk"), 1);
  // A mount point that cannot be reached: an error, and no sizes.
  EXPECT_SAMPLE(s, fs("node_filesystem_device_error", "/dev/sdc1", "ext4", "/gone"), 1);
  EXPECT_EQ(s.count(fs("node_filesystem_size_bytes", "/dev/sdc1", "ext4", "/gone")), 0u);
  size_t mounts = 0;
  for (const auto& [labels, v] : s) {
    mounts += labels.MetricName() == "node_filesystem_device_error";
  }
  EXPECT_EQ(mounts, 3u);  // /proc, /run and the cgroup file system are excluded.

  utsname uts{};
  ASSERT_EQ(uname(&uts), 0);
  EXPECT_SAMPLE(
      s,
      Series("node_uname_info", {{"sysname", "Linux"},
                                 {"release", "6.1.0-13-amd64"},
                                 {"version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)"},
                                 {"nodename", "fixture-host"},
                                 {"domainname", "(none)"},
                                 {"machine", uts.machine}}),
      1);
}

TEST_F(HostCollectorTest, MetadataIsNodeExporters) {
  SampleWriter writer(model::Labels{});
  auto storage = storage::NewMemoryStorage();
  auto app = storage->NewAppender();
  auto host = FixtureHost(tree_.path(), clock_);
  writer.Begin(*app, 0);
  ASSERT_TRUE(host->Collect(writer).ok());
  writer.End();
  const auto& meta = writer.metadata();
  ASSERT_TRUE(meta.contains("node_memory_MemTotal_bytes"));
  EXPECT_EQ(meta.at("node_memory_MemTotal_bytes").help, "Memory information field MemTotal_bytes.");
  EXPECT_EQ(meta.at("node_network_receive_drop_total").help,
            "Network device statistic receive_drop.");
  EXPECT_EQ(meta.at("node_network_receive_drop_total").type, model::MetricType::kCounter);
  EXPECT_EQ(meta.at("node_load1").type, model::MetricType::kGauge);
}

TEST_F(HostCollectorTest, VanishedDeviceGoesStale) {
  harness_.Collect();
  {
    std::ofstream diskstats(tree_.path() / "proc/diskstats", std::ios::trunc);
    diskstats << "   8       0 sda 1001 10 20480 500 2000 20 40960 1500 0 1800 2000\n";
  }
  harness_.clock().Advance(std::chrono::seconds(15));
  auto s = harness_.Collect();
  EXPECT_SAMPLE(s, Series("node_disk_reads_completed_total", {{"device", "sda"}}), 1001);
  auto gone = s.find(Series("node_disk_reads_completed_total", {{"device", "dm-0"}}));
  ASSERT_NE(gone, s.end());
  EXPECT_TRUE(storage::IsStaleNaN(gone->second));
  // sda's discard counters went away with the shorter line: stale too.
  auto discard = s.find(Series("node_disk_discards_completed_total", {{"device", "sda"}}));
  ASSERT_NE(discard, s.end());
  EXPECT_TRUE(storage::IsStaleNaN(discard->second));
}

TEST(HostCollectorErrorTest, NoProcIsDown) {
  ManualClock clock;
  CollectHarness harness(std::make_unique<HostCollector>(
      HostPaths{"/nonexistent/proc", "/nonexistent/sys", "/nonexistent"}, clock));
  auto s = harness.Collect();
  EXPECT_SAMPLE(s, Series("up"), 0);
  auto health = harness.loop().health();
  EXPECT_EQ(health.state, scrape::Health::kDown);
  EXPECT_NE(health.last_error.find("/nonexistent/proc"), std::string::npos) << health.last_error;
}

}  // namespace
}  // namespace argus::collect
