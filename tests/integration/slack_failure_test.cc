// Slack webhooks that do not work, against the binary: one answers an HTML page with status 200
// (a proxy's or a login page, where Slack answers the plain text "ok"), one redirects (302) to
// such a page, one never answers. Each is a clear failure in the log, naming its receiver and
// not its URL, and in the metrics: the first two fail for good
// (alertmanager_notifications_failed_total{reason="other"}); the silent one is a timed-out
// request (alertmanager_notification_requests_failed_total) whose message stays queued, to be
// retried until the webhook answers, as every transient failure is.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>

#include "http/event_loop.h"
#include "notify/fake_slack_test_util.h"
#include "process.h"

namespace argus::testing {
namespace {

using notify::FakeSlack;
using Reply = FakeSlack::Reply;
using std::chrono::seconds;

class SlackFailureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loop_.Start();
    for (auto* slack : {&html_, &redirect_, &hang_}) {
      auto started = FakeSlack::Start(loop_);
      ASSERT_TRUE(started.ok()) << started.status().message();
      *slack = std::move(*started);
    }
    html_->SetDefault(Reply::Html());
    redirect_->Script({Reply::Redirect(redirect_->url("/sign-in"))});
    redirect_->SetDefault(Reply::Html());
    hang_->SetDefault(Reply::Hang());

    std::string receivers;
    for (auto [name, slack] : Receivers()) {
      receivers += fmt::format(
          "    - name: {}\n      slack_configs: [{{api_url: '{}', channel: '#alerts'}}]\n", name,
          slack->url());
    }
    std::filesystem::path config = dir_.Write("argus.yml", fmt::format(R"(
scrape_configs: []
notify:
  route:
    receiver: html
    group_by: [alertname]
    group_wait: 200ms
    routes:
      - {{matchers: ['webhook="redirect"'], receiver: redirect}}
      - {{matchers: ['webhook="hang"'], receiver: hang}}
  receivers:
{})",
                                                                       receivers));
    port_ = FreePort();
    server_ = StartArgus(dir_, config, port_);
    ASSERT_TRUE(server_.has_value());
    ASSERT_TRUE(BecomesReady(*server_, port_));
  }

  void TearDown() override {
    if (server_) server_->Signal(SIGKILL);
    for (auto [name, slack] : Receivers()) {
      if (slack) slack->Shutdown();
    }
    loop_.Stop();
  }

  std::vector<std::pair<std::string, FakeSlack*>> Receivers() {
    return {{"html", html_.get()}, {"redirect", redirect_.get()}, {"hang", hang_.get()}};
  }

  // The server's log lines about receiver `name`.
  std::vector<std::string> LogLines(const std::string& name) {
    std::vector<std::string> found;
    std::istringstream log(server_->Log());
    for (std::string line; std::getline(log, line);) {
      if (line.find("receiver=" + name + " ") != std::string::npos) found.push_back(line);
    }
    return found;
  }

  // Whether a log line about receiver `name` has every one of `words`.
  bool Logged(const std::string& name, const std::vector<std::string>& words) {
    for (const std::string& line : LogLines(name)) {
      bool all = true;
      for (const std::string& word : words) all = all && line.find(word) != std::string::npos;
      if (all) return true;
    }
    return false;
  }

  double Metric(const std::string& series) { return MetricValue(port_, series).value_or(-1); }

  http::EventLoop loop_{1};
  std::unique_ptr<FakeSlack> html_, redirect_, hang_;
  TempDir dir_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(SlackFailureTest, HtmlPagesRedirectsAndNoAnswerAreClearFailures) {
  auto reply = HttpPost(port_, "/api/v2/alerts",
                        R"([{"labels":{"alertname":"CartDown","webhook":"html"}},)"
                        R"({"labels":{"alertname":"CartDown","webhook":"redirect"}},)"
                        R"({"labels":{"alertname":"CartDown","webhook":"hang"}}])",
                        "application/json");
  ASSERT_EQ(reply.status, 200) << reply.body;

  // An HTML page, straight away or behind the redirect that was followed, fails for good.
  const std::string failed = R"(alertmanager_notifications_failed_total{integration="slack",)"
                             R"(reason="other"})";
  ASSERT_TRUE(WaitFor([&] { return Metric(failed) == 2; }, seconds(30))) << server_->Log();
  for (const char* name : {"html", "redirect"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(Logged(name, {"level=error", "failed for good", "status 200",
                              "an HTML page instead of \\\"ok\\\""}))
        << server_->Log();
  }
  EXPECT_TRUE(Logged("redirect", {"level=error", "(after 1 redirect)"})) << server_->Log();
  EXPECT_FALSE(Logged("html", {"redirect"})) << server_->Log();
  ASSERT_EQ(redirect_->request_count(), 2u);
  EXPECT_EQ(redirect_->requests()[1].path, "/sign-in");
  EXPECT_EQ(redirect_->requests()[1].body, redirect_->requests()[0].body);

  // The silent webhook times out (after the default 10 s) and its message waits for a retry.
  ASSERT_TRUE(WaitFor(
      [&] {
        return Logged("hang", {"level=warn", "will retry", "timed out"});
      },
      seconds(30)))
      << server_->Log();
  EXPECT_EQ(Metric(R"(alertmanager_notification_requests_failed_total{integration="slack"})"), 3);
  EXPECT_EQ(Metric(failed), 2);
  EXPECT_EQ(Metric("argus_notify_queue_length"), 1);

  // The webhooks' URLs are secrets.
  for (auto [name, slack] : Receivers()) {
    EXPECT_EQ(server_->Log().find(slack->url()), std::string::npos) << server_->Log();
  }
}

}  // namespace
}  // namespace argus::testing
