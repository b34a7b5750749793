// The HTTP API end to end: the argus binary scrapes a fixed target on loopback, and real clients
// read it back: promtool's queries, and a Prometheus 2.42 that federates from Argus.

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "http/event_loop.h"
#include "http/server.h"
#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kExposition =
    "# HELP fixed_requests_total Requests served.\n"
    "# TYPE fixed_requests_total counter\n"
    "fixed_requests_total{code=\"200\"} 42\n"
    "fixed_requests_total{code=\"500\"} 3\n"
    "# HELP fixed_temperature_celsius The temperature.\n"
    "# TYPE fixed_temperature_celsius gauge\n"
    "fixed_temperature_celsius 21.5\n";

class ApiIntegrationTest : public ::testing::Test {
 protected:
  ApiIntegrationTest() : loop_(1) {}

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
    target_address_ = "127.0.0.1:" + std::to_string(target_->port());

    port_ = FreePort();
    auto config = dir_.Write("argus.yml",
                             "global:\n  scrape_interval: 1s\n  external_labels:\n"
                             "    cluster: eu\nscrape_configs:\n  - job_name: fixed\n"
                             "    static_configs:\n      - targets: ['" +
                                 target_address_ + "']\n");
    argus_ = StartArgus(dir_, config, port_);
    ASSERT_TRUE(argus_.has_value());
    // Ready once the first scrape is in.
    ASSERT_TRUE(WaitFor(
        [&] {
          auto r = HttpGet(port_, "/api/v1/series?match[]=fixed_temperature_celsius");
          return r.status == 200 && r.body.find("fixed_temperature_celsius\"") != std::string::npos;
        },
        seconds(30)))
        << argus_->Log();
  }

  void TearDown() override {
    argus_.reset();
    // The servers outlive the loop's handlers: they are destroyed after it stops.
    for (auto* server : {target_.get(), notifier_.get()}) {
      if (server) server->Shutdown();
    }
    loop_.Stop();
  }

  // Runs promtool with `args` and returns its output.
  std::string Promtool(std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/promtool");
    auto p = ChildProcess::Start(args, dir_.path() / "promtool.log");
    EXPECT_TRUE(p.has_value());
    auto code = p->Wait(seconds(30));
    EXPECT_EQ(code, 0) << p->Log();
    return p->Log();
  }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  TempDir dir_;
  http::EventLoop loop_;
  std::unique_ptr<http::Server> target_;
  std::string target_address_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> argus_;
  std::unique_ptr<http::Server> notifier_;  // An Alertmanager stand-in, for vmalert.
  absl::Mutex notified_mu_;
  std::string notified_ ABSL_GUARDED_BY(notified_mu_);  // What it was sent.
};

TEST_F(ApiIntegrationTest, PromtoolQueriesSeriesAndLabels) {
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "promtool is not installed";
  std::string series = Promtool({"query", "series", Url(), "--match=fixed_requests_total"});
  EXPECT_NE(series.find("{__name__=\"fixed_requests_total\", code=\"200\", instance=\"" +
                        target_address_ + "\", job=\"fixed\"}"),
            std::string::npos)
      << series;
  EXPECT_NE(series.find("code=\"500\""), std::string::npos) << series;
  EXPECT_EQ(series.find("fixed_temperature_celsius"), std::string::npos) << series;

  std::string codes = Promtool({"query", "labels", Url(), "code"});
  EXPECT_EQ(codes, "200\n500\n");
  std::string jobs = Promtool({"query", "labels", Url(), "job"});
  EXPECT_EQ(jobs, "fixed\n");
}

