#include "collect/manager.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "base/manual_timer_source.h"
#include "collect/collect_test_util.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using Samples = std::vector<std::pair<int64_t, double>>;

constexpr const char* kListenAddress = "127.0.0.1:9099";

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
  MetricsRegistry registry_;
  ManualClock clock_;
  ManualTimerSource timers_;
  std::unique_ptr<storage::Storage> storage_;
  const int64_t t0_;
};

TEST_F(CollectManagerTest, CollectsAtOnceThenOncePerInterval) {
  CollectManager manager(timers_, *storage_, registry_, kListenAddress);
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
  CollectManager manager(timers_, *storage_, registry_, kListenAddress);
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

// The one target of a collector's job.
const scrape::TargetStatus& OnlyTarget(const scrape::JobTargets& job) {
  EXPECT_EQ(job.active.size(), 1u) << job.job;
  EXPECT_TRUE(job.dropped.empty()) << job.job;
  return job.active.at(0);
}

TEST_F(CollectManagerTest, EachCollectorIsATargetWithItsLastCollection) {
  registry_.AddCounter("argus_test_total", "Counted by the test.").Inc(2);
  config_.collectors.self.enabled = true;
  config_.collectors.self.scrape_interval = seconds(5);
  CollectManager manager(timers_, *storage_, registry_, kListenAddress);
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());

  // Jobs in name order; not collected yet.
  auto targets = manager.Targets();
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].job, "argus");
  EXPECT_EQ(targets[1].job, "cadvisor");
  EXPECT_EQ(targets[2].job, "node");
  for (const scrape::JobTargets& job : targets) {
    EXPECT_EQ(OnlyTarget(job).health, scrape::Health::kUnknown) << job.job;
    EXPECT_EQ(OnlyTarget(job).last_scrape_ms, 0) << job.job;
  }
  const scrape::TargetStatus& self = OnlyTarget(targets[0]);
  EXPECT_EQ(self.labels, (model::Labels{{"job", "argus"}, {"instance", kListenAddress}}));
  EXPECT_EQ(self.url, "http://127.0.0.1:9099/metrics");
  EXPECT_EQ(self.interval, seconds(5));
  EXPECT_EQ(OnlyTarget(targets[1]).url, "file://" + config_.collectors.containers.cgroup_path);
  const scrape::TargetStatus& node = OnlyTarget(targets[2]);
  EXPECT_EQ(node.labels, (model::Labels{{"job", "node"}, {"instance", "fixture"}}));
  EXPECT_EQ(node.discovered, node.labels);
  EXPECT_EQ(node.url, "file://" + config_.collectors.host.proc_path);
  EXPECT_EQ(node.interval, seconds(15));
  EXPECT_EQ(node.timeout, seconds(15));

  timers_.RunDue();
  for (const scrape::JobTargets& job : manager.Targets()) {
    const scrape::TargetStatus& t = OnlyTarget(job);
    EXPECT_EQ(t.health, scrape::Health::kUp) << job.job;
    EXPECT_EQ(t.last_error, "") << job.job;
    EXPECT_EQ(t.last_scrape_ms, t0_) << job.job;
    // The duration is the one the collection wrote as scrape_duration_seconds.
    model::LabelsBuilder duration(t.labels);
    duration.Set(model::kMetricName, "scrape_duration_seconds");
    EXPECT_EQ(SamplesOf(*storage_, job.job).at(duration.Build()),
              (Samples{{t0_, t.last_duration_seconds}}))
        << job.job;
    EXPECT_GT(t.last_duration_seconds, 0) << job.job;
  }
  // Argus' own metrics under its job, with the listen address as instance.
  EXPECT_EQ(
      SamplesOf(*storage_, "argus")
          .at(model::Labels{
              {"__name__", "argus_test_total"}, {"job", "argus"}, {"instance", kListenAddress}}),
      (Samples{{t0_, 2}}));

  timers_.Advance(seconds(15));
  targets = manager.Targets();
  EXPECT_EQ(OnlyTarget(targets[0]).last_scrape_ms, t0_ + 15'000);
  EXPECT_EQ(OnlyTarget(targets[1]).last_scrape_ms, t0_ + 10'000);
  EXPECT_EQ(OnlyTarget(targets[2]).last_scrape_ms, t0_ + 15'000);

  // A collector switched off is no target any more.
  config_.collectors.containers.enabled = false;
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  targets = manager.Targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].job, "argus");
  EXPECT_EQ(targets[1].job, "node");
}

