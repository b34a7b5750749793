// The forwarder to external Alertmanagers against fake Alertmanagers on loopback: batches, the
// bounded queue, failures, relabeling, HTTP client settings and service discovery.

#include "notify/forwarder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "base/manual_timer_source.h"
#include "http/event_loop.h"
#include "notify/fake_slack_test_util.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

model::Alert MakeAlert(std::string name) {
  return model::Alert{.labels = model::Labels{{"alertname", std::move(name)}, {"severity", "page"}},
                      .annotations = model::Labels{{"summary", "it broke"}},
                      .starts_at_ms = 1'700'000'000'000,
                      .ends_at_ms = 1'700'000'060'000,
                      .generator_url = "http://argus:9090/graph"};
}

std::vector<model::Alert> MakeAlerts(std::string_view prefix, int n) {
  std::vector<model::Alert> alerts;
  for (int i = 0; i < n; ++i) alerts.push_back(MakeAlert(std::string(prefix) + std::to_string(i)));
  return alerts;
}

class ForwarderTest : public ::testing::Test {
 protected:
  ForwarderTest() { loop_.Start(); }
  ~ForwarderTest() override {
    for (auto& am : servers_) am->Shutdown();  // Answers what hangs.
    forwarder_.reset();
    loop_.Stop();
  }

  // A fake Alertmanager: it records what it is sent and answers as scripted.
  FakeSlack& StartAlertmanager() {
    auto am = FakeSlack::Start(loop_);
    EXPECT_TRUE(am.ok()) << am.status().message();
    servers_.push_back(std::move(*am));
    return *servers_.back();
  }
  static std::string Address(const FakeSlack& am) { return am.url("").substr(strlen("http://")); }

  void Start(const config::AlertingConfig& alerting, AlertForwarder::Options options = {},
             const model::Labels& external_labels = {}) {
    forwarder_ = std::make_unique<AlertForwarder>(client_, timers_, registry_, options);
    forwarder_->ApplyConfig(alerting, external_labels);
  }
  void Send(const std::vector<model::Alert>& alerts) {
    forwarder_->Send(alerts);
    ASSERT_TRUE(forwarder_->WaitUntilIdle(absl::Seconds(60)));
  }

  // The alert names of each request `am` received, and checks each body's shape.
  std::vector<std::vector<std::string>> Batches(const FakeSlack& am) {
    std::vector<std::vector<std::string>> batches;
    simdjson::dom::parser parser;
    for (const FakeSlack::Request& request : am.requests()) {
      simdjson::dom::array alerts;
      EXPECT_EQ(parser.parse(simdjson::padded_string(request.body)).get(alerts), simdjson::SUCCESS)
          << request.body;
      std::vector<std::string> names;
      for (simdjson::dom::element alert : alerts) {
        std::string_view name;
        EXPECT_EQ(alert["labels"]["alertname"].get(name), simdjson::SUCCESS) << request.body;
        names.emplace_back(name);
      }
      batches.push_back(std::move(names));
    }
    return batches;
  }

  // The value of the sample `series` on /metrics, or -1 when absent.
  double Metric(const std::string& series) const {
    std::string text;
    registry_.Render(&text);
    size_t at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }

  static config::AlertmanagerConfig StaticSet(const std::vector<const FakeSlack*>& ams) {
    config::AlertmanagerConfig set;
    config::StaticConfig targets;
    for (const FakeSlack* am : ams) targets.targets.push_back(Address(*am));
    set.static_configs.push_back(std::move(targets));
    return set;
  }

  tsdb::wal::wal_test::ScratchDir tmp_;
  ManualClock clock_;
  ManualTimerSource timers_{clock_};
  http::EventLoop loop_{2};
  http::Client client_{loop_};
  MetricsRegistry registry_;
  std::vector<std::unique_ptr<FakeSlack>> servers_;  // Destroyed after the loop stopped.
  std::unique_ptr<AlertForwarder> forwarder_;
};