TEST_F(ApiIntegrationTest, ServesTargetsMetadataAndStatus) {
  auto targets = HttpGet(port_, "/api/v1/targets?state=active");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(targets.body).get(doc), simdjson::SUCCESS) << targets.body;
  std::string_view pool, url, health;
  ASSERT_EQ(doc.at_pointer("/data/activeTargets/0/scrapePool").get(pool), simdjson::SUCCESS);
  EXPECT_EQ(pool, "fixed");
  ASSERT_EQ(doc.at_pointer("/data/activeTargets/0/scrapeUrl").get(url), simdjson::SUCCESS);
  EXPECT_EQ(url, "http://" + target_address_ + "/metrics");
  ASSERT_EQ(doc.at_pointer("/data/activeTargets/0/health").get(health), simdjson::SUCCESS);
  EXPECT_EQ(health, "up");

  auto metadata = HttpGet(port_, "/api/v1/metadata?metric=fixed_requests_total");
  EXPECT_EQ(metadata.body,
            R"({"status":"success","data":{"fixed_requests_total":[{"type":"counter",)"
            R"("help":"Requests served.","unit":""}]}})");
  auto config = HttpGet(port_, "/api/v1/status/config");
  EXPECT_NE(config.body.find("cluster: eu"), std::string::npos) << config.body;
  auto flags = HttpGet(port_, "/api/v1/status/flags").body;
  for (std::string flag :
       {std::string(R"("query.lookback-delta":"5m")"), std::string(R"("query.timeout":"2m")"),
        std::string(R"("query.max-samples":"50000000")"),
        "\"web.listen-address\":\"127.0.0.1:" + std::to_string(port_) + "\""}) {
    EXPECT_NE(flags.find(flag), std::string::npos) << flag << " in " << flags;
  }
  auto runtime = HttpGet(port_, "/api/v1/status/runtimeinfo").body;
  EXPECT_NE(runtime.find(R"("reloadConfigSuccess":true)"), std::string::npos) << runtime;
}

