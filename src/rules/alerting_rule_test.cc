#include "rules/alerting_rule.h"

#include <gtest/gtest.h>

#include "rules/rules_test_util.h"
#include "storage/querier.h"

namespace argus::rules {
namespace {

using std::chrono::minutes;
constexpr int64_t kMinute = 60'000;

class AlertingRuleTest : public testing::RulesFixture, public ::testing::Test {
 protected:
  // A started group of `rules_yaml` (the rules of one group, interval 1m) whose alerts write
  // ALERTS at once; the test evaluates it with Eval.
  std::unique_ptr<Group> Make(const std::string& rules_yaml, int64_t limit = 0) {
    auto specs =
        ParseRuleFile("groups:\n- name: g\n  interval: 1m\n  limit: " + std::to_string(limit) +
                          "\n  rules:\n" + rules_yaml,
                      "r.yml");
    EXPECT_TRUE(specs.ok()) << specs.status().message();
    auto group = std::make_unique<Group>((*specs)[0], minutes(1), context_, services_);
    group->Start(/*restore_for_state=*/false);
    return group;
  }
  RuleStatus Rule(const Group& group, size_t i = 0) { return group.Snapshot().rules[i]; }

  AlertingRuleContext context_{.external_labels = {}, .external_url = "http://argus:9090"};
  const int64_t t0_ = 1'700'000'040'000;
  const model::Labels down_a_{{"__name__", "up"}, {"job", "api"}, {"instance", "a"}};
  const model::Labels alert_a_{
      {"alertname", "Down"}, {"job", "api"}, {"instance", "a"}, {"severity", "page"}};
};

TEST_F(AlertingRuleTest, PendingFiresAfterForAndWritesAlertsSeries) {
  auto group = Make(
      "  - alert: Down\n    expr: up == 0\n    for: 5m\n    labels: {severity: page}\n"
      "    annotations: {summary: down}\n");
  Answer("up == 0", Samples({{down_a_, 0}}));
  group->Eval(t0_);
  RuleStatus status = Rule(*group);
  EXPECT_EQ(status.state, AlertState::kPending);
  ASSERT_EQ(status.alerts.size(), 1u);
  EXPECT_EQ(status.alerts[0].labels, alert_a_);
  EXPECT_EQ(status.alerts[0].annotations, (model::Labels{{"summary", "down"}}));
  EXPECT_EQ(status.alerts[0].active_at_ms, t0_);
  EXPECT_TRUE(sent_.empty());

  model::Labels pending{{"__name__", "ALERTS"}, {"alertname", "Down"}, {"alertstate", "pending"},
                        {"instance", "a"},      {"job", "api"},        {"severity", "page"}};
  model::Labels firing{{"__name__", "ALERTS"}, {"alertname", "Down"}, {"alertstate", "firing"},
                       {"instance", "a"},      {"job", "api"},        {"severity", "page"}};
  model::Labels for_state{{"__name__", "ALERTS_FOR_STATE"},
                          {"alertname", "Down"},
                          {"instance", "a"},
                          {"job", "api"},
                          {"severity", "page"}};
  for (int i = 1; i <= 4; ++i) group->Eval(t0_ + i * kMinute);
  EXPECT_EQ(Rule(*group).state, AlertState::kPending);
  group->Eval(t0_ + 5 * kMinute);
  EXPECT_EQ(Rule(*group).state, AlertState::kFiring);

  auto pending_samples = Read(pending);
  ASSERT_EQ(pending_samples.size(), 6u);
  EXPECT_EQ(pending_samples[0], std::make_pair(t0_, 1.0));
  EXPECT_EQ(pending_samples[5].first, t0_ + 5 * kMinute);
  EXPECT_TRUE(storage::IsStaleNaN(pending_samples[5].second));
  EXPECT_EQ(Read(firing), (std::vector<std::pair<int64_t, double>>{{t0_ + 5 * kMinute, 1}}));
  EXPECT_EQ(Read(for_state).back(),
            std::make_pair(t0_ + 5 * kMinute, static_cast<double>(t0_ / 1000)));

  ASSERT_EQ(sent_.size(), 1u);
  ASSERT_EQ(sent_[0].size(), 1u);
  const model::Alert& sent = sent_[0][0];
  EXPECT_EQ(sent.labels, alert_a_);
  EXPECT_EQ(sent.starts_at_ms, t0_ + 5 * kMinute);
  EXPECT_EQ(sent.ends_at_ms, t0_ + 9 * kMinute);  // 4 × max(resend delay, interval) ahead.
  EXPECT_EQ(sent.generator_url, "http://argus:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1");
}

TEST_F(AlertingRuleTest, LabelsAndAnnotationsAreExpandedTemplates) {
  context_.external_labels = model::Labels{{"cluster", "eu"}};
  auto group = Make(
      "  - alert: Down\n    expr: up == 0\n"
      "    labels: {severity: '{{ if eq $labels.job \"api\" }}page{{ end }}', empty: ''}\n"
      "    annotations:\n"
      "      summary: '{{ $labels.instance }} of {{ $externalLabels.cluster }} is {{ $value }}'\n"
      "      link: '{{ $externalURL }}'\n"
      "      count: '{{ query \"up\" | len }}'\n"
      "      broken: '{{ index $labels 1 }}'\n");
  Answer("up == 0", Samples({{down_a_, 0}}));
  Answer("up", Samples({{down_a_, 0}, {down_a_, 1}}));
  group->Eval(t0_);
  ASSERT_EQ(sent_.size(), 1u);
  const model::Alert& alert = sent_[0][0];
  EXPECT_EQ(alert.labels, alert_a_);
  EXPECT_EQ(alert.annotations.Get("summary"), "a of eu is 0");
  EXPECT_EQ(alert.annotations.Get("link"), "http://argus:9090");
  EXPECT_EQ(alert.annotations.Get("count"), "2");
  EXPECT_EQ(alert.annotations.Get("broken").rfind("<error expanding template: ", 0), 0u)
      << alert.annotations.Get("broken");
}

TEST_F(AlertingRuleTest, ResendsEveryResendDelayAndResolvedFor15Minutes) {
  auto group = Make("  - alert: Down\n    expr: up == 0\n");
  Answer("up == 0", Samples({{down_a_, 0}}));
  group->Eval(t0_);  // Fires at once without `for`.
  ASSERT_EQ(sent_.size(), 1u);
  group->Eval(t0_ + kMinute);  // Sent a resend delay ago: not yet.
  EXPECT_EQ(sent_.size(), 1u);
  group->Eval(t0_ + 2 * kMinute);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1][0].ends_at_ms, t0_ + 6 * kMinute);