TEST_F(ForwarderTest, PostsBatchesOfPostableAlertsToEveryAlertmanager) {
  FakeSlack& a = StartAlertmanager();
  FakeSlack& b = StartAlertmanager();
  config::AlertingConfig alerting;
  alerting.alertmanagers.push_back(StaticSet({&a, &b}));
  alerting.alertmanagers[0].path_prefix = "/am/";
  Start(alerting);
  std::string url_a = "http://" + Address(a) + "/am/api/v2/alerts";
  EXPECT_THAT(forwarder_->Alertmanagers(),
              ElementsAre(url_a, "http://" + Address(b) + "/am/api/v2/alerts"));
  Send(MakeAlerts("A", 100));
  for (const FakeSlack* am : {&a, &b}) {
    auto batches = Batches(*am);
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[0].size(), 64u);
    EXPECT_EQ(batches[0][0], "A0");
    EXPECT_EQ(batches[1].size(), 36u);
    EXPECT_EQ(batches[1][35], "A99");
    const FakeSlack::Request first = am->requests()[0];
    EXPECT_EQ(first.method, "POST");
    EXPECT_EQ(first.path, "/am/api/v2/alerts");
    EXPECT_EQ(first.headers.at("content-type"), "application/json");
  }
  EXPECT_THAT(a.requests()[0].body,
              HasSubstr(R"({"labels":{"alertname":"A0","severity":"page"},)"
                        R"("annotations":{"summary":"it broke"},)"
                        R"("startsAt":"2023-11-14T22:13:20Z","endsAt":"2023-11-14T22:14:20Z",)"
                        R"("generatorURL":"http://argus:9090/graph"})"));
  EXPECT_EQ(Metric("prometheus_notifications_sent_total{alertmanager=\"" + url_a + "\"}"), 100);
  EXPECT_EQ(Metric("prometheus_notifications_errors_total{alertmanager=\"" + url_a + "\"}"), 0);
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 0);
  EXPECT_EQ(Metric("prometheus_notifications_alertmanagers_discovered"), 2);
  EXPECT_EQ(Metric("prometheus_notifications_queue_capacity"), 10000);
}

TEST_F(ForwarderTest, ABatchNoAlertmanagerTookIsDroppedAndCounted) {
  FakeSlack& up = StartAlertmanager();
  FakeSlack& down = StartAlertmanager();
  down.SetDefault(FakeSlack::Reply::ServerError());
  config::AlertingConfig alerting;
  alerting.alertmanagers.push_back(StaticSet({&up, &down}));
  Start(alerting);
  std::string url_down = "http://" + Address(down) + "/api/v2/alerts";
  // One Alertmanager took it: not dropped.
  Send(MakeAlerts("A", 3));
  EXPECT_EQ(Metric("prometheus_notifications_errors_total{alertmanager=\"" + url_down + "\"}"), 1);
  EXPECT_EQ(Metric("prometheus_notifications_sent_total{alertmanager=\"" + url_down + "\"}"), 3);
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 0);
  // None did: dropped, and not sent again.
  up.SetDefault(FakeSlack::Reply::ServerError());
  Send(MakeAlerts("B", 3));
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 3);
  Send(MakeAlerts("C", 1));
  EXPECT_THAT(Batches(up), ElementsAre(ElementsAre("A0", "A1", "A2"), ElementsAre("B0", "B1", "B2"),
                                       ElementsAre("C0")));
}

TEST_F(ForwarderTest, AnAlertmanagerThatHangsTimesOutOnTheClock) {
  FakeSlack& am = StartAlertmanager();
  am.Script({FakeSlack::Reply::Hang()});
  config::AlertingConfig alerting;
  alerting.alertmanagers.push_back(StaticSet({&am}));
  alerting.alertmanagers[0].timeout = std::chrono::seconds(3);
  Start(alerting);
  forwarder_->Send(MakeAlerts("A", 2));
  ASSERT_TRUE(am.WaitForRequests(1, absl::Seconds(60)));
  timers_.Advance(std::chrono::milliseconds(2999));
  EXPECT_FALSE(forwarder_->WaitUntilIdle(absl::ZeroDuration()));
  timers_.Advance(std::chrono::milliseconds(1));
  ASSERT_TRUE(forwarder_->WaitUntilIdle(absl::Seconds(60)));
  std::string url = "http://" + Address(am) + "/api/v2/alerts";
  EXPECT_EQ(Metric("prometheus_notifications_errors_total{alertmanager=\"" + url + "\"}"), 1);
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 2);
  // The next batch goes out.
  Send(MakeAlerts("B", 1));
  EXPECT_EQ(am.request_count(), 2u);
}