// A Prometheus that federates from Argus, as a global Prometheus federates from a local one.
TEST_F(ApiIntegrationTest, PrometheusFederatesFromArgus) {
  if (!std::filesystem::exists("/usr/bin/prometheus"))
    GTEST_SKIP() << "prometheus is not installed";
  auto config = dir_.Write("prometheus.yml",
                           "global:\n  scrape_interval: 1s\nscrape_configs:\n"
                           "  - job_name: federate\n    honor_labels: true\n"
                           "    metrics_path: /federate\n    params:\n"
                           "      'match[]': ['{job=\"fixed\"}']\n    static_configs:\n"
                           "      - targets: ['127.0.0.1:" +
                               std::to_string(port_) + "']\n");
  uint16_t prom_port = FreePort();
  auto prometheus =
      ChildProcess::Start({"/usr/bin/prometheus", "--config.file=" + config.string(),
                           "--storage.tsdb.path=" + (dir_.path() / "prom").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
                          dir_.path() / "prometheus.log");
  ASSERT_TRUE(prometheus.has_value());

  simdjson::dom::parser parser;
  simdjson::dom::array result;
  std::string body;
  bool federated = WaitFor(
      [&] {
        body = HttpGet(prom_port, "/api/v1/query?query=fixed_requests_total").body;
        return !parser.parse(body).at_pointer("/data/result").get(result) && result.size() == 2;
      },
      seconds(60));
  ASSERT_TRUE(federated) << body << "\n" << prometheus->Log();
  for (simdjson::dom::element series : result) {
    std::string_view code, job, instance, cluster, value;
    ASSERT_EQ(series.at_pointer("/metric/code").get(code), simdjson::SUCCESS) << body;
    ASSERT_EQ(series.at_pointer("/metric/job").get(job), simdjson::SUCCESS) << body;
    ASSERT_EQ(series.at_pointer("/metric/instance").get(instance), simdjson::SUCCESS) << body;
    ASSERT_EQ(series.at_pointer("/metric/cluster").get(cluster), simdjson::SUCCESS) << body;
    ASSERT_EQ(series.at_pointer("/value/1").get(value), simdjson::SUCCESS) << body;
    EXPECT_EQ(job, "fixed");
    EXPECT_EQ(instance, target_address_);
    EXPECT_EQ(cluster, "eu");
    EXPECT_EQ(value, code == "200" ? "42" : "3") << code;
  }
}

TEST_F(ApiIntegrationTest, PromtoolQueriesInstantAndRange) {
  if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "promtool is not installed";
  std::string instant =
      Promtool({"query", "instant", Url(), "sum by (code) (fixed_requests_total)"});
  EXPECT_NE(instant.find("{code=\"200\"} => 42 @["), std::string::npos) << instant;
  EXPECT_NE(instant.find("{code=\"500\"} => 3 @["), std::string::npos) << instant;

  auto now =
      std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  // Up to the next whole second, which the first scrape is surely before.
  std::string range = Promtool({"query", "range", "--start=" + std::to_string(now - 2),
                                "--end=" + std::to_string(now + 1), "--step=1s", Url(),
                                "fixed_temperature_celsius * 2"});
  EXPECT_NE(range.find("{instance=\"" + target_address_ + "\", job=\"fixed\"} =>"),
            std::string::npos)
      << range;
  EXPECT_NE(range.find("43 @[" + std::to_string(now + 1) + "]"), std::string::npos) << range;

  // Errors reach the client as Prometheus reports them.
  auto p = ChildProcess::Start({"/usr/bin/promtool", "query", "instant", Url(), "sum("},
                               dir_.path() / "promtool_error.log");
  ASSERT_TRUE(p.has_value());
  EXPECT_NE(p->Wait(seconds(30)), 0);
  EXPECT_NE(p->Log().find("bad_data"), std::string::npos) << p->Log();
}

// vmalert evaluates an alerting rule against Argus and sends the alert to a notifier on loopback.
TEST_F(ApiIntegrationTest, VmalertEvaluatesRulesAgainstArgus) {
  if (!std::filesystem::exists("/usr/bin/vmalert")) GTEST_SKIP() << "vmalert is not installed";
  http::Router notifier_routes;
  notifier_routes.Handle("POST", "/api/v2/alerts",
                         [this](const http::Request& req, http::Response*) {
                           absl::MutexLock lock(&notified_mu_);
                           notified_ += req.body;
                         });
  http::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto notifier = http::Server::Start(loop_, options, std::move(notifier_routes));
  ASSERT_TRUE(notifier.ok()) << notifier.status().message();
  notifier_ = std::move(*notifier);

  auto rules = dir_.Write("rules.yml",
                          "groups:\n  - name: argus\n    interval: 1s\n    rules:\n"
                          "      - alert: ErrorsSeen\n"
                          "        expr: fixed_requests_total{code=\"500\"} > 2\n"
                          "        labels:\n          severity: page\n");
  uint16_t vmalert_port = FreePort();
  auto vmalert = ChildProcess::Start(
      {"/usr/bin/vmalert", "-rule=" + rules.string(), "-datasource.url=" + Url(),
       "-notifier.url=http://127.0.0.1:" + std::to_string(notifier_->port()),
       "-httpListenAddr=127.0.0.1:" + std::to_string(vmalert_port), "-evaluationInterval=1s"},
      dir_.path() / "vmalert.log");
  ASSERT_TRUE(vmalert.has_value());

  simdjson::dom::parser parser;
  simdjson::dom::array alerts;
  std::string body;
  bool firing = WaitFor(
      [&] {
        body = HttpGet(vmalert_port, "/api/v1/alerts").body;
        return !parser.parse(body).at_pointer("/data/alerts").get(alerts) && alerts.size() == 1;
      },
      seconds(30));
  ASSERT_TRUE(firing) << body << "\n" << vmalert->Log();
  simdjson::dom::element alert = alerts.at(0);
  std::string_view state, code, severity, value;
  ASSERT_EQ(alert.at_pointer("/labels/code").get(code), simdjson::SUCCESS) << body;
  ASSERT_EQ(alert.at_pointer("/labels/severity").get(severity), simdjson::SUCCESS) << body;
  ASSERT_EQ(alert.at_pointer("/state").get(state), simdjson::SUCCESS) << body;
  ASSERT_EQ(alert.at_pointer("/value").get(value), simdjson::SUCCESS) << body;
  EXPECT_EQ(code, "500");
  EXPECT_EQ(severity, "page");
  EXPECT_EQ(state, "firing");
  EXPECT_EQ(value, "3");
  EXPECT_TRUE(WaitFor(
      [&] {
        absl::MutexLock lock(&notified_mu_);
        return notified_.find("ErrorsSeen") != std::string::npos;
      },
      seconds(30)))
      << vmalert->Log();
}

}  // namespace
}  // namespace argus::testing
