// Rules end to end: the argus binary scrapes a fixed target on loopback, evaluates a rule file on
// what it scraped, and shows the recorded series and the alerts through its HTTP API; a reload
// with a broken rule file keeps the running rules.

#include <gtest/gtest.h>

#include "http/event_loop.h"
#include "http/server.h"
#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kExposition =
    "# TYPE fixed_requests_total counter\n"
    "fixed_requests_total{code=\"200\"} 42\n"
    "fixed_requests_total{code=\"500\"} 3\n"
    "# TYPE fixed_temperature_celsius gauge\n"
    "fixed_temperature_celsius 21.5\n";

constexpr const char* kRules = R"(groups:
  - name: fixed
    rules:
      - record: job:fixed_requests:sum
        expr: sum by (job) (fixed_requests_total)
      - alert: Hot
        expr: fixed_temperature_celsius > 20
        labels: {severity: page}
        annotations: {summary: too hot, description: '{{ $labels.job }} at {{ $value }}'}
      - alert: HotForAWhile
        expr: fixed_temperature_celsius > 20
        for: 1h
)";

class RulesIntegrationTest : public ::testing::Test {
 protected:
  RulesIntegrationTest() : loop_(1) {}

  void SetUp() override {
    loop_.Start();
    http::Router router;
    router.Handle("GET", "/metrics", [](const http::Request&, http::Response* r) {
      r->content_type = "text/plain; version=0.0.4";
      r->body = kExposition;
    });
    http::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto target = http::Server::Start(loop_, options, std::move(router));
    ASSERT_TRUE(target.ok()) << target.status().message();
    target_ = std::move(*target);
    std::filesystem::create_directories(dir_.path() / "rules");
    dir_.Write("rules/fixed.yml", kRules);
    port_ = FreePort();
    auto config = dir_.Write("argus.yml",
                             "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                             "rule_files: ['rules/*.yml']\nscrape_configs:\n  - job_name: fixed\n"
                             "    static_configs:\n      - targets: ['127.0.0.1:" +
                                 std::to_string(target_->port()) + "']\n");
    argus_ = StartArgus(dir_, config, port_);
    ASSERT_TRUE(argus_.has_value());
  }

  void TearDown() override {
    argus_.reset();
    if (target_) target_->Shutdown();
    loop_.Stop();
  }

  // Waits up to 30 s for GET `target` to answer 200 with `text` in its body; returns the body.
  std::string WaitForBody(const std::string& target, const std::string& text) {
    std::string body;
    bool found = WaitFor(
        [&] {
          HttpReply reply = HttpGet(port_, target);
          body = reply.body;
          return reply.status == 200 && body.find(text) != std::string::npos;
        },
        seconds(30));
    EXPECT_TRUE(found) << target << " never had " << text << "\nlast: " << body << "\n"
                       << argus_->Log();
    return body;
  }

  TempDir dir_;
  http::EventLoop loop_;
  std::unique_ptr<http::Server> target_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> argus_;
};

TEST_F(RulesIntegrationTest, RecordsSeriesAndRaisesAlerts) {
  WaitForBody("/api/v1/query?query=job:fixed_requests:sum",
              R"({"__name__":"job:fixed_requests:sum","job":"fixed"},)");
  std::string value = WaitForBody("/api/v1/query?query=job:fixed_requests:sum", R"("45"])");

  std::string alerts = WaitForBody("/api/v1/alerts", R"("state":"firing")");
  EXPECT_NE(alerts.find(R"({"labels":{"alertname":"Hot","instance":"127.0.0.1:)"),
            std::string::npos)
      << alerts;
  EXPECT_NE(alerts.find(R"("annotations":{"description":"fixed at 21.5","summary":"too hot"},)"
                        R"("state":"firing")"),
            std::string::npos)
      << alerts;
  EXPECT_NE(alerts.find(R"("alertname":"HotForAWhile")"), std::string::npos) << alerts;
  EXPECT_NE(alerts.find(R"("state":"pending")"), std::string::npos) << alerts;
  EXPECT_NE(alerts.find(R"("value":"2.15e+01")"), std::string::npos) << alerts;

  WaitForBody("/api/v1/query?query=ALERTS%7Balertstate%3D%22firing%22%7D", R"("alertname":"Hot")");
  std::string rules = WaitForBody("/api/v1/rules?type=record", R"("health":"ok")");
  EXPECT_NE(rules.find(R"("name":"fixed","file":")"), std::string::npos) << rules;
  EXPECT_EQ(rules.find("HotForAWhile"), std::string::npos) << rules;

  // A broken rule file: the reload fails and the rules that ran go on.
  dir_.Write("rules/broken.yml",
             "groups:\n  - name: broken\n    rules:\n      - record: x\n"
             "        expr: sum(\n");
  HttpReply reload = HttpPost(port_, "/-/reload", "");
  EXPECT_EQ(reload.status, 500);
  EXPECT_NE(reload.body.find("broken.yml: 5:15: group \"broken\", rule 1, \"x\": could not parse"),
            std::string::npos)
      << reload.body;
  std::string after = HttpGet(port_, "/api/v1/rules").body;
  EXPECT_EQ(after.find("broken"), std::string::npos) << after;
  EXPECT_NE(after.find(R"("name":"Hot")"), std::string::npos) << after;
}

}  // namespace
}  // namespace argus::testing