TEST_F(ForwarderTest, AFullQueueDropsTheOldestAlerts) {
  FakeSlack& am = StartAlertmanager();
  am.Script({FakeSlack::Reply::Hang()});
  config::AlertingConfig alerting;
  alerting.alertmanagers.push_back(StaticSet({&am}));
  Start(alerting, {.queue_capacity = 5, .max_batch_size = 2});
  forwarder_->Send(MakeAlerts("A", 2));  // In flight, unanswered.
  ASSERT_TRUE(am.WaitForRequests(1, absl::Seconds(60)));
  forwarder_->Send(MakeAlerts("B", 8));
  EXPECT_EQ(Metric("prometheus_notifications_queue_length"), 5);
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 3);
  // Past capacity within one call: the oldest of the call go too.
  forwarder_->Send(MakeAlerts("C", 7));
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 3 + 2 + 5);
  am.ReleaseHung();
  ASSERT_TRUE(forwarder_->WaitUntilIdle(absl::Seconds(60)));
  EXPECT_THAT(Batches(am), ElementsAre(ElementsAre("A0", "A1"), ElementsAre("C2", "C3"),
                                       ElementsAre("C4", "C5"), ElementsAre("C6")));
  EXPECT_EQ(Metric("prometheus_notifications_queue_length"), 0);
}

TEST_F(ForwarderTest, ExternalLabelsAndRelabelingApplyBeforeSending) {
  FakeSlack& first = StartAlertmanager();
  FakeSlack& second = StartAlertmanager();
  config::AlertingConfig alerting;
  model::RelabelConfig drop_info{
      .source_labels = {"severity"}, .regex_text = "info", .action = model::RelabelAction::kDrop};
  ASSERT_TRUE(drop_info.Validate().ok());
  alerting.alert_relabel_configs.push_back(drop_info);
  alerting.alertmanagers.push_back(StaticSet({&first}));
  alerting.alertmanagers.push_back(StaticSet({&second}));
  model::RelabelConfig via{.target_label = "via", .replacement = "second"};
  ASSERT_TRUE(via.Validate().ok());
  alerting.alertmanagers[1].alert_relabel_configs.push_back(via);
  Start(alerting, {}, model::Labels{{"cluster", "eu"}, {"severity", "none"}});
  model::Alert info = MakeAlert("Info");
  info.labels = model::Labels{{"alertname", "Info"}, {"severity", "info"}};
  Send({MakeAlert("Page"), info});
  ASSERT_EQ(first.request_count(), 1u);
  // The alert's own severity stays; the missing cluster is added.
  EXPECT_THAT(first.requests()[0].body,
              HasSubstr(R"("labels":{"alertname":"Page","cluster":"eu","severity":"page"})"));
  EXPECT_THAT(first.requests()[0].body, ::testing::Not(HasSubstr("Info")));
  ASSERT_EQ(second.request_count(), 1u);
  EXPECT_THAT(second.requests()[0].body, HasSubstr(R"("severity":"page","via":"second"})"));
}

TEST_F(ForwarderTest, HttpClientSettingsAndApiVersionShapeTheRequest) {
  FakeSlack& am = StartAlertmanager();
  config::AlertingConfig alerting;
  alerting.alertmanagers.push_back(StaticSet({&am}));
  alerting.alertmanagers[0].api_version = "v1";
  alerting.alertmanagers[0].http_client.basic_auth =
      config::HttpClientConfig::BasicAuth{.username = "argus", .password = "s3cret"};
  Start(alerting);
  Send({MakeAlert("A")});
  ASSERT_EQ(am.request_count(), 1u);
  EXPECT_EQ(am.requests()[0].path, "/api/v1/alerts");
  EXPECT_EQ(am.requests()[0].headers.at("authorization"), "Basic YXJndXM6czNjcmV0");
}

