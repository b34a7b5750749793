#include "rules/unit_test_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace argus::rules {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using ::testing::HasSubstr;

TEST(UnitTestFileTest, ReadsEveryField) {
  auto file = ParseUnitTestFile(R"(
rule_files: [a.yml, 'b/*.yml']
evaluation_interval: 30s
fuzzy_compare: true
group_eval_order: [g2, g1]
tests:
  - name: one
    interval: 15s
    start_timestamp: 1609459200
    external_labels: {cluster: c1}
    external_url: http://argus:9090
    input_series:
      - {series: 'up{job="a"}', values: 1 0 _ stale}
    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: a}
            exp_annotations: {summary: "a is down"}
    promql_expr_test:
      - expr: up
        eval_time: 1m
        exp_samples:
          - {labels: 'up{job="a"}', value: 0.5}
          - {labels: 'h', histogram: '{{count:1}}'}
  - start_timestamp: "2024-01-01T00:00:00Z"
)",
                                "t.yml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->rule_files, (std::vector<std::string>{"a.yml", "b/*.yml"}));
  EXPECT_EQ(file->evaluation_interval, seconds(30));
  EXPECT_TRUE(file->fuzzy_compare);
  EXPECT_EQ(file->group_eval_order, (std::vector<std::string>{"g2", "g1"}));
  ASSERT_EQ(file->tests.size(), 2u);
  const TestGroup& one = file->tests[0];
  EXPECT_EQ(one.name, "one");
  EXPECT_EQ(one.interval, seconds(15));
  EXPECT_EQ(one.start_ms, 1'609'459'200'000);
  EXPECT_EQ(one.external_labels, (model::Labels{{"cluster", "c1"}}));
  EXPECT_EQ(one.external_url, "http://argus:9090");
  ASSERT_EQ(one.input_series.size(), 1u);
  EXPECT_EQ(one.input_series[0].series, "up{job=\"a\"}");
  EXPECT_EQ(one.input_series[0].values, "1 0 _ stale");
  ASSERT_EQ(one.alert_tests.size(), 1u);
  EXPECT_EQ(one.alert_tests[0].eval_time, minutes(5));
  EXPECT_EQ(one.alert_tests[0].alertname, "Down");
  ASSERT_EQ(one.alert_tests[0].exp_alerts.size(), 1u);
  EXPECT_EQ(one.alert_tests[0].exp_alerts[0].labels, (model::Labels{{"job", "a"}}));
  EXPECT_EQ(one.alert_tests[0].exp_alerts[0].annotations,
            (model::Labels{{"summary", "a is down"}}));
  ASSERT_EQ(one.expr_tests.size(), 1u);
  EXPECT_EQ(one.expr_tests[0].expr, "up");
  EXPECT_EQ(one.expr_tests[0].eval_time, minutes(1));
  ASSERT_EQ(one.expr_tests[0].exp_samples.size(), 2u);
  EXPECT_EQ(one.expr_tests[0].exp_samples[0].labels, "up{job=\"a\"}");
  EXPECT_EQ(one.expr_tests[0].exp_samples[0].value, 0.5);
  EXPECT_FALSE(one.expr_tests[0].exp_samples[0].histogram);
  EXPECT_TRUE(one.expr_tests[0].exp_samples[1].histogram);
  EXPECT_EQ(file->tests[1].start_ms, 1'704'067'200'000);
  EXPECT_EQ(file->tests[1].interval, std::nullopt);
}

TEST(UnitTestFileTest, DefaultsArePromtools) {
  auto file = ParseUnitTestFile("tests: [{}]", "t.yml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->evaluation_interval, minutes(1));
  EXPECT_FALSE(file->fuzzy_compare);
  EXPECT_EQ(file->tests[0].interval, std::nullopt);
  EXPECT_EQ(file->tests[0].start_ms, 0);
}

TEST(UnitTestFileTest, RejectsWhatPromtoolRejects) {
  struct Case {
    std::string yaml;
    std::string error;
  };
  const Case cases[] = {
      {"rule_file: [a.yml]", "t.yml:1:1: rule_file: unknown field \"rule_file\""},
      {"tests: [{intervl: 1m}]", "t.yml:1:10: tests[0].intervl: unknown field \"intervl\""},
      {"tests: [{promql_expr_test: [{expr: up, exp_sample: []}]}]",
       "tests[0].promql_expr_test[0].exp_sample: unknown field"},
      {"tests: [{alert_rule_test: [{alertname: A, exp_alerts: [{labels: {}}]}]}]",
       "tests[0].alert_rule_test[0].exp_alerts[0].labels: unknown field"},
      {"evaluation_interval: 1x", "evaluation_interval"},
      {"tests: [{start_timestamp: yesterday}]", "expected seconds since the epoch or an RFC 3339"},
      {"tests: {name: a}", "tests: expected a list"},
      {"tests: [", "t.yml:1:"},
  };
  for (const Case& c : cases) {
    auto file = ParseUnitTestFile(c.yaml, "t.yml");
    ASSERT_FALSE(file.ok()) << c.yaml;
    EXPECT_THAT(file.status().message(), HasSubstr(c.error)) << c.yaml;
  }
}

TEST(UnitTestFileTest, RuleFilesAreRelativeToTheTestFile) {
  UnitTestFile file;
  file.rule_files = {"/no/such/dir/*.yml", "none.yml"};
  std::vector<std::string> unmatched;
  EXPECT_TRUE(RuleFilesOf(file, "tests/t.yml", &unmatched).empty());
  EXPECT_EQ(unmatched, (std::vector<std::string>{"/no/such/dir/*.yml", "tests/none.yml"}));
}

}  // namespace
}  // namespace argus::rules
