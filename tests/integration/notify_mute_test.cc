// Silences and inhibition against the binary: alerts posted to Alertmanager's API v2 go through
// two routes (team="db" and team="web", each to its own Slack webhook, grouped by alertname) and
// an inhibition rule. A silence made through /api/v2/silences, or with Debian's amtool, keeps its
// group quiet while the other groups of the same receiver are told, and expiring it lets the
// group's next notification through; an alert inhibited by a firing source is left out of its
// group's messages until the source resolves, while the same alert elsewhere is told.
//
// A check that something was NOT sent waits for a later message on the same webhook instead of
// waiting for time to pass: a receiver's messages are sent in the order their groups were
// flushed, and the later message's group was made after the quiet one, with the same group_wait.

#include <absl/time/clock.h>
#include <absl/time/time.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "fake_slack_fixture.h"
#include "process.h"

namespace argus::testing {
namespace {

using notify::FakeSlack;
using std::chrono::seconds;
using Labels = std::map<std::string, std::string>;

constexpr const char* kAmtool = "/usr/bin/amtool";

// Alertmanager's time format, for startsAt and endsAt.
std::string ApiTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

std::string LabelsJson(const Labels& labels) {
  std::string json;
  for (const auto& [name, value] : labels) {
    json += fmt::format(R"({}"{}":"{}")", json.empty() ? "" : ",", name, value);
  }
  return "{" + json + "}";
}

class NotifyMuteTest : public FakeSlackTest {
 protected:
  void SetUp() override {
    FakeSlackTest::SetUp();
    if (HasFatalFailure()) return;
    std::filesystem::path config =
        dir_.Write("argus.yml", fmt::format(R"(
scrape_configs: []
notify:
  route:
    receiver: nobody
    group_by: [alertname]
    group_wait: 200ms
    group_interval: 1s
    repeat_interval: 1h
    routes:
      - matchers: ['team="db"']
        receiver: db
      - matchers: ['team="web"']
        receiver: web
  receivers:
    - name: nobody
    - name: db
      slack_configs: [{{api_url: '{}', channel: '#db'}}]
    - name: web
      slack_configs: [{{api_url: '{}', channel: '#web'}}]
  inhibit_rules:
    - source_matchers: ['alertname="DatabaseDown"']
      target_matchers: ['severity="warning"']
      equal: [cluster]
)",
                                            slack_->url("/db"), slack_->url("/web")));
    port_ = FreePort();
    server_ = StartArgus(dir_, config, port_);
    ASSERT_TRUE(server_.has_value());
    ASSERT_TRUE(BecomesReady(*server_, port_));
  }

  void TearDown() override {
    if (server_) server_->Signal(SIGKILL);
    FakeSlackTest::TearDown();
  }

  // Posts one alert, firing or (`resolved`) ended now.
  void PostAlert(const Labels& labels, bool resolved = false) {
    std::string ends = resolved ? fmt::format(R"(,"endsAt":"{}")", ApiTime(absl::Now())) : "";
    auto reply = HttpPost(port_, "/api/v2/alerts",
                          fmt::format(R"([{{"labels":{}{}}}])", LabelsJson(labels), ends),
                          "application/json");
    ASSERT_EQ(reply.status, 200) << reply.body;
  }

  // The bodies of the messages sent to the webhook at `path` that name `alertname`.
  std::vector<std::string> Messages(const std::string& path, const std::string& alertname) {
    std::vector<std::string> bodies;
    for (const FakeSlack::Request& request : slack_->requests()) {
      if (request.path == path && request.body.find(alertname) != std::string::npos) {
        bodies.push_back(request.body);
      }
    }
    return bodies;
  }

  // Waits until `n` messages naming `alertname` were sent to `path`.
  bool WaitForMessages(const std::string& path, const std::string& alertname, size_t n = 1) {
    return WaitFor([&] { return Messages(path, alertname).size() >= n; }, seconds(30));
  }

  // The status.state of the alert with these `labels` (all of them) in GET /api/v2/alerts, ""
  // when there is none.
  std::string AlertState(const Labels& labels) {
    std::string body = HttpGet(port_, "/api/v2/alerts").body;
    simdjson::dom::parser parser;
    simdjson::dom::array alerts;
    if (parser.parse(body).get(alerts) != simdjson::SUCCESS) return "";
    for (simdjson::dom::element alert : alerts) {
      simdjson::dom::object got;
      if (alert["labels"].get(got) != simdjson::SUCCESS || got.size() != labels.size()) continue;
      bool same = true;
      for (const auto& [name, value] : labels) {
        std::string_view v;
        same = same && got[name].get(v) == simdjson::SUCCESS && v == value;
      }
      std::string_view state;
      if (same && alert["status"]["state"].get(state) == simdjson::SUCCESS) {
        return std::string(state);
      }
    }
    return "";
  }

  bool WaitForState(const Labels& labels, const std::string& state) {
    return WaitFor([&] { return AlertState(labels) == state; }, seconds(30));
  }

  // Makes a silence for alertname=`alertname` through the API; its ID.
  std::string SilenceByApi(const std::string& alertname) {
    absl::Time now = absl::Now();
    auto reply = HttpPost(
        port_, "/api/v2/silences",
        fmt::format(R"({{"matchers":[{{"name":"alertname","value":"{}","isRegex":false,)"
                    R"("isEqual":true}}],"startsAt":"{}","endsAt":"{}","createdBy":"test",)"
                    R"("comment":"maintenance"}})",
                    alertname, ApiTime(now), ApiTime(now + absl::Hours(1))),
        "application/json");
    EXPECT_EQ(reply.status, 200) << reply.body;
    simdjson::dom::parser parser;
    std::string_view id;
    EXPECT_EQ(parser.parse(reply.body)["silenceID"].get(id), simdjson::SUCCESS) << reply.body;
    return std::string(id);
  }

