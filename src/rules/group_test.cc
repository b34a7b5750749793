#include "rules/group.h"

#include <gtest/gtest.h>

#include "promql/engine.h"
#include "rules/rules_test_util.h"
#include "storage/querier.h"

namespace argus::rules {
namespace {

using std::chrono::minutes;
constexpr int64_t kMinute = 60'000;

class GroupTest : public testing::RulesFixture, public ::testing::Test {
 protected:
  std::unique_ptr<Group> Make(const std::string& group_yaml) {
    auto specs = ParseRuleFile("groups:\n- name: g\n" + group_yaml, "r.yml");
    EXPECT_TRUE(specs.ok()) << specs.status().message();
    return std::make_unique<Group>((*specs)[0], minutes(1), AlertingRuleContext{}, services_);
  }
  double Metric(const std::string& name) {
    std::string out;
    registry_.Render(&out);
    std::string prefix = name + "{rule_group=\"r.yml;g\"} ";
    size_t at = out.find(prefix);
    if (at == std::string::npos) return -1;
    return std::stod(out.substr(at + prefix.size()));
  }

  const int64_t t0_ = 1'700'000'040'000;
};

TEST_F(GroupTest, RecordingRuleWritesItsSeriesAndMarksGoneOnesStale) {
  auto group = Make(
      "  rules:\n  - record: job:up\n    expr: up\n    labels: {source: rule, job: "
      "overridden}\n");
  model::Labels a{{"__name__", "up"}, {"job", "api"}, {"instance", "a"}};
  model::Labels b{{"__name__", "up"}, {"job", "api"}, {"instance", "b"}};
  Answer("up", Samples({{a, 1}, {b, 0}}));
  group->Eval(t0_);
  Answer("up", Samples({{a, 1}}));
  group->Eval(t0_ + kMinute);
  model::Labels recorded_a{
      {"__name__", "job:up"}, {"job", "overridden"}, {"instance", "a"}, {"source", "rule"}};
  model::Labels recorded_b{
      {"__name__", "job:up"}, {"job", "overridden"}, {"instance", "b"}, {"source", "rule"}};
  EXPECT_EQ(Read(recorded_a),
            (std::vector<std::pair<int64_t, double>>{{t0_, 1}, {t0_ + kMinute, 1}}));
  auto gone = Read(recorded_b);
  ASSERT_EQ(gone.size(), 2u);
  EXPECT_EQ(gone[0], std::make_pair(t0_, 0.0));
  EXPECT_EQ(gone[1].first, t0_ + kMinute);
  EXPECT_TRUE(storage::IsStaleNaN(gone[1].second));
  RuleStatus status = group->Snapshot().rules[0];
  EXPECT_EQ(status.health, RuleHealth::kOk);
  EXPECT_EQ(status.query, "up");
  EXPECT_FALSE(status.alerting);
}

TEST_F(GroupTest, AFailedQueryMarksItsRuleAndTheGroupGoesOn) {
  auto group = Make(
      "  rules:\n  - record: a\n    expr: broken\n  - record: b\n    expr: up\n"
      "  - alert: c\n    expr: up\n");
  Answer("broken", Status::Error("query timed out", Status::Code::kTimeout));
  Answer("up", Samples({{{{"__name__", "up"}}, 1}}));
  group->Eval(t0_);
  GroupStatus status = group->Snapshot();
  EXPECT_EQ(status.rules[0].health, RuleHealth::kBad);
  EXPECT_EQ(status.rules[0].last_error, "query timed out");
  EXPECT_EQ(status.rules[1].health, RuleHealth::kOk);
  EXPECT_EQ(status.rules[2].health, RuleHealth::kOk);
  EXPECT_EQ(Read({{"__name__", "b"}}).size(), 1u);
  EXPECT_EQ(Metric("prometheus_rule_evaluations_total"), 3);
  EXPECT_EQ(Metric("prometheus_rule_evaluation_failures_total"), 1);
  EXPECT_EQ(Metric("prometheus_rule_group_last_evaluation_samples"),
            1);  // Alerts wait for restore.

  // A rule recovers when its query does.
  Answer("broken", Samples({}));
  group->Eval(t0_ + kMinute);
  EXPECT_EQ(group->Snapshot().rules[0].health, RuleHealth::kOk);
  EXPECT_EQ(group->Snapshot().rules[0].last_error, "");
}

TEST_F(GroupTest, TwoSeriesWithOneLabelsetAndTheLimitFailARecordingRule) {
  auto group = Make("  limit: 2\n  rules:\n  - record: r\n    expr: up\n");
  Answer("up",
         Samples({{{{"__name__", "up"}, {"i", "1"}}, 1}, {{{"__name__", "x"}, {"i", "1"}}, 1}}));
  group->Eval(t0_);
  EXPECT_EQ(group->Snapshot().rules[0].last_error,
            "vector contains metrics with the same labelset after applying rule labels");
  Answer("up", Samples({{{{"i", "1"}}, 1}, {{{"i", "2"}}, 1}, {{{"i", "3"}}, 1}}));
  group->Eval(t0_ + kMinute);
  EXPECT_EQ(group->Snapshot().rules[0].last_error, "exceeded limit of 2 with 3 series");
}

TEST_F(GroupTest, QueryOffsetMovesQueriesAndSamplesBack) {
  auto group = Make("  query_offset: 1m\n  rules:\n  - record: r\n    expr: up\n");
  Answer("up", Samples({{{{"i", "1"}}, 1}}));
  group->Eval(t0_);
  ASSERT_EQ(queries_.size(), 1u);
  EXPECT_EQ(queries_[0].second, t0_ - kMinute);
  EXPECT_EQ(Read({{"__name__", "r"}, {"i", "1"}}),
            (std::vector<std::pair<int64_t, double>>{{t0_ - kMinute, 1}}));
}

TEST_F(GroupTest, EvaluatesEveryIntervalAtItsOwnOffset) {
  auto group = Make("  interval: 30s\n  rules:\n  - record: r\n    expr: up\n");
  group->Start(/*restore_for_state=*/false);
  timers_.Advance(minutes(2));
  ASSERT_EQ(queries_.size(), 4u);
  for (size_t i = 1; i < queries_.size(); ++i) {
    EXPECT_EQ(queries_[i].second - queries_[i - 1].second, 30'000);
  }
  // The same group lands on the same phase on every start.
  const int64_t phase = queries_[0].second % 30'000;
  group->Stop(false);
  clock_.Advance(std::chrono::milliseconds(12'345));
  auto again = Make("  interval: 30s\n  rules:\n  - record: r\n    expr: up\n");
  queries_.clear();
  again->Start(false);
  timers_.Advance(std::chrono::seconds(30));
  ASSERT_EQ(queries_.size(), 1u);
  EXPECT_EQ(queries_[0].second % 30'000, phase);
  EXPECT_EQ(Metric("prometheus_rule_group_interval_seconds"), 30);
  EXPECT_EQ(Metric("prometheus_rule_group_rules"), 1);
}

TEST_F(GroupTest, SlowEvaluationsCountMissedIterations) {
  auto group = Make("  rules:\n  - record: r\n    expr: up\n");
  int runs = 0;
  services_.query = [&](std::string_view, int64_t) -> Result<promql::Vector> {
    if (++runs == 2) clock_.Advance(minutes(3));  // The second evaluation takes three minutes.
    return promql::Vector{};
  };
  group->Start(false);
  timers_.Advance(minutes(6));
  EXPECT_EQ(Metric("prometheus_rule_group_iterations_missed_total"), 3);
  EXPECT_EQ(Metric("prometheus_rule_group_iterations_total"), runs + 3);
}

// Through the real engine: what a recording rule writes is what the next rule reads.
TEST_F(GroupTest, RulesReadWhatEarlierRulesOfTheGroupWrote) {
  services_.query = EngineQueryFunc([] { return promql::Engine(); }, *storage_);
  auto app = storage_->NewAppender();
  ASSERT_TRUE(app->Append(0, {{"__name__", "up"}, {"job", "a"}}, t0_ - 1000, 1).ok());
  ASSERT_TRUE(app->Append(0, {{"__name__", "up"}, {"job", "b"}}, t0_ - 1000, 0).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto group = Make(
      "  rules:\n  - record: job:up:sum\n    expr: sum(up)\n"
      "  - record: half\n    expr: job:up:sum / 2\n  - record: scalar\n    expr: '3'\n");
  group->Eval(t0_);
  EXPECT_EQ(Read({{"__name__", "job:up:sum"}}),
            (std::vector<std::pair<int64_t, double>>{{t0_, 1}}));
  EXPECT_EQ(Read({{"__name__", "half"}}), (std::vector<std::pair<int64_t, double>>{{t0_, 0.5}}));
  EXPECT_EQ(Read({{"__name__", "scalar"}}), (std::vector<std::pair<int64_t, double>>{{t0_, 3}}));
}

TEST_F(GroupTest, AStringResultIsAnEvaluationError) {
  services_.query = EngineQueryFunc([] { return promql::Engine(); }, *storage_);
  auto group = Make("  rules:\n  - record: r\n    expr: '\"text\"'\n");
  group->Eval(t0_);
  EXPECT_EQ(group->Snapshot().rules[0].last_error, "rule result is not a vector or scalar: string");
}

}  // namespace
}  // namespace argus::rules
