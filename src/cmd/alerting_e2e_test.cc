// A metric crosses a threshold and Slack hears of it: pending, firing after `for`, one message per
// group per group_interval, resolved; and when Slack is down for a while, every message arrives
// once it is back, in order, none twice.

#include "cmd/alerting_test_fixture.h"

namespace argus::cmd {
namespace {

using namespace std::chrono_literals;
using alerting_test::AlertingTest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using AlertState = rules::AlertState;
using Reply = notify::FakeSlack::Reply;

constexpr std::string_view kHighMemoryRule = R"(groups:
- name: memory
  rules:
  - alert: HighMemory
    expr: memory_usage_ratio > 0.9
    for: 2m
    labels: {severity: critical}
    annotations: {summary: 'Memory at {{ $value | humanizePercentage }}'}
)";

// Alertmanager's timers as the issue's example sets them, and a Slack that is told when alerts
// resolve.
constexpr std::string_view kSlackNotify = R"(  route:
    receiver: slack
    group_by: [alertname, namespace]
    group_wait: 30s
    group_interval: 5m
    repeat_interval: 4h
  receivers:
  - name: slack
    slack_configs:
    - api_url: 'SLACK_URL/services/T0000/B0000/XXXXXXXX'
      channel: '#alerts'
      send_resolved: true
)";

// The shape of a Slack message: Block Kit blocks, a plain text fallback, a colour by state.
void ExpectSlackShape(const notify::FakeSlack::Request& request, std::string_view color) {
  SCOPED_TRACE(request.body);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.headers.at("content-type"), "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  ASSERT_EQ(parser.parse(simdjson::padded_string(request.body)).get(body), simdjson::SUCCESS);
  std::string_view text, channel, got_color, block_type;
  ASSERT_EQ(body["text"].get(text), simdjson::SUCCESS);
  EXPECT_FALSE(text.empty());
  ASSERT_EQ(body["channel"].get(channel), simdjson::SUCCESS);
  EXPECT_EQ(channel, "#alerts");
  simdjson::dom::array blocks, attachments;
  ASSERT_EQ(body["blocks"].get(blocks), simdjson::SUCCESS);
  ASSERT_GE(blocks.size(), 1u);
  ASSERT_EQ(blocks.at(0)["type"].get(block_type), simdjson::SUCCESS);
  EXPECT_EQ(block_type, "section");
  ASSERT_EQ(body["attachments"].get(attachments), simdjson::SUCCESS);
  ASSERT_EQ(attachments.size(), 1u);
  ASSERT_EQ(attachments.at(0)["color"].get(got_color), simdjson::SUCCESS);
  EXPECT_EQ(got_color, color);
}

