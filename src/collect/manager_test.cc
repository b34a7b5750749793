#include "collect/manager.h"

#include <gtest/gtest.h>

#include <thread>

#include "collect/collect_test_util.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

// The samples of every series of `job`, oldest first.
std::map<model::Labels, std::vector<double>> SamplesOf(storage::Storage& storage,
                                                       std::string_view job) {
  std::map<model::Labels, std::vector<double>> out;
  auto querier = storage.NewQuerier(0, INT64_MAX);
  auto set = querier->Select({});
  while (set->Next()) {
    if (set->At().labels().Get("job") != job) continue;
    auto it = set->At().Iterator();
    while (it->Next()) out[set->At().labels()].push_back(it->v());
  }
  return out;
}

// Waits for the event loop's thread to have done its first collection of `job`.
bool WaitForUp(storage::Storage& storage, std::string_view job) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& [labels, values] : SamplesOf(storage, job)) {
      if (labels.MetricName() == "up") return true;
    }
    std::this_thread::yield();
  }
  return false;
}

TEST(CollectManagerTest, RunsReplacesAndStopsCollectors) {
  FixtureCopy host("host");
  FixtureCopy cgroups("cgroup_v2");
  FixtureCopy processes("containers");
  config::Config config;
  config::HostCollectorConfig& h = config.collectors.host;
  h.enabled = true;
  h.scrape_interval = std::chrono::hours(1);  // One collection during the test.
  h.instance = "fixture";
  h.proc_path = (host.path() / "proc").string();
  h.sys_path = (host.path() / "sys").string();
  h.rootfs_path = (host.path() / "rootfs").string();
  config::ContainerCollectorConfig& c = config.collectors.containers;
  c.enabled = true;
  c.scrape_interval = std::chrono::hours(1);
  c.cgroup_path = cgroups.path().string();
  c.proc_path = (processes.path() / "proc").string();
  c.sys_path = (processes.path() / "sys").string();
  c.docker_socket = "";

  http::EventLoop loop(1);
  loop.Start();
  auto storage = storage::NewMemoryStorage();
  ManualClock clock;
  CollectManager manager(loop, *storage, clock);
  ASSERT_TRUE(manager.ApplyConfig(config).ok());
  ASSERT_TRUE(WaitForUp(*storage, "node"));
  ASSERT_TRUE(WaitForUp(*storage, "cadvisor"));
  auto node = SamplesOf(*storage, "node");
  EXPECT_EQ(
      node.at(model::Labels{{"__name__", "node_load1"}, {"job", "node"}, {"instance", "fixture"}}),
      std::vector<double>{0.52});
  for (const auto& [labels, values] : SamplesOf(*storage, "cadvisor")) {
    EXPECT_FALSE(labels.Get("instance").empty()) << labels.ToString();  // The host name.
  }

  // The same settings again: both keep running untouched, nothing is marked stale.
  clock.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(manager.ApplyConfig(config).ok());
  EXPECT_EQ(SamplesOf(*storage, "node"), node);

  // The host collector switched off: its series end stale; the containers' do not.
  h.enabled = false;
  ASSERT_TRUE(manager.ApplyConfig(config).ok());
  for (const auto& [labels, values] : SamplesOf(*storage, "node")) {
    EXPECT_TRUE(storage::IsStaleNaN(values.back())) << labels.ToString();
  }
  for (const auto& [labels, values] : SamplesOf(*storage, "cadvisor")) {
    EXPECT_FALSE(storage::IsStaleNaN(values.back())) << labels.ToString();
  }
  clock.Advance(std::chrono::seconds(1));
  manager.Stop();
  for (const auto& [labels, values] : SamplesOf(*storage, "cadvisor")) {
    EXPECT_TRUE(storage::IsStaleNaN(values.back())) << labels.ToString();
  }
  loop.Stop();
}

}  // namespace
}  // namespace argus::collect
