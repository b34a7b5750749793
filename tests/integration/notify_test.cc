// Notifications end to end, against the binary: alerts posted to Alertmanager's API v2 and
// deploys recorded by `argus event deploy` reach a fake Slack on loopback as Block Kit messages;
// a message in flight when the server is killed (kill -9) is delivered after the restart, and
// nothing is delivered twice.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include "fake_slack_fixture.h"
#include "process.h"

namespace argus::testing {
namespace {

using notify::FakeSlack;
using std::chrono::seconds;

class NotifyIntegrationTest : public FakeSlackTest {
 protected:
  void SetUp() override {
    FakeSlackTest::SetUp();
    if (HasFatalFailure()) return;
    dir_.Write("rules.yml", R"(
groups:
  - name: always
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(42)
        labels: {severity: page, namespace: shop}
        annotations: {summary: "The answer is {{ $value }}"}
)");
    config_ = dir_.Write("argus.yml", fmt::format(R"(
scrape_configs: []
rule_files: [rules.yml]
notify:
  route:
    receiver: team
    group_by: [alertname]
    group_wait: 1s
    group_interval: 1h
  receivers:
    - name: team
      slack_configs:
        - api_url: '{}'
          channel: '#alerts'
          send_resolved: true
)",
                                                  slack_->url()));
  }

  void TearDown() override {
    if (server_) server_->Signal(SIGKILL);
    FakeSlackTest::TearDown();
  }

  void StartServer() {
    if (port_ == 0) port_ = FreePort();
    server_ = StartArgus(dir_, config_, port_);
    ASSERT_TRUE(server_.has_value());
    ASSERT_TRUE(BecomesReady(*server_, port_));
  }

  void PostAlert(const std::string& name) {
    auto reply =
        HttpPost(port_, "/api/v2/alerts",
                 fmt::format(R"([{{"labels":{{"alertname":"{}","namespace":"shop",)"
                             R"("pod":"cart-1"}},"annotations":{{"summary":"{} in shop"}}}}])",
                             name, name),
                 "application/json");
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  // The `text` fallback of each message Slack received, in order.
  std::vector<std::string> Texts() {
    std::vector<std::string> texts;
    simdjson::dom::parser parser;
    for (const FakeSlack::Request& request : slack_->requests()) {
      simdjson::dom::element message;
      EXPECT_EQ(parser.parse(simdjson::padded_string(request.body)).get(message), simdjson::SUCCESS)
          << request.body;
      std::string_view text, channel;
      simdjson::dom::array blocks;
      EXPECT_EQ(message["text"].get(text), simdjson::SUCCESS) << request.body;
      EXPECT_EQ(message["channel"].get(channel), simdjson::SUCCESS) << request.body;
      EXPECT_EQ(channel, "#alerts");
      EXPECT_EQ(message["blocks"].get(blocks), simdjson::SUCCESS) << request.body;
      texts.emplace_back(text);
    }
    return texts;
  }

  // Waits until the server's queue holds nothing.
  bool QueueEmpty() {
    return WaitFor(
        [&] {
          return HttpGet(port_, "/metrics").body.find("\nargus_notify_queue_length 0\n") !=
                 std::string::npos;
        },
        seconds(30));
  }

  TempDir dir_;
  std::filesystem::path config_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(NotifyIntegrationTest, AlertsAndDeploysReachSlackOnceAcrossAKill) {
  StartServer();
  // The rule's alert fires at its first evaluation and is told once its group waited.
  ASSERT_TRUE(slack_->WaitForRequests(1, absl::Seconds(30))) << server_->Log();
  EXPECT_NE(Texts()[0].find("AlwaysFiring"), std::string::npos) << Texts()[0];
  EXPECT_NE(slack_->requests()[0].body.find("The answer is 42"), std::string::npos)
      << slack_->requests()[0].body;

  PostAlert("CartDown");
  ASSERT_TRUE(slack_->WaitForRequests(2, absl::Seconds(30))) << server_->Log();
  EXPECT_NE(Texts()[1].find("CartDown"), std::string::npos) << Texts()[1];
  EXPECT_NE(
      HttpGet(port_, "/metrics").body.find("\nalertmanager_dispatcher_aggregation_groups 2\n"),
      std::string::npos);

  auto deploy = ChildProcess::Start({std::getenv("ARGUS_BINARY"), "event", "deploy",
                                     "--url=http://127.0.0.1:" + std::to_string(port_),
                                     "--service=checkout", "--version=1.4.2", "--text=cart rework"},
                                    dir_.path() / "deploy.log");
  ASSERT_TRUE(deploy.has_value());
  ASSERT_EQ(deploy->Wait(seconds(60)), 0) << deploy->Log();
  ASSERT_TRUE(slack_->WaitForRequests(3, absl::Seconds(30))) << server_->Log();
  std::string deploy_text = Texts()[2];
  EXPECT_NE(deploy_text.find("deploy"), std::string::npos) << deploy_text;
  EXPECT_NE(deploy_text.find("checkout"), std::string::npos) << deploy_text;
  EXPECT_NE(deploy_text.find("1.4.2"), std::string::npos) << deploy_text;

  // Slack stops answering: the next message is on disk and in flight when the server dies.
  slack_->Script({FakeSlack::Reply::Hang()});
  PostAlert("PaymentsDown");
  ASSERT_TRUE(slack_->WaitForRequests(4, absl::Seconds(30))) << server_->Log();
  server_->Signal(SIGKILL);
  server_->Wait(seconds(30));
  slack_->ReleaseHung();

  // After the restart the message in flight is sent again. The rule's alert, whose firing state
  // the server restores, was told before: it is not told again.
  StartServer();
  ASSERT_TRUE(slack_->WaitForRequests(5, absl::Seconds(60))) << server_->Log();
  ASSERT_TRUE(QueueEmpty()) << server_->Log();
  std::vector<std::string> texts = Texts();
  ASSERT_EQ(texts.size(), 5u);
  EXPECT_NE(texts[3].find("PaymentsDown"), std::string::npos) << texts[3];
  EXPECT_EQ(texts[4], texts[3]);
}

TEST_F(NotifyIntegrationTest, TheSlackUrlIsShownAsASecret) {
  StartServer();
  for (const char* path : {"/api/v2/status", "/api/v1/status/config"}) {
    std::string body = HttpGet(port_, path).body;
    EXPECT_EQ(body.find(slack_->url()), std::string::npos) << path << ": " << body;
    // JSON as Go writes it: < and > escaped.
    EXPECT_NE(body.find(R"(api_url: \u003csecret\u003e)"), std::string::npos)
        << path << ": " << body;
  }
}

}  // namespace
}  // namespace argus::testing
