#include "notify/webhook_message.h"

#include <gtest/gtest.h>

#include "notify/render_test_util.h"

namespace argus::notify {
namespace {

using testing::InstanceDownGroup;
using testing::JsonDifference;
using testing::kFixtureExternalUrl;
using testing::ParseJson;

std::string Render(const GroupNotification& group, RenderDataOptions options = {}) {
  options.external_url = kFixtureExternalUrl;
  std::optional<RenderData> data = MakeRenderData(group, options);
  EXPECT_TRUE(data.has_value());
  return data ? RenderWebhookBody(*data) : "";
}

TEST(WebhookMessageTest, MatchesAlertmanagersVersion4Body) {
  std::optional<std::string> fixture =
      testing::ReadSlackConformanceFile("reconstructed/alertmanager-webhook-v4-firing.json");
  if (!fixture) GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  rapidjson::Document want = ParseJson(*fixture);
  // Fields of Alertmanager releases after 0.25, whose message Argus sends.
  want.EraseMember("notification_reason");
  want.EraseMember("routeLabels");
  rapidjson::Document got = ParseJson(Render(InstanceDownGroup()));

  // The fixture's fingerprints are made up; ours are Alertmanager's (see render_data_test).
  ASSERT_TRUE(got["alerts"].IsArray());
  EXPECT_STREQ(got["alerts"][0]["fingerprint"].GetString(), "c158559e5de91887");
  for (rapidjson::SizeType i = 0; i < got["alerts"].Size(); ++i) {
    got["alerts"][i]["fingerprint"].SetString(want["alerts"][i]["fingerprint"].GetString(),
                                              got.GetAllocator());
  }
  EXPECT_EQ(JsonDifference(want, got), "");
}

TEST(WebhookMessageTest, ResolvedAlertsCarryTheirEnd) {
  GroupNotification group = InstanceDownGroup();
  for (model::Alert& alert : group.alerts) alert.ends_at_ms = group.now_ms - 1500;
  rapidjson::Document got = ParseJson(Render(group));
  EXPECT_STREQ(got["status"].GetString(), "resolved");
  EXPECT_STREQ(got["alerts"][0]["status"].GetString(), "resolved");
  EXPECT_STREQ(got["alerts"][0]["endsAt"].GetString(), "2026-06-26T10:29:58.5Z");
  EXPECT_STREQ(got["alerts"][0]["startsAt"].GetString(), "2026-06-26T10:20:00Z");
}

TEST(WebhookMessageTest, OneResolvedAlertLeavesTheGroupFiring) {
  GroupNotification group = InstanceDownGroup();
  group.alerts[0].ends_at_ms = group.now_ms;  // Ends now: resolved.
  rapidjson::Document got = ParseJson(Render(group));
  EXPECT_STREQ(got["status"].GetString(), "firing");
  EXPECT_STREQ(got["alerts"][0]["status"].GetString(), "resolved");
  EXPECT_STREQ(got["alerts"][1]["status"].GetString(), "firing");
  EXPECT_STREQ(got["alerts"][1]["endsAt"].GetString(), "0001-01-01T00:00:00Z");
}

TEST(WebhookMessageTest, MaxAlertsKeepsTheFirstAndCountsTheRest) {
  GroupNotification group = InstanceDownGroup();
  group.alerts.push_back(group.alerts[1]);
  group.alerts.back().labels = {{"alertname", "InstanceDown"}, {"instance", "10.0.0.3:9100"}};
  rapidjson::Document got = ParseJson(Render(group, {.max_alerts = 1}));
  EXPECT_EQ(got["alerts"].Size(), 1u);
  EXPECT_EQ(got["truncatedAlerts"].GetUint64(), 2u);
  // Common labels are those of the alerts sent, as in Alertmanager.
  EXPECT_STREQ(got["commonLabels"]["instance"].GetString(), "10.0.0.1:9100");
}

TEST(WebhookMessageTest, InvalidUtf8IsReplacedNotSent) {
  GroupNotification group = InstanceDownGroup();
  group.alerts[0].annotations = {{"summary", "disk \xff full"}};
  rapidjson::Document got = ParseJson(Render(group));
  EXPECT_STREQ(got["alerts"][0]["annotations"]["summary"].GetString(), "disk \xEF\xBF\xBD full");
}

}  // namespace
}  // namespace argus::notify