TEST_F(AlertingTest, AMetricOverItsThresholdReachesSlackOncePerGroupIntervalAndResolves) {
  ASSERT_NO_FATAL_FAILURE(Start(kHighMemoryRule, std::string(kSlackNotify)));
  const std::string shop_1 =
      R"({alertname="HighMemory", namespace="shop", pod="api-1", severity="critical"})";
  SetRatio("shop", "api-1", 0.5);
  Tick(1min);
  EXPECT_TRUE(rules_->manager().Alerts().empty());

  // T: over the threshold. Pending from the first evaluation after T (E, within 15 s), firing
  // from E + 2m, told after group_wait: at E + 2m30s.
  SetRatio("shop", "api-1", 0.95);
  Tick(1min);
  EXPECT_THAT(RuleAlerts(AlertState::kPending), ElementsAre(shop_1));
  Tick(75s);  // T + 2m15s
  EXPECT_THAT(RuleAlerts(AlertState::kFiring), ElementsAre(shop_1));
  EXPECT_EQ(slack_->request_count(), 0u);
  Tick(30s);  // T + 2m45s
  EXPECT_THAT(Told(), ElementsAre("[FIRING:1] HighMemory · namespace shop"));
  ExpectSlackShape(slack_->requests()[0], "danger");
  EXPECT_THAT(slack_->requests()[0].body, HasSubstr("Memory at 95%"));

  // A second pod of the group fires before the group's next flush (at E + 7m30s), and another
  // namespace, a group of its own, fires too: each group is told once, the first one only at its
  // group_interval.
  SetRatio("shop", "api-2", 0.96);
  SetRatio("pay", "api-3", 0.97);
  Tick(4min + 30s);  // T + 7m15s
  EXPECT_THAT(Told(), ElementsAre("[FIRING:1] HighMemory · namespace shop",
                                  "[FIRING:1] HighMemory · namespace pay"));
  Tick(30s);  // T + 7m45s
  EXPECT_THAT(Told(), ElementsAre("[FIRING:1] HighMemory · namespace shop",
                                  "[FIRING:1] HighMemory · namespace pay",
                                  "[FIRING:2] HighMemory · namespace shop"));
  // Nothing changes for ten minutes: nothing is told (repeat_interval is 4h).
  Tick(10min);
  EXPECT_EQ(slack_->request_count(), 3u);
  EXPECT_EQ(MetricLine("alertmanager_alerts{state=\"active\"}"),
            "alertmanager_alerts{state=\"active\"} 3");

  // Under the threshold again: each group is told it resolved, at its next flush.
  SetRatio("shop", "api-1", 0.5);
  SetRatio("shop", "api-2", 0.5);
  SetRatio("pay", "api-3", 0.5);
  Tick(5min + 15s);
  EXPECT_TRUE(rules_->manager().Alerts().empty());
  Tick(10min);
  EXPECT_THAT(
      Told(),
      ElementsAre("[FIRING:1] HighMemory · namespace shop", "[FIRING:1] HighMemory · namespace pay",
                  "[FIRING:2] HighMemory · namespace shop", "[RESOLVED] HighMemory · namespace pay",
                  "[RESOLVED] HighMemory · namespace shop"));
  const auto requests = slack_->requests();
  for (size_t i = 0; i < requests.size(); ++i) {
    ExpectSlackShape(requests[i], i < 3 ? "danger" : "good");
  }
  EXPECT_EQ(MetricLine("alertmanager_notifications_total{integration=\"slack\"}"),
            "alertmanager_notifications_total{integration=\"slack\"} 5");
  EXPECT_EQ(MetricLine("alertmanager_alerts{state=\"active\"}"),
            "alertmanager_alerts{state=\"active\"} 0");
}

// Slack holds the first request unanswered, then answers 500, for over 13 minutes — longer than
// `for` plus 10 minutes — while alerts of two groups fire and resolve. The held request times
// out by the fake clock; the four messages wait in the queue, tried one at a time in order, and
// arrive once Slack is back: in order, none twice.
TEST_F(AlertingTest, MessagesQueuedWhileSlackIsDownArriveInOrderOnceItIsBack) {
  slack_->Script({Reply::Hang()});
  slack_->SetDefault(Reply::ServerError());
  ASSERT_NO_FATAL_FAILURE(Start(kHighMemoryRule, std::string(kSlackNotify)));
  SetRatio("shop", "api-1", 0.95);  // T
  Tick(1min);
  SetRatio("pay", "api-2", 0.95);
  slack_hangs_ = true;
  Tick(2min);  // T + 3m: shop was told at about T + 2m40s; its request timed out 10 s later.
  ASSERT_TRUE(slack_->WaitForRequests(1, absl::Seconds(30)));
  slack_hangs_ = false;
  Settle();
  Tick(1min);  // T + 4m: pay was told at about T + 3m40s.
  SetRatio("shop", "api-1", 0.5);
  SetRatio("pay", "api-2", 0.5);
  Tick(12min);  // T + 16m: both groups resolved, and were told so at their next flush.
  EXPECT_TRUE(rules_->manager().Alerts().empty());
  // Slack still holds the first request: the retries came from its timeout on the fake clock.
  const size_t failed = slack_->request_count();
  ASSERT_GE(failed, 3u);
  EXPECT_EQ(notify_->queue().pending(), 4u);

  slack_->SetDefault(Reply::Ok());
  Tick(10min);  // Past the longest back-off.
  EXPECT_THAT(
      Told(alerting_test::kSlackPath, failed),
      ElementsAre("[FIRING:1] HighMemory · namespace shop", "[FIRING:1] HighMemory · namespace pay",
                  "[RESOLVED] HighMemory · namespace shop",
                  "[RESOLVED] HighMemory · namespace pay"));
  // Every failed attempt was at the first message: none overtook it.
  const auto requests = slack_->requests();
  for (size_t i = 0; i < failed; ++i) EXPECT_EQ(requests[i].body, requests[failed].body);
  EXPECT_EQ(notify_->queue().pending(), 0u);
  EXPECT_EQ(MetricLine("alertmanager_notifications_total{integration=\"slack\"}"),
            "alertmanager_notifications_total{integration=\"slack\"} 4");
}

}  // namespace
}  // namespace argus::cmd