TEST_F(ForwarderTest, WithoutAlertmanagersNothingIsQueuedOrDropped) {
  Start({});
  Send(MakeAlerts("A", 3));
  EXPECT_EQ(Metric("prometheus_notifications_queue_length"), 0);
  EXPECT_EQ(Metric("prometheus_notifications_dropped_total"), 0);
  EXPECT_EQ(Metric("prometheus_notifications_alertmanagers_discovered"), 0);
}

TEST_F(ForwarderTest, FileDiscoveryAndRelabelingFindTheAlertmanagers) {
  FakeSlack& a = StartAlertmanager();
  FakeSlack& b = StartAlertmanager();
  std::filesystem::path file = tmp_.path() / "ams.json";
  auto write = [&](const std::string& text) { std::ofstream(file) << text; };
  write(R"([{"targets": [")" + Address(a) + R"("], "labels": {"zone": "a"}}])");
  config::AlertingConfig alerting;
  config::AlertmanagerConfig set;
  set.file_sd_configs.push_back(
      config::FileSdConfig{.files = {file.string()}, .refresh_interval = std::chrono::seconds(5)});
  model::RelabelConfig keep{
      .source_labels = {"zone"}, .regex_text = "a|b", .action = model::RelabelAction::kKeep};
  ASSERT_TRUE(keep.Validate().ok());
  set.relabel_configs.push_back(keep);
  alerting.alertmanagers.push_back(set);
  Start(alerting);
  std::string url_a = "http://" + Address(a) + "/api/v2/alerts";
  std::string url_b = "http://" + Address(b) + "/api/v2/alerts";
  EXPECT_THAT(forwarder_->Alertmanagers(), ElementsAre(url_a));
  write(R"([{"targets": [")" + Address(a) + R"("], "labels": {"zone": "c"}},)" +
        R"( {"targets": [")" + Address(b) + R"("], "labels": {"zone": "b"}}])");
  timers_.Advance(std::chrono::seconds(5));
  EXPECT_THAT(forwarder_->Alertmanagers(), ElementsAre(url_b));
  // The counters follow the Alertmanagers found.
  EXPECT_EQ(Metric("prometheus_notifications_sent_total{alertmanager=\"" + url_b + "\"}"), 0);
  EXPECT_EQ(Metric("prometheus_notifications_sent_total{alertmanager=\"" + url_a + "\"}"), -1);
  Send({MakeAlert("A")});
  EXPECT_EQ(a.request_count(), 0u);
  EXPECT_EQ(b.request_count(), 1u);
}

TEST(AlertmanagerUrlTest, IsDerivedAsPrometheusDerivesIt) {
  struct Case {
    std::string scheme, path_prefix, api_version;
    model::Labels discovered;
    std::string url;  // Empty: dropped or invalid.
  } cases[] = {
      {"http", "", "v2", {{"__address__", "am:9093"}}, "http://am:9093/api/v2/alerts"},
      {"https", "/", "v2", {{"__address__", "am:9093"}}, "https://am:9093/api/v2/alerts"},
      {"http", "am//x/", "v1", {{"__address__", "am"}}, "http://am/am/x/api/v1/alerts"},
      // Discovered __scheme__ and __alerts_path__ win over the set's.
      {"http",
       "",
       "v2",
       {{"__address__", "am:1"}, {"__alerts_path__", "/p"}, {"__scheme__", "https"}},
       "https://am:1/p"},
      {"http", "", "v2", {{"__address__", "http://am:9093"}}, ""},
  };
  for (const Case& c : cases) {
    config::AlertmanagerConfig config;
    config.scheme = c.scheme;
    config.path_prefix = c.path_prefix;
    config.api_version = c.api_version;
    auto url = AlertmanagerUrl(c.discovered, config);
    if (c.url.empty()) {
      EXPECT_FALSE(url.ok()) << c.discovered.ToString();
      continue;
    }
    ASSERT_TRUE(url.ok()) << url.status().message();
    ASSERT_TRUE(url->has_value());
    EXPECT_EQ(**url, c.url);
  }
}

}  // namespace
}  // namespace argus::notify
