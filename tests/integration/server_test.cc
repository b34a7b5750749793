// The argus binary end to end: flags, the operational endpoints, reloads and shutdown.

#include <gtest/gtest.h>
#include <signal.h>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

std::string Binary() { return std::getenv("ARGUS_BINARY"); }

// Runs argus with `args`, returns exit code and output.
std::pair<int, std::string> RunTool(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), Binary());
  auto p = ChildProcess::Start(args, dir.path() / "tool.log");
  EXPECT_TRUE(p.has_value());
  auto code = p->Wait(seconds(30));
  return {code.value_or(-1), p->Log()};
}

class ServerTest : public ::testing::Test {
 protected:
  // Starts argus on a free port with `config` and waits until it answers /-/ready.
  void StartServer(const std::string& config) {
    config_path_ = dir_.Write("argus.yml", config);
    port_ = FreePort();
    server_ = StartArgus(dir_, config_path_, port_);
    ASSERT_TRUE(server_.has_value());
    ASSERT_TRUE(BecomesReady(*server_, port_));
  }

  std::string SelfScrapeConfig() const {
    return "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: argus\n"
           "    static_configs:\n      - targets: ['127.0.0.1:" +
           std::to_string(port_) + "']\n";
  }

  TempDir dir_;
  std::filesystem::path config_path_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(ServerTest, ServesHealthReadinessAndItsOwnMetrics) {
  StartServer("scrape_configs: []\n");
  auto healthy = HttpGet(port_, "/-/healthy");
  EXPECT_EQ(healthy.status, 200);
  EXPECT_EQ(healthy.body, "Argus is Healthy.\n");
  auto metrics = HttpGet(port_, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  for (const char* name :
       {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
        "argus_build_info{branch=", "prometheus_config_last_reload_successful 1"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name << "\n" << metrics.body;
  }
  // The request above was counted.
  metrics = HttpGet(port_, "/metrics");
  EXPECT_NE(metrics.body.find("prometheus_http_requests_total{code=\"200\",handler=\"/metrics\"}"),
            std::string::npos)
      << metrics.body;
  // Other paths are the UI's (its pages route in the browser); under /-/ and /api none is.
  EXPECT_EQ(HttpGet(port_, "/-/no/such/page").status, 404);
  EXPECT_EQ(HttpGet(port_, "/api/v1/no/such/page").status, 404);
}

TEST_F(ServerTest, InvalidReloadKeepsTheRunningConfig) {
  StartServer("scrape_configs: []\n");
  dir_.Write("argus.yml", "scrape_configs:\n  - job_name: a\n    scrape_interval: 5x\n");
  auto reply = HttpPost(port_, "/-/reload", "");
  EXPECT_EQ(reply.status, 500);
  EXPECT_NE(reply.body.find("scrape_interval"), std::string::npos) << reply.body;
  EXPECT_EQ(HttpGet(port_, "/-/healthy").status, 200);
  EXPECT_NE(HttpGet(port_, "/metrics").body.find("prometheus_config_last_reload_successful 0"),
            std::string::npos);

  // SIGHUP with the same broken file: logged, still serving.
  server_->Signal(SIGHUP);
  EXPECT_TRUE(WaitFor(
      [&] { return server_->Log().find("running configuration stays") != std::string::npos; },
      seconds(10)));
  EXPECT_EQ(HttpGet(port_, "/-/healthy").status, 200);

  // A good file is taken.
  dir_.Write("argus.yml", SelfScrapeConfig());
  EXPECT_EQ(HttpPost(port_, "/-/reload", "").status, 200);
  EXPECT_NE(HttpGet(port_, "/metrics").body.find("prometheus_config_last_reload_successful 1"),
            std::string::npos);
}

TEST_F(ServerTest, ReloadThatAStageRejectsNamesItAndKeepsTheRunningConfig) {
  StartServer("scrape_configs: []\n");
  // Parses, but the scrape stage cannot load the CA file: no stage takes the file.
  dir_.Write("argus.yml",
             "scrape_configs:\n  - job_name: secure\n    scheme: https\n"
             "    tls_config: {ca_file: missing-ca.pem}\n"
             "    static_configs: [{targets: ['127.0.0.1:1']}]\n");
  auto reply = HttpPost(port_, "/-/reload", "");
  EXPECT_EQ(reply.status, 500);
  EXPECT_NE(reply.body.find("scrape: job \"secure\": tls_config: cannot read ca_file"),
            std::string::npos)
      << reply.body;
  EXPECT_TRUE(WaitFor(
      [&] { return server_->Log().find("running configuration stays") != std::string::npos; },
      seconds(10)))
      << server_->Log();
  EXPECT_EQ(HttpGet(port_, "/api/v1/targets").body.find("secure"), std::string::npos);
  EXPECT_EQ(HttpGet(port_, "/api/v1/status/config").body.find("secure"), std::string::npos);
  EXPECT_NE(HttpGet(port_, "/metrics").body.find("prometheus_config_last_reload_successful 0"),
            std::string::npos);
}

TEST_F(ServerTest, StopsGracefullyOnSigterm) {
  StartServer("scrape_configs: []\n");
  server_->Signal(SIGTERM);
  auto code = server_->Wait(seconds(30));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << server_->Log();
  EXPECT_NE(server_->Log().find("shutting down"), std::string::npos);
}

TEST(ToolTest, VersionAndHelp) {
  TempDir dir;
  auto [code, out] = RunTool(dir, {"--version"});
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("argus, version"), std::string::npos) << out;
  std::tie(code, out) = RunTool(dir, {"--help"});
  EXPECT_EQ(code, 0);
  EXPECT_NE(out.find("--config.file"), std::string::npos) << out;
  EXPECT_NE(out.find("--web.listen-address"), std::string::npos) << out;
}

TEST(ToolTest, CheckConfig) {
  TempDir dir;
  auto good = dir.Write("good.yml", "global:\n  scrape_interval: 15s\n");
  auto [code, out] = RunTool(dir, {"check", "config", good.string()});
  EXPECT_EQ(code, 0) << out;
  auto bad = dir.Write("bad.yml", "global:\n  scrape_intervl: 15s\n");
  std::tie(code, out) = RunTool(dir, {"check", "config", bad.string()});
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("bad.yml:2:"), std::string::npos) << out;
  EXPECT_NE(out.find("scrape_intervl"), std::string::npos) << out;
}

TEST(ToolTest, CheckMetricsReportsLineAndColumn) {
  TempDir dir;
  auto good = dir.Write("good.prom", "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n");
  auto [code, out] = RunTool(dir, {"check", "metrics", good.string()});
  EXPECT_EQ(code, 0) << out;
  auto bad = dir.Write("bad.prom", "a 1\nb{x=\"1\" 2\n");
  std::tie(code, out) = RunTool(dir, {"check", "metrics", bad.string()});
  EXPECT_EQ(code, 1);
  EXPECT_NE(out.find("bad.prom:2:9: "), std::string::npos) << out;
}

}  // namespace
}  // namespace argus::testing
