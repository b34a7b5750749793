// Alertmanager's own default.tmpl, executed for a known two-alert group, against what
// Alertmanager sends to Slack for that group (shared/conformance/slack/reconstructed/).

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>

#include "tmpl/alertmanager_data.h"
#include "tmpl/funcs_alertmanager.h"
#include "tmpl/template.h"

namespace argus::tmpl {
namespace {

constexpr int64_t kStartsAtMs = 1782469200000;  // 2026-06-26T10:20:00Z

std::filesystem::path SharedDir() {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  return shared == nullptr ? std::filesystem::path() : std::filesystem::path(shared);
}

model::Alert InstanceDown(std::string_view instance) {
  model::Alert alert;
  alert.labels = {
      {"alertname", "InstanceDown"}, {"instance", instance}, {"job", "node"}, {"severity", "page"}};
  alert.annotations = {
      {"description",
       fmt::format("{} of job node has been down for more than 5 minutes.", instance)},
      {"summary", fmt::format("Instance {} down", instance)}};
  alert.starts_at_ms = kStartsAtMs;
  alert.generator_url = "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1";
  return alert;
}

// The group of alertmanager-webhook-v4-firing.json; resolved moves both alerts' ends before now.
Value Group(bool resolved) {
  std::vector<model::Alert> alerts = {InstanceDown("10.0.0.1:9100"), InstanceDown("10.0.0.2:9100")};
  const int64_t now_ms = kStartsAtMs + 600'000;
  if (resolved) {
    for (model::Alert& alert : alerts) alert.ends_at_ms = now_ms - 1000;
  }
  return AlertmanagerDataValue(MakeAlertmanagerData("slack-notifications",
                                                    {{"alertname", "InstanceDown"}}, alerts, now_ms,
                                                    "http://alertmanager.example.com:9093"));
}

class DefaultTemplateTest : public testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::path path = SharedDir() / "conformance/alertmanager/template/default.tmpl";
    if (SharedDir().empty() || !std::filesystem::exists(path)) {
      GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) has no "
                      "alertmanager/template/default.tmpl";
    }
    Status parsed = set_.ParseFile(path.string());
    ASSERT_TRUE(parsed.ok()) << parsed.message();
  }

  std::string Run(std::string_view name, const Value& data) {
    Result<std::string> out = set_.Execute(name, data);
    EXPECT_TRUE(out.ok()) << name << ": " << out.status().message();
    return out.ok() ? *out : "";
  }

  // Checks the slack.default.* templates against the attachment of a reconstructed payload.
  void ExpectSlackPayload(const std::string& file, const Value& data) {
    std::filesystem::path path = SharedDir() / "conformance/slack/reconstructed" / file;
    simdjson::dom::parser parser;
    simdjson::dom::element payload;
    ASSERT_EQ(parser.load(path.string()).get(payload), simdjson::SUCCESS) << path;
    simdjson::dom::element attachment;
    ASSERT_EQ(payload["attachments"].at(0).get(attachment), simdjson::SUCCESS);
    auto field = [&](simdjson::dom::element object, const char* key) {
      std::string_view value;
      EXPECT_EQ(object[key].get(value), simdjson::SUCCESS) << key;
      return std::string(value);
    };
    EXPECT_EQ(Run("slack.default.username", data), field(payload, "username"));
    EXPECT_EQ(Run("slack.default.title", data), field(attachment, "title"));
    EXPECT_EQ(Run("slack.default.titlelink", data), field(attachment, "title_link"));
    EXPECT_EQ(Run("slack.default.text", data), field(attachment, "text"));
    EXPECT_EQ(Run("slack.default.fallback", data), field(attachment, "fallback"));
    EXPECT_EQ(Run("slack.default.callbackid", data), field(attachment, "callback_id"));
    EXPECT_EQ(Run("slack.default.footer", data), field(attachment, "footer"));
    EXPECT_EQ(Run("slack.default.color", data), field(attachment, "color"));
  }

  ManualClock clock_;
  TemplateSet set_{AlertmanagerFuncs(clock_)};
};

TEST_F(DefaultTemplateTest, SlackFiringAsAlertmanagerSendsIt) {
  ExpectSlackPayload("alertmanager-slack-default-firing.json", Group(false));
  EXPECT_EQ(Run("__subject", Group(false)), "[FIRING:2] InstanceDown (node page)");
}

TEST_F(DefaultTemplateTest, SlackResolvedAsAlertmanagerSendsIt) {
  ExpectSlackPayload("alertmanager-slack-default-resolved.json", Group(true));
  EXPECT_EQ(Run("__subject", Group(true)), "[RESOLVED] InstanceDown (node page)");
}

TEST_F(DefaultTemplateTest, AlertListsAndDescriptions) {
  const std::string list =
      "Labels:\n"
      " - alertname = InstanceDown\n"
      " - instance = 10.0.0.1:9100\n"
      " - job = node\n"
      " - severity = page\n"
      "Annotations:\n"
      " - description = 10.0.0.1:9100 of job node has been down for more than 5 minutes.\n"
      " - summary = Instance 10.0.0.1:9100 down\n"
      "Source: http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1\n"
      "Labels:\n"
      " - alertname = InstanceDown\n"
      " - instance = 10.0.0.2:9100\n"
      " - job = node\n"
      " - severity = page\n"
      "Annotations:\n"
      " - description = 10.0.0.2:9100 of job node has been down for more than 5 minutes.\n"
      " - summary = Instance 10.0.0.2:9100 down\n"
      "Source: http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1\n";
  Result<std::string> alert_list =
      set_.ExecuteText("{{ template \"__text_alert_list\" .Alerts }}", Group(false));
  ASSERT_TRUE(alert_list.ok()) << alert_list.status().message();
  EXPECT_EQ(*alert_list, list);
  EXPECT_EQ(Run("opsgenie.default.description", Group(false)), "\nAlerts Firing:\n" + list + "\n");
  EXPECT_EQ(Run("opsgenie.default.description", Group(true)), "\n\nAlerts Resolved:\n" + list);
  EXPECT_EQ(Run("jira.default.priority", Group(false)), "");
}

TEST_F(DefaultTemplateTest, UserTemplatesOverrideAndUseTheDefaults) {
  ASSERT_TRUE(set_.Parse("user.tmpl",
                         "{{ define \"slack.default.title\" }}:fire: {{ template \"__subject\" . "
                         "}}{{ end }}{{ define \"slack.default.text\" }}{{ range .Alerts }}"
                         "{{ .Annotations.summary }} since {{ .StartsAt | date \"15:04\" }}\n"
                         "{{ end }}{{ end }}")
                  .ok());
  EXPECT_EQ(Run("slack.default.title", Group(false)), ":fire: [FIRING:2] InstanceDown (node page)");
  EXPECT_EQ(Run("slack.default.text", Group(false)),
            "Instance 10.0.0.1:9100 down since 10:20\nInstance 10.0.0.2:9100 down since 10:20\n");
  Result<std::string> inline_text = set_.ExecuteText(
      "{{ template \"slack.default.title\" . }} <{{ .ExternalURL }}>", Group(false));
  ASSERT_TRUE(inline_text.ok()) << inline_text.status().message();
  EXPECT_EQ(*inline_text,
            ":fire: [FIRING:2] InstanceDown (node page) <http://alertmanager.example.com:9093>");
}

}  // namespace
}  // namespace argus::tmpl
