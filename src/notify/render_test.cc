#include "notify/render.h"

#include <gtest/gtest.h>

#include "notify/render_data.h"
#include "notify/render_test_util.h"

namespace argus::notify {
namespace {

using testing::InstanceDownGroup;
using testing::ParseJson;

config::Receiver SlackAndWebhooks() {
  config::Receiver receiver{.name = "slack-notifications"};
  receiver.slack_configs.resize(2);
  receiver.slack_configs[0].channel = "#alerts";
  receiver.slack_configs[1].send_resolved = true;
  receiver.webhook_configs.resize(1);
  return receiver;
}

TEST(RenderTest, OneMessagePerIntegrationWithTheGroupsIdentity) {
  GroupNotification group = InstanceDownGroup();
  RenderResult result = RenderNotification(group, SlackAndWebhooks(), {});
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.messages.size(), 3u);
  const std::pair<std::string_view, int> want[] = {{"slack", 0}, {"slack", 1}, {"webhook", 0}};
  for (size_t i = 0; i < 3; ++i) {
    const Message& m = result.messages[i];
    EXPECT_EQ(m.integration, want[i].first);
    EXPECT_EQ(m.integration_index, want[i].second);
    EXPECT_EQ(m.receiver, "slack-notifications");
    EXPECT_EQ(m.group_key, group.group_key);
    EXPECT_EQ(m.group_state_hash, GroupStateHash(group));
    EXPECT_EQ(m.created_ms, group.now_ms);
    EXPECT_EQ(m.content_type, "application/json");
  }
  EXPECT_STREQ(ParseJson(result.messages[0].body)["channel"].GetString(), "#alerts");
  EXPECT_STREQ(ParseJson(result.messages[2].body)["version"].GetString(), "4");
}

TEST(RenderTest, AResolvedGroupIsToldOnlyToIntegrationsThatSendResolved) {
  GroupNotification group = InstanceDownGroup();
  for (model::Alert& alert : group.alerts) alert.ends_at_ms = group.now_ms;
  RenderResult result = RenderNotification(group, SlackAndWebhooks(), {});
  ASSERT_EQ(result.messages.size(), 2u);
  EXPECT_EQ(result.messages[0].integration_index, 1);
  EXPECT_EQ(result.messages[1].integration, "webhook");
}

TEST(RenderTest, SameNotificationSameBytes) {
  RenderResult a =
      RenderNotification(InstanceDownGroup(), SlackAndWebhooks(), {.external_url = "http://argus"});
  RenderResult b =
      RenderNotification(InstanceDownGroup(), SlackAndWebhooks(), {.external_url = "http://argus"});
  ASSERT_EQ(a.messages.size(), b.messages.size());
  for (size_t i = 0; i < a.messages.size(); ++i) EXPECT_EQ(a.messages[i].body, b.messages[i].body);
}

TEST(RenderTest, ChatPostMessageWithoutChannelIsAnError) {
  config::Receiver receiver = SlackAndWebhooks();
  receiver.slack_configs[1].api_url.value = "https://slack.com/api/chat.postMessage";
  RenderResult result = RenderNotification(InstanceDownGroup(), receiver, {});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].code(), Status::Code::kInvalidInput);
  EXPECT_EQ(result.errors[0].message(),
            "slack_configs[1]: Slack's chat.postMessage needs a channel: set `channel`");
  EXPECT_EQ(result.messages.size(), 2u);

  receiver.slack_configs[1].channel = "C0123";
  EXPECT_TRUE(RenderNotification(InstanceDownGroup(), receiver, {}).errors.empty());
}

TEST(RenderTest, FailingTemplatesFallBackToArgusMessage) {
  config::Receiver receiver = SlackAndWebhooks();
  receiver.slack_configs[0].uses_default_text = false;
  receiver.slack_configs[0].text = "{{ .NoSuchField }}";
  receiver.slack_configs[1].username = R"({{ template "no.such.template" . }})";
  RenderResult result = RenderNotification(InstanceDownGroup(), receiver, {});
  ASSERT_EQ(result.messages.size(), 3u);
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_TRUE(result.errors[0].message().starts_with(
      "slack_configs[0]: sending Argus' Slack message instead: "))
      << result.errors[0].message();
  EXPECT_TRUE(result.errors[1].message().starts_with("slack_configs[1]: "));
  rapidjson::Document first = ParseJson(result.messages[0].body);
  EXPECT_TRUE(first.HasMember("blocks"));
  EXPECT_STREQ(first["channel"].GetString(), "#alerts");
  EXPECT_FALSE(ParseJson(result.messages[1].body).HasMember("username"));
}

TEST(RenderTest, PlainPostFieldsNeedNoTemplates) {
  config::Receiver receiver = SlackAndWebhooks();
  receiver.slack_configs[0].username = "Argus";
  receiver.slack_configs[0].icon_url = "https://argus.example.com/icon.png";
  receiver.slack_configs[0].link_names = true;
  RenderResult result = RenderNotification(InstanceDownGroup(), receiver, {});
  EXPECT_TRUE(result.errors.empty());
  rapidjson::Document body = ParseJson(result.messages[0].body);
  EXPECT_STREQ(body["username"].GetString(), "Argus");
  EXPECT_STREQ(body["icon_url"].GetString(), "https://argus.example.com/icon.png");
  EXPECT_TRUE(body["link_names"].GetBool());
}

}  // namespace
}  // namespace argus::notify