  Answer("up == 0", promql::Vector{});
  const int64_t resolved = t0_ + 3 * kMinute;
  group->Eval(resolved);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(sent_[2][0].ends_at_ms, resolved);
  EXPECT_EQ(sent_[2][0].starts_at_ms, t0_);
  EXPECT_TRUE(Rule(*group).alerts.empty());
  EXPECT_EQ(Rule(*group).state, AlertState::kInactive);
  size_t sends = sent_.size();
  for (int i = 1; i <= 20; ++i) group->Eval(resolved + i * kMinute);
  // Resent every other minute (a resend delay must have passed) while kept, 15 minutes.
  EXPECT_EQ(sent_.size() - sends, 7u);
  for (size_t i = sends; i < sent_.size(); ++i) EXPECT_EQ(sent_[i][0].ends_at_ms, resolved);
}

TEST_F(AlertingRuleTest, PendingAlertThatGoesAwayIsForgottenUnsent) {
  auto group = Make("  - alert: Down\n    expr: up == 0\n    for: 5m\n");
  Answer("up == 0", Samples({{down_a_, 0}}));
  group->Eval(t0_);
  Answer("up == 0", promql::Vector{});
  group->Eval(t0_ + kMinute);
  EXPECT_TRUE(Rule(*group).alerts.empty());
  Answer("up == 0", Samples({{down_a_, 0}}));
  group->Eval(t0_ + 2 * kMinute);
  EXPECT_EQ(Rule(*group).alerts[0].active_at_ms, t0_ + 2 * kMinute);  // Pending anew.
  EXPECT_TRUE(sent_.empty());
}

TEST_F(AlertingRuleTest, KeepFiringForHoldsAResolvedAlert) {
  auto group = Make("  - alert: Down\n    expr: up == 0\n    keep_firing_for: 2m\n");
  Answer("up == 0", Samples({{down_a_, 0}}));
  group->Eval(t0_);
  Answer("up == 0", promql::Vector{});
  group->Eval(t0_ + kMinute);
  RuleStatus status = Rule(*group);
  EXPECT_EQ(status.state, AlertState::kFiring);
  EXPECT_EQ(status.alerts[0].keep_firing_since_ms, t0_ + kMinute);
  group->Eval(t0_ + 2 * kMinute);
  EXPECT_EQ(Rule(*group).state, AlertState::kFiring);
  group->Eval(t0_ + 3 * kMinute);
  EXPECT_EQ(Rule(*group).state, AlertState::kInactive);
  EXPECT_EQ(sent_.back()[0].ends_at_ms, t0_ + 3 * kMinute);
}

TEST_F(AlertingRuleTest, SameLabelsetAfterDroppingNameIsAnError) {
  auto group = Make("  - alert: Down\n    expr: up == 0\n");
  model::Labels other{{"__name__", "other"}, {"job", "api"}, {"instance", "a"}};
  Answer("up == 0", Samples({{down_a_, 0}, {other, 0}}));
  group->Eval(t0_);
  RuleStatus status = Rule(*group);
  EXPECT_EQ(status.health, RuleHealth::kBad);
  EXPECT_EQ(status.last_error,
            "vector contains metrics with the same labelset after applying alert labels");
}

