#include "rules/manager.h"

#include <gtest/gtest.h>

#include "rules/rules_test_util.h"
#include "storage/querier.h"

namespace argus::rules {
namespace {

using std::chrono::minutes;

class ManagerTest : public testing::RulesFixture, public ::testing::Test {
 protected:
  RulesConfig Config(const std::string& yaml, const std::string& file = "r.yml") {
    auto specs = ParseRuleFile(yaml, file);
    EXPECT_TRUE(specs.ok()) << specs.status().message();
    RulesConfig config;
    config.groups = *specs;
    return config;
  }
  const model::Labels down_{{"__name__", "up"}, {"instance", "a"}};
};

constexpr char kRules[] =
    "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 5m\n"
    "  - record: r\n    expr: up\n";

TEST_F(ManagerTest, AReloadKeepsTheStateOfRulesThatStay) {
  Manager manager(services_);
  Answer("up == 0", Samples({{down_, 0}}));
  Answer("up", Samples({{down_, 0}}));
  manager.Update(Config(kRules));
  timers_.Advance(minutes(2));
  std::vector<AlertStatus> alerts = manager.Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  const int64_t active_at = alerts[0].active_at_ms;

  // The same configuration again: nothing changes.
  manager.Update(Config(kRules));
  ASSERT_EQ(manager.Alerts().size(), 1u);
  EXPECT_EQ(manager.Alerts()[0].active_at_ms, active_at);

  // Another rule added and the recording rule gone: the alert stays pending from the same time,
  // and the recorded series gets a stale marker at the next evaluation.
  manager.Update(
      Config("groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 5m\n"
             "  - alert: Other\n    expr: up == 0\n"));
  ASSERT_EQ(manager.Groups()[0].rules.size(), 2u);
  EXPECT_EQ(manager.Groups()[0].rules[0].alerts.at(0).active_at_ms, active_at);
  timers_.Advance(minutes(1));
  auto recorded = Read({{"__name__", "r"}, {"instance", "a"}});
  ASSERT_FALSE(recorded.empty());
  EXPECT_TRUE(storage::IsStaleNaN(recorded.back().second));
  timers_.Advance(minutes(3));
  EXPECT_EQ(manager.Groups()[0].rules[0].state, AlertState::kFiring);
  EXPECT_EQ(manager.Alerts().size(), 2u);
}

TEST_F(ManagerTest, AGroupThatIsGoneMarksItsSeriesStale) {
  Manager manager(services_);
  Answer("up", Samples({{down_, 0}}));
  manager.Update(Config(kRules));
  timers_.Advance(minutes(1));
  manager.Update(Config(kRules, "other.yml"));  // Another file: another group.
  auto recorded = Read({{"__name__", "r"}, {"instance", "a"}});
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].first, now_ms());
  EXPECT_TRUE(storage::IsStaleNaN(recorded[1].second));
  ASSERT_EQ(manager.Groups().size(), 1u);
  EXPECT_EQ(manager.Groups()[0].file, "other.yml");
  std::string metrics;
  registry_.Render(&metrics);
  EXPECT_EQ(metrics.find("\"r.yml;g\""), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("other.yml;g"), std::string::npos);
}

TEST_F(ManagerTest, GroupsKeepTheConfigurationsOrderAndDefaultInterval) {
  Manager manager(services_);
  RulesConfig config = Config(
      "groups:\n- name: b\n  rules: []\n- name: a\n  interval: 10s\n  limit: 3\n  rules: []\n");
  config.evaluation_interval = std::chrono::seconds(15);
  manager.Update(config);
  std::vector<GroupStatus> groups = manager.Groups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].name, "b");
  EXPECT_EQ(groups[0].interval_ms, 15'000);
  EXPECT_EQ(groups[1].name, "a");
  EXPECT_EQ(groups[1].interval_ms, 10'000);
  EXPECT_EQ(groups[1].limit, 3);
  manager.Stop();
  manager.Stop();
}

}  // namespace
}  // namespace argus::rules
