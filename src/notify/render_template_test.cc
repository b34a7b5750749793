#include "notify/render_template.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "notify/render.h"
#include "notify/render_test_util.h"

namespace argus::notify {
namespace {

using testing::InstanceDownGroup;
using testing::JsonDifference;
using testing::kFixtureExternalUrl;
using testing::kFixtureStartMs;
using testing::ParseJson;
using testing::ReadSlackConformanceFile;

std::string Expand(std::string_view text, const GroupNotification& group) {
  std::optional<RenderData> data = MakeRenderData(group, {.external_url = kFixtureExternalUrl});
  EXPECT_TRUE(data);
  if (!data) return "";
  Result<std::string> out = NotificationTemplates::Defaults()->Expand(text, TemplateData(*data));
  EXPECT_TRUE(out.ok()) << text << ": " << out.status().message();
  return out.ok() ? *out : "";
}

TEST(RenderTemplateTest, DataHasAlertmanagersFieldsAndMethods) {
  GroupNotification group = InstanceDownGroup();
  group.alerts[1].ends_at_ms = group.now_ms - 60'000;
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"{{ .Receiver }} {{ .Status }} {{ .ExternalURL }}",
       "slack-notifications firing http://alertmanager.example.com:9093"},
      {"{{ len .Alerts }} {{ len .Alerts.Firing }} {{ len .Alerts.Resolved }}", "2 1 1"},
      {"{{ range .Alerts.Resolved }}{{ .Labels.instance }} {{ .Status }}{{ end }}",
       "10.0.0.2:9100 resolved"},
      {"{{ .CommonLabels.Names }}", "[alertname job severity]"},
      {"{{ .CommonLabels.SortedPairs.Values }}", "[InstanceDown node page]"},
      {"{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}",
       "alertname=InstanceDown;job=node;severity=page;"},
      {"{{ (.CommonLabels.Remove .GroupLabels.Names).Values }}", "[node page]"},
      {"{{ .GroupLabels.missing }}|{{ .CommonAnnotations.summary }}|", "||"},
      {"{{ (index .Alerts 0).Fingerprint }}", "c158559e5de91887"},
      {"{{ (index .Alerts 0).StartsAt }}", "2026-06-26 10:20:00 +0000 UTC"},
      {"{{ (index .Alerts 0).EndsAt }}", "0001-01-01 00:00:00 +0000 UTC"},
      {"{{ (index .Alerts 1).EndsAt }}", "2026-06-26 10:29:00 +0000 UTC"},
      {"plain text", "plain text"},
  };
  for (auto [text, want] : cases) EXPECT_EQ(Expand(text, group), want) << text;
}

TEST(RenderTemplateTest, DefaultNamesGiveAlertmanagersText) {
  GroupNotification group = InstanceDownGroup();
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({{ template "slack.default.title" . }})", "[FIRING:2] InstanceDown (node page)"},
      {R"({{ template "slack.default.username" . }})", "Alertmanager"},
      {R"({{ template "slack.default.titlelink" . }})",
       "http://alertmanager.example.com:9093/#/alerts?receiver=slack-notifications"},
      {R"({{ template "slack.default.color" . }})", "danger"},
      {R"({{ template "slack.default.text" . }}{{ template "slack.default.footer" . }})", ""},
      {R"({{ template "__text_alert_list" .Alerts.Firing }})",
       "Labels:\n - alertname = InstanceDown\n - instance = 10.0.0.1:9100\n - job = node\n"
       " - severity = page\nAnnotations:\n - description = 10.0.0.1:9100 of job node has been "
       "down for more than 5 minutes.\n - summary = Instance 10.0.0.1:9100 down\nSource: "
       "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1\n"
       "Labels:\n - alertname = InstanceDown\n - instance = 10.0.0.2:9100\n - job = node\n"
       " - severity = page\nAnnotations:\n - description = 10.0.0.2:9100 of job node has been "
       "down for more than 5 minutes.\n - summary = Instance 10.0.0.2:9100 down\nSource: "
       "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1\n"},
  };
  for (auto [text, want] : cases) EXPECT_EQ(Expand(text, group), want) << text;

  // All common labels are group labels: the title ends with a space, as Alertmanager's does.
  group.group_labels = model::Labels::FromUnsorted(
      {{"alertname", "InstanceDown"}, {"job", "node"}, {"severity", "page"}});
  group.alerts.pop_back();
  group.alerts[0].labels = group.group_labels;
  for (model::Alert& alert : group.alerts) alert.ends_at_ms = group.now_ms;
  EXPECT_EQ(Expand(R"({{ template "__subject" . }})", group), "[RESOLVED] InstanceDown node page ");
}

