// Argus' alerting with the real peers on loopback: Argus forwards its rules' alerts to a real
// Alertmanager 0.25 (`alerting.alertmanagers`), and a real Prometheus 2.42 uses Argus as its
// Alertmanager, its alerts reaching Argus' routing and a fake Slack.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "fake_slack_fixture.h"
#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr char kAlertmanager[] = "/usr/bin/prometheus-alertmanager";
constexpr char kPrometheus[] = "/usr/bin/prometheus";

// The alert named `name` in an answer of /api/v2/alerts, or nullopt.
std::optional<simdjson::dom::element> FindAlert(simdjson::dom::parser& parser,
                                                const std::string& body, std::string_view name) {
  simdjson::dom::array alerts;
  if (parser.parse(body).get(alerts) != simdjson::SUCCESS) return std::nullopt;
  for (simdjson::dom::element alert : alerts) {
    std::string_view alertname;
    if (alert["labels"]["alertname"].get(alertname) == simdjson::SUCCESS && alertname == name) {
      return alert;
    }
  }
  return std::nullopt;
}

std::string_view Field(simdjson::dom::element alert, const char* pointer) {
  std::string_view value;
  return alert.at_pointer(pointer).get(value) == simdjson::SUCCESS ? value : "<absent>";
}

TEST(AlertmanagerInteropTest, ArgusForwardsItsRulesAlertsToAlertmanager) {
  if (!std::filesystem::exists(kAlertmanager)) {
    GTEST_SKIP() << "prometheus-alertmanager (Debian's package) is not installed";
  }
  TempDir dir;
  uint16_t am_port = FreePort();
  auto am_config = dir.Write("alertmanager.yml",
                             "route: {receiver: blackhole}\nreceivers: [{name: blackhole}]\n");
  auto alertmanager = ChildProcess::Start(
      {kAlertmanager, "--config.file=" + am_config.string(),
       "--storage.path=" + (dir.path() / "am").string(),
       "--web.listen-address=127.0.0.1:" + std::to_string(am_port), "--cluster.listen-address="},
      dir.path() / "alertmanager.log");
  ASSERT_TRUE(alertmanager.has_value());
  ASSERT_TRUE(BecomesReady(*alertmanager, am_port));

  dir.Write("rules.yml", R"(groups:
  - name: always
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(42)
        labels: {severity: page}
        annotations: {summary: "The answer is {{ $value }}"}
)");
  auto config = dir.Write("argus.yml", fmt::format(R"(global:
  external_labels: {{cluster: loopback}}
rule_files: [rules.yml]
scrape_configs: []
alerting:
  alertmanagers:
    - static_configs: [{{targets: ['127.0.0.1:{}']}}]
)",
                                                   am_port));
  uint16_t port = FreePort();
  auto argus = StartArgus(dir, config, port);
  ASSERT_TRUE(argus.has_value());

  simdjson::dom::parser parser;
  std::string body;
  std::optional<simdjson::dom::element> alert;
  bool arrived = WaitFor(
      [&] {
        body = HttpGet(am_port, "/api/v2/alerts").body;
        alert = FindAlert(parser, body, "AlwaysFiring");
        return alert.has_value();
      },
      seconds(60));
  ASSERT_TRUE(arrived) << body << "\n" << argus->Log() << "\n" << alertmanager->Log();
  EXPECT_EQ(Field(*alert, "/labels/severity"), "page") << body;
  EXPECT_EQ(Field(*alert, "/labels/cluster"), "loopback") << body;
  EXPECT_EQ(Field(*alert, "/annotations/summary"), "The answer is 42") << body;
  EXPECT_EQ(Field(*alert, "/status/state"), "active") << body;
  EXPECT_NE(Field(*alert, "/generatorURL").find("/graph?g0.expr="), std::string_view::npos) << body;

  std::string metrics = HttpGet(port, "/metrics").body;
  EXPECT_NE(metrics.find(fmt::format(
                "prometheus_notifications_sent_total{{alertmanager=\"http://127.0.0.1:{}/api/v2/"
                "alerts\"}}",
                am_port)),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("\nprometheus_notifications_alertmanagers_discovered 1\n"),
            std::string::npos)
      << metrics;
}

using PrometheusInteropTest = FakeSlackTest;

TEST_F(PrometheusInteropTest, PrometheusUsesArgusAsItsAlertmanager) {
  if (!std::filesystem::exists(kPrometheus)) GTEST_SKIP() << "prometheus is not installed";
  TempDir dir;

  auto config = dir.Write("argus.yml", fmt::format(R"(scrape_configs: []
notify:
  route: {{receiver: team, group_by: [alertname], group_wait: 1s, group_interval: 1h}}
  receivers:
    - name: team
      slack_configs: [{{api_url: '{}', channel: '#alerts'}}]
)",
                                                   slack_->url()));
  uint16_t port = FreePort();
  auto argus = StartArgus(dir, config, port);
  ASSERT_TRUE(argus.has_value());
  ASSERT_TRUE(BecomesReady(*argus, port));

  dir.Write("prometheus-rules.yml", R"(groups:
  - name: prometheus
    interval: 1s
    rules:
      - alert: FromPrometheus
        expr: vector(7)
        labels: {team: storage}
        annotations: {summary: "Prometheus says {{ $value }}"}
)");
  auto prom_config = dir.Write("prometheus.yml", fmt::format(R"(global:
  evaluation_interval: 1s
rule_files: [prometheus-rules.yml]
alerting:
  alertmanagers:
    - api_version: v2
      static_configs: [{{targets: ['127.0.0.1:{}']}}]
)",
                                                             port));
  uint16_t prom_port = FreePort();
  auto prometheus =
      ChildProcess::Start({kPrometheus, "--config.file=" + prom_config.string(),
                           "--storage.tsdb.path=" + (dir.path() / "prom").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prom_port),
                           // Its first alerts may go out before it found Argus: sent again soon.
                           "--rules.alert.resend-delay=1s"},
                          dir.path() / "prometheus.log");
  ASSERT_TRUE(prometheus.has_value());

  simdjson::dom::parser parser;
  std::string body;
  std::optional<simdjson::dom::element> alert;
  bool arrived = WaitFor(
      [&] {
        body = HttpGet(port, "/api/v2/alerts").body;
        alert = FindAlert(parser, body, "FromPrometheus");
        return alert.has_value();
      },
      seconds(60));
  ASSERT_TRUE(arrived) << body << "\n" << prometheus->Log() << "\n" << argus->Log();
  EXPECT_EQ(Field(*alert, "/labels/team"), "storage") << body;
  EXPECT_EQ(Field(*alert, "/annotations/summary"), "Prometheus says 7") << body;

  ASSERT_TRUE(slack_->WaitForRequests(1, absl::Seconds(60))) << argus->Log();
  std::string message = slack_->requests()[0].body;
  EXPECT_NE(message.find("FromPrometheus"), std::string::npos) << message;
  EXPECT_NE(message.find("Prometheus says 7"), std::string::npos) << message;
}

}  // namespace
}  // namespace argus::testing
