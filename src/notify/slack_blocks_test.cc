#include "notify/slack_blocks.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "notify/render_test_util.h"

namespace argus::notify {
namespace {

using testing::BlockKitProblems;
using testing::ParseJson;

constexpr int64_t kNow = 1782469200000 + 12 * 60'000;  // 2026-06-26 10:32:00 UTC.
constexpr int64_t kMinute = 60'000;

model::Alert HighMemory(std::string_view pod) {
  return {.labels = {{"alertname", "HighMemoryUsage"},
                     {"cluster", "prod"},
                     {"container", "app"},
                     {"namespace", "shop"},
                     {"pod", pod},
                     {"severity", "warning"}},
          .annotations = {{"summary", "Memory working set at 93% of the limit"},
                          {"description", "checkout uses 1.86GiB of its 2GiB limit."},
                          {"value", "93%"}},
          .starts_at_ms = kNow - 12 * kMinute,
          .ends_at_ms = kNow + 4 * kMinute,
          .generator_url = "http://argus:9090/graph?g0.expr=x"};
}

GroupNotification Group(std::vector<model::Alert> alerts) {
  return {.receiver = "slack",
          .group_key = R"({}:{alertname="HighMemoryUsage", namespace="shop"})",
          .group_labels = {{"alertname", "HighMemoryUsage"}, {"namespace", "shop"}},
          .alerts = std::move(alerts),
          .now_ms = kNow};
}

// Renders and checks the body against Block Kit's rules.
rapidjson::Document Render(const GroupNotification& group, const SlackPostFields& post = {}) {
  std::optional<RenderData> data =
      MakeRenderData(group, {.external_url = "https://argus.example.com/"});
  EXPECT_TRUE(data);
  if (!data) return {};
  rapidjson::Document body = ParseJson(RenderSlackBlocksBody(*data, post));
  EXPECT_EQ(BlockKitProblems(body), std::vector<std::string>());
  return body;
}

std::string_view SectionText(const rapidjson::Value& block) {
  return block["text"]["text"].GetString();
}

TEST(SlackBlocksTest, FiringAlertSaysWhatWhereValueSinceAndLinks) {
  rapidjson::Document body = Render(Group({HighMemory("checkout-7d9f")}));
  EXPECT_STREQ(body["text"].GetString(),
               "[FIRING:1] HighMemoryUsage · namespace shop — Memory working set at 93% of the "
               "limit");
  ASSERT_EQ(body["blocks"].Size(), 1u);
  EXPECT_EQ(SectionText(body["blocks"][0]),
            ":red_circle: *[FIRING:1] HighMemoryUsage* · namespace `shop`");
  const rapidjson::Value& attachment = body["attachments"][0];
  EXPECT_STREQ(attachment["color"].GetString(), "danger");
  ASSERT_EQ(attachment["blocks"].Size(), 2u);
  EXPECT_EQ(SectionText(attachment["blocks"][0]),
            ":red_circle: *<http://argus:9090/graph?g0.expr=x|HighMemoryUsage>* · warning\n"
            "Memory working set at 93% of the limit\n"
            "checkout uses 1.86GiB of its 2GiB limit.\n"
            "*Where:* cluster `prod` · namespace `shop` · pod `checkout-7d9f` · container `app`\n"
            "*Value:* 93%\n"
            "*Since:* <!date^1782469200^{date_short_pretty} {time_secs}|2026-06-26 10:20:00 UTC> "
            "(for 12m)");
  const rapidjson::Value& context = attachment["blocks"][1];
  EXPECT_STREQ(context["type"].GetString(), "context");
  EXPECT_STREQ(context["elements"][0]["text"].GetString(),
               "<https://argus.example.com/alerts?receiver=slack&filter=%7Balertname%3D%22"
               "HighMemoryUsage%22%2C%20namespace%3D%22shop%22%7D|View in Argus>");
}

TEST(SlackBlocksTest, ResolvedAlertSaysHowLongItLasted) {
  model::Alert alert = HighMemory("checkout-7d9f");
  alert.ends_at_ms = kNow - 2 * kMinute;
  rapidjson::Document body = Render(Group({alert}));
  EXPECT_EQ(SectionText(body["blocks"][0]),
            ":large_green_circle: *[RESOLVED] HighMemoryUsage* · namespace `shop`");
  const rapidjson::Value& attachment = body["attachments"][0];
  EXPECT_STREQ(attachment["color"].GetString(), "good");
  std::string_view text = SectionText(attachment["blocks"][0]);
  EXPECT_NE(text.find("*Lasted:* 10m (<!date^1782469200^"), std::string_view::npos) << text;
  EXPECT_NE(text.find("|2026-06-26 10:30:00 UTC>)"), std::string_view::npos) << text;
}

TEST(SlackBlocksTest, SeveralAlertsAreListedCompactlyFiringFirstAndCapped) {
  std::vector<model::Alert> alerts;
  for (int i = 0; i < 25; ++i) alerts.push_back(HighMemory(fmt::format("checkout-{:02}", i)));
  alerts[0].ends_at_ms = kNow - kMinute;  // Resolved: listed after the firing ones.
  rapidjson::Document body = Render(Group(alerts));
  EXPECT_EQ(std::string_view(body["text"].GetString()),
            "[FIRING:24] HighMemoryUsage · namespace shop — Memory working set at 93% of the "
            "limit (+24 more)");
  const rapidjson::Value& blocks = body["attachments"][0]["blocks"];
  ASSERT_EQ(blocks.Size(), 11u);
  EXPECT_EQ(SectionText(blocks[0]),
            ":red_circle: *<http://argus:9090/graph?g0.expr=x|HighMemoryUsage>* · warning — "
            "Memory working set at 93% of the limit\n"
            "cluster `prod` · pod `checkout-01` · container `app` · value 93% · "
            "since <!date^1782469200^{date_short_pretty} {time_secs}|2026-06-26 10:20:00 UTC> "
            "(for 12m)");
  EXPECT_STREQ(blocks[10]["elements"][0]["text"].GetString(), "…and 15 more alerts");
}

TEST(SlackBlocksTest, EventsAreOneLineEach) {
  model::Alert deploy{.labels = {{"alertname", "deploy"},
                                 {"argus_event", "true"},
                                 {"cluster", "prod"},
                                 {"namespace", "shop"},
                                 {"service", "checkout"},
                                 {"version", "v1.4.2"}},
                      .annotations = {{"link", "https://ci.example.com/run/81"},
                                      {"text", "Rolling out the new cart"}},
                      .starts_at_ms = kNow};
  model::Alert oom{.labels = {{"alertname", "oom_kill"},
                              {"argus_event", "true"},
                              {"container", "app"},
                              {"pod", "checkout-7d9f"}},
                   .starts_at_ms = kNow};
  rapidjson::Document body = Render(Group({deploy, oom}));
  EXPECT_STREQ(body["text"].GetString(),
               ":rocket: deploy of checkout v1.4.2 in prod/shop — Rolling out the new cart\n"
               ":boom: OOM kill of checkout-7d9f (container app)");
  ASSERT_EQ(body["blocks"].Size(), 2u);
  EXPECT_EQ(SectionText(body["blocks"][0]),
            ":rocket: *deploy* of *checkout* v1.4.2 in prod/shop — Rolling out the new cart · "
            "<https://ci.example.com/run/81|details>");
  EXPECT_EQ(SectionText(body["blocks"][1]), ":boom: *OOM kill* of *checkout-7d9f* (container app)");
  EXPECT_FALSE(body.HasMember("attachments"));

  // With alerts, the events follow the headline.
  body = Render(Group({HighMemory("checkout-7d9f"), deploy}));
  ASSERT_EQ(body["blocks"].Size(), 2u);
  EXPECT_EQ(SectionText(body["blocks"][1]).substr(0, 8), ":rocket:");
  EXPECT_EQ(body["attachments"][0]["blocks"].Size(), 2u);
}

TEST(SlackBlocksTest, PostFieldsComeFirstWhenSet) {
  rapidjson::Document body =
      Render(Group({HighMemory("a")}), {.channel = "#alerts", .icon_emoji = ":fire:"});
  auto member = body.MemberBegin();
  EXPECT_STREQ((member++)->name.GetString(), "channel");
  EXPECT_STREQ((member++)->name.GetString(), "icon_emoji");
  EXPECT_STREQ((member++)->name.GetString(), "text");
  EXPECT_FALSE(body.HasMember("username"));
}

TEST(SlackBlocksTest, HostileAlertsStayWithinSlacksLimits) {
  std::string huge(50'000, 'x');  // Past every limit of Slack's.
  huge += "\xff<!channel>&";
  std::vector<model::Alert> alerts;
  for (int i = 0; i < 60; ++i) {
    model::Alert alert = HighMemory(huge + std::to_string(i));
    alert.annotations = {{"summary", huge}, {"description", huge}, {"value", huge}};
    alert.labels = model::Labels::FromUnsorted(
        {{"alertname", huge}, {"pod", huge + std::to_string(i)}, {"namespace", huge}});
    alerts.push_back(alert);
  }
  GroupNotification group = Group(alerts);
  group.group_labels = {{"alertname", huge}, {"namespace", huge}};
  for (const GroupNotification& g : {group, Group({alerts[0]})}) {
    rapidjson::Document body = Render(g);  // Checks the limits.
    std::string_view text = body["text"].GetString();
    EXPECT_EQ(text.find("<!channel>"), std::string_view::npos);
  }
  model::Alert event{
      .labels = {{"alertname", "deploy"}, {"argus_event", "true"}, {"service", huge}},
      .annotations = {{"text", huge}}};
  Render(Group(std::vector<model::Alert>(80, event)));
}

TEST(SlackBlocksTest, SameGroupSameBytes) {
  GroupNotification group = Group({HighMemory("a"), HighMemory("b")});
  std::optional<RenderData> data = MakeRenderData(group, {.external_url = "http://argus"});
  ASSERT_TRUE(data);
  EXPECT_EQ(RenderSlackBlocksBody(*data, {}), RenderSlackBlocksBody(*data, {}));
}

}  // namespace
}  // namespace argus::notify
