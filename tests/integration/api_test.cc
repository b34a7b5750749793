// The HTTP API end to end: the argus binary scrapes a fixed target on loopback, and real clients
// read it back: promtool's queries, and a Prometheus 2.42 that federates from Argus.

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
    argus_ = ChildProcess::Start({std::getenv("ARGUS_BINARY"), "--config.file=" + config.string(),
                                  "--storage.path=" + (dir_.path() / "data").string(),
                                  "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
                                 dir_.path() / "argus.log");
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
    if (target_) target_->Shutdown();
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

}  // namespace
}  // namespace argus::testing
