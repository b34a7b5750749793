// What the alerting path keeps from Slack, end to end: silences posted through the API and
// inhibit rules suppress what they match and nothing else; integrations without send_resolved
// are not told of resolved alerts.

#include "cmd/alerting_test_fixture.h"

namespace argus::cmd {
namespace {

using namespace std::chrono_literals;
using alerting_test::AlertingTest;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// A warning over 80 % and a critical alert over 90 %, of the same metric.
constexpr std::string_view kWarningAndCriticalRules = R"(groups:
- name: memory
  rules:
  - alert: MemoryWarning
    expr: memory_usage_ratio > 0.8
    for: 1m
    labels: {severity: warning}
  - alert: MemoryCritical
    expr: memory_usage_ratio > 0.9
    for: 1m
    labels: {severity: critical}
)";

// A critical alert inhibits the warnings of its namespace.
constexpr std::string_view kInhibitingNotify = R"(  route:
    receiver: slack
    group_by: [alertname, namespace]
    group_wait: 30s
    group_interval: 5m
  receivers:
  - name: slack
    slack_configs: [{api_url: 'SLACK_URL/services/T0000/B0000/XXXXXXXX'}]
  inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [namespace]
)";

TEST_F(AlertingTest, ASilenceAndAnInhibitRuleSuppressWhatTheyMatchAndNothingElse) {
  ASSERT_NO_FATAL_FAILURE(Start(kWarningAndCriticalRules, std::string(kInhibitingNotify)));
  // Now is 2023-11-14T22:13:20Z.
  http::Response posted = Call("POST", "/api/v2/silences", R"({
      "matchers": [{"name": "namespace", "value": "shop", "isRegex": false, "isEqual": true}],
      "startsAt": "2023-11-14T22:13:20Z", "endsAt": "2023-11-15T22:13:20Z",
      "createdBy": "ops", "comment": "maintenance"})");
  ASSERT_EQ(posted.status, 200) << posted.body;
  simdjson::dom::parser parser;
  std::string_view id;
  ASSERT_EQ(parser.parse(simdjson::padded_string(posted.body))["silenceID"].get(id),
            simdjson::SUCCESS);
  const std::string silence_id(id);

  // shop: both alerts fire, silenced. pay: both fire, the warning inhibited by the critical
  // one. dev: only the warning fires, with no critical alert of its namespace to inhibit it.
  SetRatio("shop", "a", 0.95);
  SetRatio("pay", "b", 0.95);
  SetRatio("dev", "c", 0.85);
  Tick(3min);
  EXPECT_THAT(Told(), UnorderedElementsAre("[FIRING:1] MemoryCritical · namespace pay",
                                           "[FIRING:1] MemoryWarning · namespace dev"));
  EXPECT_EQ(MetricLine("alertmanager_alerts{state=\"active\"}"),
            "alertmanager_alerts{state=\"active\"} 2");
  EXPECT_EQ(MetricLine("alertmanager_alerts{state=\"suppressed\"}"),
            "alertmanager_alerts{state=\"suppressed\"} 3");

  // The silence expires: at shop's next flush its critical alert is told; its warning stays
  // inhibited.
  EXPECT_EQ(Call("DELETE", "/api/v2/silence/" + silence_id).status, 200);
  Tick(5min);
  const std::vector<std::string> told = Told();
  ASSERT_EQ(told.size(), 3u);
  EXPECT_EQ(told[2], "[FIRING:1] MemoryCritical · namespace shop");
  EXPECT_EQ(MetricLine("alertmanager_alerts{state=\"active\"}"),
            "alertmanager_alerts{state=\"active\"} 3");
  EXPECT_EQ(MetricLine("alertmanager_alerts{state=\"suppressed\"}"),
            "alertmanager_alerts{state=\"suppressed\"} 2");
}

// Alertmanager's defaults: a slack_config does not send resolved notifications, a webhook_config
// does. One receiver with both is told of the resolution on its webhook only.
TEST_F(AlertingTest, EachIntegrationFollowsItsOwnSendResolvedDefault) {
  ASSERT_NO_FATAL_FAILURE(Start(kWarningAndCriticalRules, R"(  route:
    receiver: team
    group_by: [alertname, namespace]
    group_wait: 30s
    group_interval: 5m
  receivers:
  - name: team
    slack_configs: [{api_url: 'SLACK_URL/services/T0000/B0000/XXXXXXXX'}]
    webhook_configs: [{url: 'SLACK_URL/webhook'}]
)"));
  SetRatio("dev", "c", 0.85);  // T: a warning, firing from about T + 1m, told 30 s later.
  Tick(2min);
  SetRatio("dev", "c", 0.5);  // Resolved at about T + 2m; told at the group's next flush.
  Tick(6min);
  EXPECT_THAT(Told(), ElementsAre("[FIRING:1] MemoryWarning · namespace dev"));
  EXPECT_THAT(Told("/webhook"), ElementsAre("firing 1", "resolved 1"));
}

}  // namespace
}  // namespace argus::cmd