// Argus' default templates and Alertmanager's give the same request bodies.
TEST(RenderTemplateTest, SlackConfigsWithTextsMatchAlertmanagersBodies) {
  config::Receiver receiver{.name = "slack-notifications"};
  receiver.slack_configs.resize(1);
  config::SlackConfig& slack = receiver.slack_configs[0];
  slack.channel = "#alerts";
  slack.send_resolved = true;
  slack.uses_default_text = false;
  const RenderOptions options{.external_url = std::string(kFixtureExternalUrl)};

  struct Case {
    std::string_view file;
    GroupNotification group;
    std::string text;
  };
  GroupNotification resolved = InstanceDownGroup();
  for (model::Alert& alert : resolved.alerts) alert.ends_at_ms = resolved.now_ms;
  GroupNotification one = InstanceDownGroup();
  one.alerts.pop_back();
  const Case cases[] = {
      {"alertmanager-slack-default-firing.json", InstanceDownGroup(), slack.text},
      {"alertmanager-slack-default-resolved.json", resolved, slack.text},
      {"alertmanager-slack-custom-text-firing.json", one,
       "<!channel> \nsummary: {{ .CommonAnnotations.summary }}\ndescription: {{ "
       ".CommonAnnotations.description }}"},
  };
  for (const Case& c : cases) {
    std::optional<std::string> fixture =
        ReadSlackConformanceFile("reconstructed/" + std::string(c.file));
    if (!fixture) GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
    slack.text = c.text;
    RenderResult result = RenderNotification(c.group, receiver, options);
    ASSERT_TRUE(result.errors.empty()) << result.errors[0].message();
    ASSERT_EQ(result.messages.size(), 1u);
    EXPECT_EQ(JsonDifference(ParseJson(*fixture), ParseJson(result.messages[0].body)), "")
        << c.file;
  }
}

TEST(RenderTemplateTest, UserFilesReplaceDefaultNames) {
  auto dir = std::filesystem::temp_directory_path() /
             ("render_template_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "slack.tmpl")
      << R"({{ define "slack.default.title" }}{{ len .Alerts }} down for )"
         R"({{ (index .Alerts 0).StartsAt | since | humanizeDuration }}{{ end }})";
  std::ofstream(dir / "broken.tmpl.bad") << "{{ if }}";

  // `since` reads the clock given, not the system's.
  ManualClock clock{Clock::time_point(std::chrono::milliseconds(kFixtureStartMs))};
  clock.Advance(std::chrono::minutes(12));
  auto templates = NotificationTemplates::Load({(dir / "*.tmpl").string()}, clock);
  ASSERT_TRUE(templates.ok()) << templates.status().message();
  const GroupNotification group = InstanceDownGroup();  // The data points into it.
  std::optional<RenderData> data = MakeRenderData(group, {});
  ASSERT_TRUE(data);
  Result<std::string> title =
      (*templates)->Expand(R"({{ template "slack.default.title" . }})", TemplateData(*data));
  ASSERT_TRUE(title.ok()) << title.status().message();
  EXPECT_EQ(*title, "2 down for 12m 0s");

  auto broken = NotificationTemplates::Load({(dir / "*.bad").string()}, clock);
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("broken.tmpl.bad"), std::string::npos)
      << broken.status().message();
  EXPECT_TRUE(NotificationTemplates::Load({(dir / "none-*.tmpl").string()}, clock).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace argus::notify