TEST_F(CollectManagerTest, ACollectorThatReadsNothingIsDownWithItsError) {
  // The host's trees are not where the configuration says.
  std::filesystem::path missing = host_.path().parent_path() / "moved";
  config::HostCollectorConfig& h = config_.collectors.host;
  h.proc_path = (missing / "proc").string();
  h.sys_path = (missing / "sys").string();
  h.rootfs_path = (missing / "rootfs").string();
  CollectManager manager(timers_, *storage_, registry_, kListenAddress);
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  timers_.RunDue();
  auto targets = manager.Targets();
  ASSERT_EQ(targets.size(), 2u);
  ASSERT_EQ(targets[1].job, "node");
  const scrape::TargetStatus& node = OnlyTarget(targets[1]);
  EXPECT_EQ(node.health, scrape::Health::kDown);
  EXPECT_EQ(node.last_error,
            "nothing could be read from the proc file system at \"" + h.proc_path + "\"");
  EXPECT_EQ(node.last_scrape_ms, t0_);
  EXPECT_EQ(OnlyTarget(targets[0]).health, scrape::Health::kUp);  // The containers' goes on.

  // The trees are there now: so is the collector, and its error is gone.
  std::filesystem::rename(host_.path(), missing);
  timers_.Advance(seconds(15));
  const scrape::TargetStatus back = OnlyTarget(manager.Targets()[1]);
  EXPECT_EQ(back.health, scrape::Health::kUp);
  EXPECT_EQ(back.last_error, "");
  EXPECT_EQ(back.last_scrape_ms, t0_ + 15'000);
}

TEST_F(CollectManagerTest, CollectorsDescribeTheirMetricFamilies) {
  CollectManager manager(timers_, *storage_, registry_, kListenAddress);
  ASSERT_TRUE(manager.ApplyConfig(config_).ok());
  auto metadata = manager.Metadata();
  ASSERT_EQ(metadata.size(), 2u);
  EXPECT_TRUE(metadata[0].metadata.empty());  // Nothing collected yet.

  timers_.RunDue();
  metadata = manager.Metadata();
  ASSERT_EQ(metadata.size(), 2u);
  auto find = [](const scrape::TargetMetadata& target, std::string_view metric) {
    auto it = std::ranges::find(target.metadata, metric, &scrape::MetricMetadata::metric);
    return it == target.metadata.end() ? scrape::MetricMetadata{} : *it;
  };
  const scrape::TargetMetadata& node = metadata[1];
  EXPECT_EQ(node.job, "node");
  EXPECT_EQ(node.labels, (model::Labels{{"job", "node"}, {"instance", "fixture"}}));
  EXPECT_EQ(
      find(node, "node_load1"),
      (scrape::MetricMetadata{"node_load1", model::MetricType::kGauge, "1m load average.", ""}));
  EXPECT_EQ(find(node, "node_cpu_seconds_total").type, model::MetricType::kCounter);
  EXPECT_TRUE(std::ranges::is_sorted(node.metadata, {}, &scrape::MetricMetadata::metric));
  // up and scrape_* are the loop's, not the collector's: no metadata, as for a scraped target.
  EXPECT_EQ(find(node, "up").metric, "");
  EXPECT_EQ(find(node, "scrape_duration_seconds").metric, "");
  const scrape::TargetMetadata& cadvisor = metadata[0];
  EXPECT_EQ(cadvisor.job, "cadvisor");
  EXPECT_EQ(
      find(cadvisor, "container_cpu_usage_seconds_total"),
      (scrape::MetricMetadata{"container_cpu_usage_seconds_total", model::MetricType::kCounter,
                              "Cumulative cpu time consumed in seconds.", ""}));
}

}  // namespace
}  // namespace argus::collect