  // Runs amtool with `args` against the server; its exit code and standard output.
  std::pair<int, std::string> Amtool(std::vector<std::string> args) {
    args.insert(args.begin(),
                {kAmtool, "--alertmanager.url=http://127.0.0.1:" + std::to_string(port_)});
    auto p = ChildProcess::Start(args, dir_.path() / "amtool.log");
    EXPECT_TRUE(p.has_value());
    if (!p) return {-1, ""};
    auto code = p->Wait(seconds(30));
    return {code.value_or(-1), p->Log()};
  }

  // `muted` (on `path`'s route) is posted once a silence holds it: its group says nothing while
  // `told`, posted after it on the same route, is sent; once `unmute` expires the silence, the
  // muted group is told at its next flush.
  void ExpectQuietUntilExpired(const std::string& path, const Labels& muted, const Labels& told,
                               const std::function<void()>& unmute) {
    PostAlert(muted);
    ASSERT_TRUE(WaitForState(muted, "suppressed")) << HttpGet(port_, "/api/v2/alerts").body;
    PostAlert(told);
    ASSERT_TRUE(WaitForMessages(path, told.at("alertname"))) << server_->Log();
    EXPECT_TRUE(Messages(path, muted.at("alertname")).empty());

    unmute();
    ASSERT_TRUE(WaitForMessages(path, muted.at("alertname"))) << server_->Log();
    EXPECT_EQ(AlertState(muted), "active");
    EXPECT_EQ(Messages(path, told.at("alertname")).size(), 1u);
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(NotifyMuteTest, ASilenceFromTheApiKeepsItsGroupQuietUntilItExpires) {
  std::string id = SilenceByApi("WebDown");
  ASSERT_FALSE(id.empty());
  ExpectQuietUntilExpired("/web", {{"alertname", "WebDown"}, {"team", "web"}},
                          {{"alertname", "WebSlow"}, {"team", "web"}}, [&] {
                            auto reply = HttpDelete(port_, "/api/v2/silence/" + id);
                            EXPECT_EQ(reply.status, 200) << reply.body;
                          });
  // The other route was never involved.
  EXPECT_EQ(slack_->request_count(), 2u);
}

TEST_F(NotifyMuteTest, ASilenceFromAmtoolKeepsItsGroupQuietUntilItExpires) {
  if (!std::filesystem::exists(kAmtool)) {
    GTEST_SKIP() << kAmtool << " is not installed (Debian package prometheus-alertmanager)";
  }
  auto [code, out] = Amtool({"silence", "add", "alertname=BackupFailed", "team=db",
                             "--comment=restore drill", "--author=ops", "--duration=1h"});
  ASSERT_EQ(code, 0) << out;
  // The ID is a line of its own; amtool also warns that the server's version is not its own.
  std::string id;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() == 36 && std::count(line.begin(), line.end(), '-') == 4) id = line;
  }
  ASSERT_FALSE(id.empty()) << out;
  ExpectQuietUntilExpired("/db", {{"alertname", "BackupFailed"}, {"team", "db"}},
                          {{"alertname", "ReplicaLagging"}, {"team", "db"}}, [&] {
                            auto [code, out] = Amtool({"silence", "expire", id});
                            EXPECT_EQ(code, 0) << out;
                          });
  EXPECT_EQ(slack_->request_count(), 2u);
}

TEST_F(NotifyMuteTest, AnInhibitedAlertWaitsForItsSourceToResolve) {
  const Labels source = {{"alertname", "DatabaseDown"},
                         {"team", "db"},
                         {"cluster", "cluster-eu"},
                         {"severity", "critical"}};
  const Labels inhibited = {{"alertname", "DatabaseSlow"},
                            {"team", "db"},
                            {"cluster", "cluster-eu"},
                            {"severity", "warning"}};
  const Labels elsewhere = {{"alertname", "DatabaseSlow"},
                            {"team", "db"},
                            {"cluster", "cluster-us"},
                            {"severity", "warning"}};
  PostAlert(source);
  ASSERT_TRUE(WaitForMessages("/db", "DatabaseDown")) << server_->Log();

  PostAlert(inhibited);
  ASSERT_TRUE(WaitForState(inhibited, "suppressed")) << HttpGet(port_, "/api/v2/alerts").body;
  // The same alert in another cluster shares the group and is told; the inhibited one is not.
  PostAlert(elsewhere);
  ASSERT_TRUE(WaitForMessages("/db", "DatabaseSlow")) << server_->Log();
  std::string told = Messages("/db", "DatabaseSlow")[0];
  EXPECT_NE(told.find("cluster-us"), std::string::npos) << told;
  EXPECT_EQ(told.find("cluster-eu"), std::string::npos) << told;
  EXPECT_EQ(AlertState(elsewhere), "active");

  // Once the source resolves, the group's next message has the alert it held back.
  PostAlert(source, /*resolved=*/true);
  ASSERT_TRUE(WaitForMessages("/db", "DatabaseSlow", 2)) << server_->Log();
  told = Messages("/db", "DatabaseSlow")[1];
  EXPECT_NE(told.find("cluster-eu"), std::string::npos) << told;
  EXPECT_EQ(AlertState(inhibited), "active");
  EXPECT_TRUE(Messages("/web", "").empty());
}

}  // namespace
}  // namespace argus::testing
