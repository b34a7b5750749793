// Argus' own /metrics and its /federate as Prometheus' tooling reads them: `promtool check
// metrics` parses and lints what the argus binary serves.

#include <gtest/gtest.h>

#include <sstream>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

class ExpositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/promtool")) GTEST_SKIP() << "promtool is not installed";
    port_ = FreePort();
    // Argus scrapes itself, so that the scrape stage's metrics are on /metrics too.
    auto config = dir_.Write("argus.yml",
                             "global:\n  scrape_interval: 1s\nscrape_configs:\n"
                             "  - job_name: argus\n    static_configs:\n"
                             "      - targets: ['127.0.0.1:" +
                                 std::to_string(port_) + "']\n");
    argus_ = StartArgus(dir_, config, port_);
    ASSERT_TRUE(argus_.has_value());
    ASSERT_TRUE(WaitFor(
        [&] {
          auto r = HttpGet(port_, "/api/v1/series?match[]=up%7Bjob%3D%22argus%22%7D");
          return r.status == 200 && r.body.find("\"up\"") != std::string::npos;
        },
        seconds(30)))
        << argus_->Log();
  }

  // Pipes `exposition` through `promtool check metrics`: its exit code and what it reported.
  std::pair<int, std::string> CheckMetrics(const std::string& exposition) {
    auto input = dir_.Write("exposition.txt", exposition);
    auto p = ChildProcess::Start({"/usr/bin/promtool", "check", "metrics"},
                                 dir_.path() / "promtool.log", input);
    EXPECT_TRUE(p.has_value());
    if (!p) return {-1, ""};
    return {p->Wait(seconds(30)).value_or(-1), p->Log()};
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> argus_;
};

TEST_F(ExpositionTest, OwnMetricsPassPromtoolCheckMetrics) {
  auto metrics = HttpGet(port_, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  // The WAL's fsync summary, which promtool rejected as two counters.
  EXPECT_NE(metrics.body.find("# TYPE prometheus_tsdb_wal_fsync_duration_seconds summary\n"),
            std::string::npos)
      << metrics.body;
  auto [code, report] = CheckMetrics(metrics.body);
  EXPECT_EQ(code, 0) << report;
  EXPECT_EQ(report, "");
}

// Federation carries no help texts, as Prometheus' does not: promtool parses it and has nothing
// else to say.
TEST_F(ExpositionTest, FederationInTheTextFormatParsesInPromtool) {
  auto federated = HttpGet(port_, "/federate?match[]=%7Bjob%3D%22argus%22%7D");
  ASSERT_EQ(federated.status, 200);
  EXPECT_NE(federated.body.find("# TYPE up untyped\n"), std::string::npos) << federated.body;
  auto [code, report] = CheckMetrics(federated.body);
  EXPECT_NE(code, 1) << report;  // 1: the text does not parse.
  std::istringstream lines(report);
  int problems = 0;
  for (std::string line; std::getline(lines, line); ++problems) {
    EXPECT_TRUE(line.ends_with(" no help text")) << line;
  }
  EXPECT_GT(problems, 0);  // One per family: the report was read.
}

}  // namespace
}  // namespace argus::testing
