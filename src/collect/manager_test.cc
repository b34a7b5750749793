#include "collect/manager.h"

#include <gtest/gtest.h>

#include "base/manual_timer_source.h"
#include "collect/collect_test_util.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using Samples = std::vector<std::pair<int64_t, double>>;

// The samples of every series of `job`, oldest first.
std::map<model::Labels, Samples> SamplesOf(storage::Storage& storage, std::string_view job) {
  std::map<model::Labels, Samples> out;
  auto querier = storage.NewQuerier(0, INT64_MAX);
  auto set = querier->Select({});
  while (set->Next()) {
    if (set->At().labels().Get("job") != job) continue;
    auto it = set->At().Iterator();
    while (it->Next()) out[set->At().labels()].emplace_back(it->t(), it->v());
  }
  return out;
}

// The timestamps of `job`'s up samples: one per collection, and a staleness marker at the end
// (given as -t).
std::vector<int64_t> Ups(storage::Storage& storage, std::string_view job) {
  std::vector<int64_t> out;
  for (const auto& [labels, samples] : SamplesOf(storage, job)) {
    if (labels.MetricName() != "up") continue;
    for (const auto& [t, v] : samples) out.push_back(storage::IsStaleNaN(v) ? -t : t);
  }
  return out;
}

class CollectManagerTest : public ::testing::Test {
 protected:
  CollectManagerTest()
      : host_("host"),
        cgroups_("cgroup_v2"),
        processes_("containers"),
        timers_(clock_),
        storage_(storage::NewMemoryStorage()),
        t0_(clock_.NowMillis()) {
    config::HostCollectorConfig& h = config_.collectors.host;
    h.enabled = true;
    h.scrape_interval = seconds(15);
    h.instance = "fixture";
    h.proc_path = (host_.path() / "proc").string();
    h.sys_path = (host_.path() / "sys").string();
    h.rootfs_path = (host_.path() / "rootfs").string();
    config::ContainerCollectorConfig& c = config_.collectors.containers;
    c.enabled = true;
    c.scrape_interval = seconds(10);
    c.cgroup_path = cgroups_.path().string();
    c.proc_path = (processes_.path() / "proc").string();
    c.sys_path = (processes_.path() / "sys").string();
    c.docker_socket = "";
  }

  FixtureCopy host_;
  FixtureCopy cgroups_;
  FixtureCopy processes_;
  config::Config config_;
  ManualClock clock_;
  ManualTimerSource timers_;
  std::unique_ptr<storage::Storage> storage_;
  const int64_t t0_;
};

TEST_F(CollectManagerTest, CollectsAtOnceThenOncePerInterval) {
  CollectManager manager(timers_, *storage_);
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  EXPECT_TRUE(Ups(*storage_, "node").empty());  // On the timers' thread, not inside ApplyConfig.
  timers_.RunDue();
  EXPECT_EQ(Ups(*storage_, "node"), std::vector<int64_t>{t0_});
  EXPECT_EQ(Ups(*storage_, "cadvisor"), std::vector<int64_t>{t0_});
  auto node = SamplesOf(*storage_, "node");
  EXPECT_EQ(
      node.at(model::Labels{{"__name__", "node_load1"}, {"job", "node"}, {"instance", "fixture"}}),
      (Samples{{t0_, 0.52}}));
  for (const auto& [labels, samples] : SamplesOf(*storage_, "cadvisor")) {
    EXPECT_FALSE(labels.Get("instance").empty()) << labels.ToString();  // The host name.
  }

  timers_.Advance(milliseconds(9'999));
  EXPECT_EQ(Ups(*storage_, "node").size(), 1u);
  EXPECT_EQ(Ups(*storage_, "cadvisor").size(), 1u);
  timers_.Advance(milliseconds(1));
  EXPECT_EQ(Ups(*storage_, "cadvisor"), (std::vector<int64_t>{t0_, t0_ + 10'000}));
  timers_.Advance(seconds(5));
  EXPECT_EQ(Ups(*storage_, "node"), (std::vector<int64_t>{t0_, t0_ + 15'000}));
  timers_.Advance(seconds(30));  // Up to t0 + 45 s.
  EXPECT_EQ(Ups(*storage_, "node"),
            (std::vector<int64_t>{t0_, t0_ + 15'000, t0_ + 30'000, t0_ + 45'000}));
  EXPECT_EQ(Ups(*storage_, "cadvisor"),
            (std::vector<int64_t>{t0_, t0_ + 10'000, t0_ + 20'000, t0_ + 30'000, t0_ + 40'000}));

  timers_.Advance(seconds(1));
  manager.Stop();
  EXPECT_EQ(timers_.armed(), 0u);
  EXPECT_EQ(Ups(*storage_, "node").back(), -(t0_ + 46'000));
  EXPECT_EQ(Ups(*storage_, "cadvisor").back(), -(t0_ + 46'000));
  for (const auto& [labels, samples] : SamplesOf(*storage_, "cadvisor")) {
    EXPECT_TRUE(storage::IsStaleNaN(samples.back().second)) << labels.ToString();
  }
  timers_.Advance(seconds(60));  // Nothing more.
  EXPECT_EQ(Ups(*storage_, "node").size(), 5u);
  EXPECT_EQ(Ups(*storage_, "cadvisor").size(), 6u);
}

TEST_F(CollectManagerTest, ReplacesOnlyTheCollectorsThatChanged) {
  CollectManager manager(timers_, *storage_);
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  timers_.Advance(seconds(1));

  // The same settings again: both keep running untouched, on their schedules.
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  timers_.Advance(seconds(14));
  EXPECT_EQ(Ups(*storage_, "node"), (std::vector<int64_t>{t0_, t0_ + 15'000}));
  EXPECT_EQ(Ups(*storage_, "cadvisor"), (std::vector<int64_t>{t0_, t0_ + 10'000}));

  // A new interval for the host collector: it starts over, its series marked stale in between;
  // the containers' collector goes on.
  timers_.Advance(seconds(1));  // t0 + 16 s.
  config_.collectors.host.scrape_interval = seconds(60);
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  // The first collection a millisecond late, since one at the markers' time would be a duplicate
  // sample; the schedule keeps the phase of when the collector started.
  clock_.Advance(milliseconds(1));
  timers_.Advance(seconds(60));
  EXPECT_EQ(Ups(*storage_, "node"),
            (std::vector<int64_t>{t0_, t0_ + 15'000, -(t0_ + 16'000), t0_ + 16'001, t0_ + 76'000}));
  EXPECT_EQ(Ups(*storage_, "cadvisor").size(), 8u);  // t0 to t0 + 70 s.

  // The host collector switched off: its series end stale and stay so; the containers' do not.
  timers_.Advance(seconds(1));
  config_.collectors.host.enabled = false;
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  for (const auto& [labels, samples] : SamplesOf(*storage_, "node")) {
    EXPECT_TRUE(storage::IsStaleNaN(samples.back().second)) << labels.ToString();
    EXPECT_EQ(samples.back().first, t0_ + 77'001) << labels.ToString();
  }
  for (const auto& [labels, samples] : SamplesOf(*storage_, "cadvisor")) {
    EXPECT_FALSE(storage::IsStaleNaN(samples.back().second)) << labels.ToString();
  }
  timers_.Advance(seconds(120));
  EXPECT_EQ(Ups(*storage_, "node").back(), -(t0_ + 77'001));
  EXPECT_EQ(Ups(*storage_, "cadvisor").size(), 20u);  // t0 to t0 + 190 s.
  EXPECT_EQ(timers_.armed(), 1u);
}

}  // namespace
}  // namespace argus::collect
