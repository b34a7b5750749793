// Slack message shapes checked against Slack's and Alertmanager's own examples.

#include <gtest/gtest.h>

#include "notify/render_test_util.h"
#include "notify/slack_request.h"

namespace argus::notify {
namespace {

using testing::BlockKitProblems;
using testing::JsonDifference;
using testing::ParseJson;
using testing::ReadSlackConformanceFile;

#define SKIP_WITHOUT_SHARED_DATA(file)                                                 \
  if (!file) {                                                                         \
    GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available"; \
  }

// The Block Kit check that the tests of Argus' own messages rely on accepts what Slack's own
// examples send.
TEST(SlackConformanceTest, BlockKitCheckAcceptsSlacksExamples) {
  for (std::string_view path :
       {"slack-github-action/saved.data.json", "reconstructed/incoming-webhook-blocks.json",
        "reconstructed/incoming-webhook-text.json",
        "reconstructed/incoming-webhook-minimal.json"}) {
    std::optional<std::string> example = ReadSlackConformanceFile(path);
    SKIP_WITHOUT_SHARED_DATA(example);
    rapidjson::Document body = ParseJson(*example);
    EXPECT_EQ(BlockKitProblems(body), std::vector<std::string>()) << path;
  }
}

TEST(SlackConformanceTest, BlockKitCheckRejectsBrokenMessages) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({"blocks":[]})", "no fallback text of 1 to 40,000 characters"},
      {R"({"text":"x","blocks":[{"type":"section"}]})",
       "blocks[0]: section without text or fields"},
      {R"({"text":"x","blocks":[{"type":"section","text":{"type":"html","text":"x"}}]})",
       "blocks[0].text: text type"},
      {R"({"text":"x","colour":"red"})", "unknown key colour"},
  };
  for (auto [json, problem] : cases) {
    rapidjson::Document body = ParseJson(json);
    std::vector<std::string> problems = BlockKitProblems(body);
    ASSERT_EQ(problems.size(), 1u) << json;
    EXPECT_EQ(problems[0], problem);
  }
}

// The fields Alertmanager's default templates give the fixtures' group (receiver
// slack-notifications, two InstanceDown alerts).
SlackAttachmentFields DefaultAttachment(std::string_view title) {
  const std::string link =
      "http://alertmanager.example.com:9093/#/alerts?receiver=slack-notifications";
  return {.title = std::string(title),
          .title_link = link,
          .fallback = std::string(title) + " | " + link,
          .color = title.starts_with("[FIRING") ? "danger" : "good"};
}

TEST(SlackConformanceTest, AttachmentBodyHasAlertmanagersShape) {
  const SlackPostFields post{.channel = "#alerts", .username = "Alertmanager"};
  const SlackAttachmentFields custom_text = [] {
    SlackAttachmentFields a =
        DefaultAttachment("[FIRING:1] InstanceDown (10.0.0.1:9100 node page)");
    a.text =
        "<!channel> \nsummary: Instance 10.0.0.1:9100 down\ndescription: 10.0.0.1:9100 of job node "
        "has been down for more than 5 minutes.";
    return a;
  }();
  const std::pair<std::string_view, SlackAttachmentFields> cases[] = {
      {"alertmanager-slack-default-firing.json",
       DefaultAttachment("[FIRING:2] InstanceDown (node page)")},
      {"alertmanager-slack-default-resolved.json",
       DefaultAttachment("[RESOLVED] InstanceDown (node page)")},
      {"alertmanager-slack-custom-text-firing.json", custom_text},
  };
  for (const auto& [file, attachment] : cases) {
    std::optional<std::string> fixture =
        ReadSlackConformanceFile("reconstructed/" + std::string(file));
    SKIP_WITHOUT_SHARED_DATA(fixture);
    rapidjson::Document want = ParseJson(*fixture);
    rapidjson::Document got = ParseJson(RenderSlackAttachmentBody(post, attachment));
    EXPECT_EQ(JsonDifference(want, got), "") << file;
  }
}

TEST(SlackConformanceTest, AttachmentTitleIsCutAsAlertmanagerCutsIt) {
  rapidjson::Document got = ParseJson(
      RenderSlackAttachmentBody({}, {.title = std::string(2000, 'x'), .mrkdwn_in = {"text"}}));
  std::string_view title = got["attachments"][0]["title"].GetString();
  EXPECT_EQ(title, std::string(1023, 'x') + "\xE2\x80\xA6");
  EXPECT_EQ(got["attachments"][0]["mrkdwn_in"].Size(), 1u);
  EXPECT_FALSE(got.HasMember("channel"));
  EXPECT_FALSE(got.HasMember("link_names"));
}

}  // namespace
}  // namespace argus::notify
