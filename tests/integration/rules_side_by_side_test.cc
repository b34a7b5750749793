// Argus' rule evaluation against Prometheus 2.42's, step by step: Argus evaluates a rule file
// (recording rules, alerting rules with and without `for`) over input series with gaps and stale
// markers, and what it computes at every evaluation time (ALERTS, ALERTS_FOR_STATE, the recorded
// series) becomes the expectations of a unit-test file that Debian's `promtool test rules` must
// pass: Prometheus computes the same series over time.
//
// Ranges are 150s over samples a minute apart and no gap lasts five minutes, so that no sample
// ever sits on the edge of a window, where Prometheus 2.42 (closed windows) and Prometheus 3 and
// Argus (left-open ones) differ on purpose. keep_firing_for is newer than 2.42 and left out.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include "process.h"
#include "rules/unit_test_runner.h"

namespace argus::testing {
namespace {

constexpr char kPromtool[] = "/usr/bin/promtool";

constexpr char kRules[] = R"(groups:
  - name: recorded
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - record: job:requests:increase150s
        expr: sum by (job) (increase(requests_total[150s]))
      - record: instance:up:max150s
        expr: max_over_time(up[150s])
  - name: alerts
    rules:
      - alert: JobDegraded
        expr: job:up:sum < 2
        for: 3m
        labels: {severity: warning}
      - alert: InstanceDown
        expr: up == 0
        for: 2m
        labels: {severity: page}
      - alert: NoRequests
        expr: job:requests:increase150s == 0
      - alert: Flapping
        expr: changes(up[150s]) > 0
)";

const std::pair<const char*, const char*> kSeries[] = {
    {"up{job=\"api\",instance=\"a\"}", "1x5 0x6 1x4 _x3 1x5 stale"},
    {"up{job=\"api\",instance=\"b\"}", "1x30"},
    {"up{job=\"web\",instance=\"c\"}", "_x2 1x8 stale _x3 0x6 1x10"},
    {"requests_total{job=\"api\",instance=\"a\"}", "0+10x8 80x5 80+5x8 stale"},
    {"requests_total{job=\"web\",instance=\"c\"}", "0+3x12 _x3 48+3x13"},
};

const char* const kExprs[] = {"ALERTS", "ALERTS_FOR_STATE", "job:up:sum",
                              "job:requests:increase150s", "instance:up:max150s"};
constexpr int kMinutes = 30;

// A unit-test file over kRules and kSeries checking each of kExprs at every minute, with
// `expected` (one vector per check, in that order) as the samples, or none at all.
YAML::Node TestFile(const std::vector<promql::Vector>& expected) {
  YAML::Node group;
  group["interval"] = "1m";
  for (const auto& [series, values] : kSeries) {
    YAML::Node input;
    input["series"] = series;
    input["values"] = values;
    group["input_series"].push_back(input);
  }
  size_t check = 0;
  for (int minute = 0; minute <= kMinutes; ++minute) {
    for (const char* expr : kExprs) {
      YAML::Node test;
      test["expr"] = expr;
      test["eval_time"] = fmt::format("{}m", minute);
      test["exp_samples"] = YAML::Node(YAML::NodeType::Sequence);
      if (check < expected.size()) {
        for (const promql::Sample& sample : expected[check]) {
          YAML::Node s;
          s["labels"] = sample.metric.ToString();
          s["value"] = fmt::format("{}", sample.v);  // Shortest text that reads back the same.
          test["exp_samples"].push_back(s);
        }
      }
      group["promql_expr_test"].push_back(test);
      ++check;
    }
  }
  YAML::Node file;
  file["rule_files"].push_back("rules.yml");
  file["evaluation_interval"] = "1m";
  // Prometheus orders groups it is not told about at random.
  file["group_eval_order"].push_back("recorded");
  file["group_eval_order"].push_back("alerts");
  file["tests"].push_back(group);
  return file;
}

TEST(RulesSideBySideTest, PrometheusComputesTheSameSeriesOverTime) {
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << kPromtool << " is not installed";
  TempDir dir;
  dir.Write("rules.yml", kRules);
  std::string blank = dir.Write("blank.yml", YAML::Dump(TestFile({}))).string();
  auto computed = rules::EvaluateExprTests(blank, 0);
  ASSERT_TRUE(computed.ok()) << computed.status().message();
  ASSERT_EQ(computed->size(), std::size(kExprs) * (kMinutes + 1));

  // The run goes through every state worth comparing.
  std::set<std::string> states;
  for (size_t i = 0; i < computed->size(); i += std::size(kExprs)) {
    for (const promql::Sample& alert : (*computed)[i]) {
      states.insert(
          fmt::format("{} {}", alert.metric.Get("alertname"), alert.metric.Get("alertstate")));
    }
  }
  EXPECT_EQ(states, (std::set<std::string>{"Flapping firing", "InstanceDown firing",
                                           "InstanceDown pending", "JobDegraded firing",
                                           "JobDegraded pending", "NoRequests firing"}));

  std::string expected = dir.Write("side_by_side.yml", YAML::Dump(TestFile(*computed))).string();
  rules::UnitTestFileResult argus = rules::RunUnitTestFile(expected, {});
  EXPECT_TRUE(argus.errors.empty()) << argus.errors.front();

  auto promtool =
      ChildProcess::Start({kPromtool, "test", "rules", expected}, dir.path() / "promtool.log");
  ASSERT_TRUE(promtool.has_value());
  auto code = promtool->Wait(std::chrono::seconds(120));
  ASSERT_TRUE(code.has_value()) << "promtool did not finish";
  EXPECT_EQ(*code, 0) << promtool->Log();
}

}  // namespace
}  // namespace argus::testing