TEST_F(AlertingRuleTest, LimitExceededFailsAndForgetsAlerts) {
  auto group = Make("  - alert: Down\n    expr: up == 0\n", /*limit=*/1);
  model::Labels down_b{{"__name__", "up"}, {"job", "api"}, {"instance", "b"}};
  Answer("up == 0", Samples({{down_a_, 0}}));
  group->Eval(t0_);
  EXPECT_EQ(Rule(*group).health, RuleHealth::kOk);
  Answer("up == 0", Samples({{down_a_, 0}, {down_b, 0}}));
  group->Eval(t0_ + kMinute);
  RuleStatus status = Rule(*group);
  EXPECT_EQ(status.health, RuleHealth::kBad);
  EXPECT_EQ(status.last_error, "exceeded limit of 1 with 2 alerts");
  EXPECT_TRUE(status.alerts.empty());
}

// The `for` state of alerts is restored after a restart from ALERTS_FOR_STATE, as Prometheus
// does: extended by the downtime, never firing sooner than the grace period after the start.
TEST_F(AlertingRuleTest, ForStateIsRestoredFromStorage) {
  const int64_t start = t0_ + 60 * kMinute;
  auto series = [](const char* instance) {
    return model::Labels{{"__name__", "up"}, {"instance", instance}};
  };
  auto write_state = [&](const char* instance, int64_t active_at, int64_t down_at) {
    auto app = storage_->NewAppender();
    model::Labels labels{
        {"__name__", "ALERTS_FOR_STATE"}, {"alertname", "Down"}, {"instance", instance}};
    for (int64_t t = active_at; t <= down_at; t += kMinute) {
      ASSERT_TRUE(app->Append(0, labels, t, static_cast<double>(active_at / 1000)).ok());
    }
    ASSERT_TRUE(app->Commit().ok());
  };
  // Pending 15 of 30 minutes when the server went down 5 minutes ago: 15 more to go.
  write_state("a", start - 20 * kMinute, start - 5 * kMinute);
  // Pending 24 minutes: 6 to go, less than the grace period, so 10.
  write_state("b", start - 25 * kMinute, start - kMinute);
  // Firing when the server went down: fires again at the next evaluation.
  write_state("c", start - 40 * kMinute, start - kMinute);

  auto specs = ParseRuleFile(
      "groups:\n- name: g\n  interval: 1m\n  rules:\n"
      "  - alert: Down\n    expr: up == 0\n    for: 30m\n",
      "r.yml");
  ASSERT_TRUE(specs.ok());
  Group group((*specs)[0], minutes(1), context_, services_);
  Answer("up == 0", Samples({{series("a"), 0}, {series("b"), 0}, {series("c"), 0}}));
  clock_.Set(Clock::time_point(std::chrono::milliseconds(start)));
  group.Start(/*restore_for_state=*/true);
  timers_.Advance(minutes(1));  // The first evaluation, then the restoration.
  const int64_t restored = group.Snapshot().last_evaluation_ms;
  RuleStatus status = Rule(group);
  ASSERT_EQ(status.alerts.size(), 3u);
  EXPECT_EQ(status.alerts[0].active_at_ms,
            start - 20 * kMinute + (restored - (start - 5 * kMinute)));
  EXPECT_EQ(status.alerts[1].active_at_ms, restored + 10 * kMinute - 30 * kMinute);
  EXPECT_EQ(status.alerts[2].active_at_ms, start - 40 * kMinute);
  timers_.Advance(minutes(1));
  status = Rule(group);
  EXPECT_EQ(status.alerts[0].state, AlertState::kPending);
  EXPECT_EQ(status.alerts[1].state, AlertState::kPending);
  EXPECT_EQ(status.alerts[2].state, AlertState::kFiring);
}

TEST_F(AlertingRuleTest, ShortForIsNotRestored) {
  const int64_t start = t0_ + 60 * kMinute;
  auto app = storage_->NewAppender();
  ASSERT_TRUE(app->Append(0, {{"__name__", "ALERTS_FOR_STATE"}, {"alertname", "Down"}},
                          start - kMinute, static_cast<double>((start - 4 * kMinute) / 1000))
                  .ok());
  ASSERT_TRUE(app->Commit().ok());
  auto specs = ParseRuleFile(
      "groups:\n- name: g\n  rules:\n  - alert: Down\n    expr: up == 0\n    for: 5m\n", "r.yml");
  ASSERT_TRUE(specs.ok());
  Group group((*specs)[0], minutes(1), context_, services_);
  Answer("up == 0", Samples({{{{"__name__", "up"}}, 0}}));
  clock_.Set(Clock::time_point(std::chrono::milliseconds(start)));
  group.Start(/*restore_for_state=*/true);
  timers_.Advance(minutes(1));
  RuleStatus status = Rule(group);
  ASSERT_EQ(status.alerts.size(), 1u);
  EXPECT_GE(status.alerts[0].active_at_ms, start);
}

}  // namespace
}  // namespace argus::rules
