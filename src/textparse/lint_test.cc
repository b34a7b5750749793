// Each rule of promtool's linter (client_golang's promlint) that Lint implements, with promlint's
// wording, on families built by hand; then the rules over a document read as promtool reads it.

#include "textparse/lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace argus::textparse {
namespace {

using model::MetricType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

MetricFamily Family(std::string name, MetricType type, bool help = true,
                    std::vector<std::vector<std::string>> metrics = {{}}) {
  return MetricFamily{std::move(name), type, help, std::move(metrics)};
}

// The texts of the problems of one family.
std::vector<std::string> Problems(const MetricFamily& family) {
  std::vector<std::string> texts;
  for (const LintProblem& p : Lint({&family, 1})) {
    EXPECT_EQ(p.metric, family.name);
    texts.push_back(p.text);
  }
  return texts;
}

TEST(LintTest, WellNamedFamiliesHaveNoProblems) {
  EXPECT_THAT(Problems(Family("http_requests_total", MetricType::kCounter)), IsEmpty());
  EXPECT_THAT(Problems(Family("request_duration_seconds", MetricType::kHistogram)), IsEmpty());
  EXPECT_THAT(Problems(Family("rpc_duration_seconds", MetricType::kSummary)), IsEmpty());
  EXPECT_THAT(Problems(Family("memory_usage_bytes", MetricType::kGauge)), IsEmpty());
  // Untyped families are spared the rules about types and suffixes.
  EXPECT_THAT(Problems(Family("x_count", MetricType::kUnknown, true, {{"le", "quantile"}})),
              IsEmpty());
  EXPECT_THAT(Problems(Family("x_total", MetricType::kUnknown)), IsEmpty());
}

TEST(LintTest, MissingHelp) {
  EXPECT_THAT(Problems(Family("up", MetricType::kGauge, /*help=*/false)),
              ElementsAre("no help text"));
}

TEST(LintTest, NonBaseUnits) {
  EXPECT_THAT(Problems(Family("latency_milliseconds", MetricType::kGauge)),
              ElementsAre("use base unit \"seconds\" instead of \"milliseconds\""));
  EXPECT_THAT(Problems(Family("entropy_bits", MetricType::kGauge)),
              ElementsAre("use base unit \"bytes\" instead of \"bits\""));
  EXPECT_THAT(Problems(Family("sent_kilobits_total", MetricType::kCounter)),
              ElementsAre("use base unit \"bytes\" instead of \"kilobits\""));
  EXPECT_THAT(Problems(Family("uptime_hours", MetricType::kGauge)),
              ElementsAre("use base unit \"seconds\" instead of \"hours\""));
  EXPECT_THAT(Problems(Family("temperature_fahrenheit", MetricType::kGauge)),
              ElementsAre("use base unit \"celsius\" instead of \"fahrenheit\""));
  // A unit is a whole part of the name, with a known prefix or none.
  EXPECT_THAT(Problems(Family("distance_kilometers", MetricType::kGauge)),
              ElementsAre("use base unit \"meters\" instead of \"kilometers\""));
  EXPECT_THAT(Problems(Family("thermometers", MetricType::kGauge)), IsEmpty());
  EXPECT_THAT(Problems(Family("disk_megaseconds", MetricType::kGauge)),
              ElementsAre("use base unit \"seconds\" instead of \"megaseconds\""));
}

TEST(LintTest, CounterSuffix) {
  EXPECT_THAT(Problems(Family("requests", MetricType::kCounter)),
              ElementsAre("counter metrics should have \"_total\" suffix"));
  EXPECT_THAT(Problems(Family("queue_total", MetricType::kGauge)),
              ElementsAre("non-counter metrics should not have \"_total\" suffix"));
}

TEST(LintTest, HistogramAndSummaryNames) {
  EXPECT_THAT(Problems(Family("x_bucket", MetricType::kGauge)),
              ElementsAre("non-histogram metrics should not have \"_bucket\" suffix"));
  EXPECT_THAT(Problems(Family("x_bucket", MetricType::kSummary)),
              ElementsAre("non-histogram metrics should not have \"_bucket\" suffix"));
  EXPECT_THAT(Problems(Family("x_count", MetricType::kGauge)),
              ElementsAre("non-histogram and non-summary metrics should not have \"_count\" "
                          "suffix"));
  EXPECT_THAT(Problems(Family("x_sum", MetricType::kCounter)),
              ElementsAre("counter metrics should have \"_total\" suffix",
                          "non-histogram and non-summary metrics should not have \"_sum\" "
                          "suffix"));
  EXPECT_THAT(Problems(Family("x_count", MetricType::kSummary)), IsEmpty());
}

TEST(LintTest, ReservedLabelsOncePerMetric) {
  EXPECT_THAT(Problems(Family("x", MetricType::kGauge, true, {{"le"}, {"le", "quantile"}})),
              ElementsAre("non-histogram metrics should not have \"le\" label",
                          "non-histogram metrics should not have \"le\" label",
                          "non-summary metrics should not have \"quantile\" label"));
  EXPECT_THAT(Problems(Family("x", MetricType::kHistogram, true, {{"quantile"}})),
              ElementsAre("non-summary metrics should not have \"quantile\" label"));
  EXPECT_THAT(Problems(Family("x", MetricType::kSummary, true, {{"le"}})),
              ElementsAre("non-histogram metrics should not have \"le\" label"));
}

TEST(LintTest, TypeInName) {
  EXPECT_THAT(Problems(Family("x_gauge_value", MetricType::kGauge)),
              ElementsAre("metric name should not include type 'gauge'"));
  EXPECT_THAT(Problems(Family("x_Histogram", MetricType::kUnknown)),
              ElementsAre("metric name should not include type 'histogram'"));
  EXPECT_THAT(Problems(Family("x_gauge_histogram", MetricType::kUnknown)),
              ElementsAre("metric name should not include type 'gauge'",
                          "metric name should not include type 'gauge_histogram'",
                          "metric name should not include type 'histogram'"));
  EXPECT_THAT(Problems(Family("countersign", MetricType::kGauge)), IsEmpty());
}

TEST(LintTest, Colon) {
  EXPECT_THAT(Problems(Family("job:requests:rate5m", MetricType::kGauge)),
              ElementsAre("metric names should not contain ':'"));
}

TEST(LintTest, CamelCaseNamesAndLabelsOncePerMetricAndLabel) {
  EXPECT_THAT(Problems(Family("nodeMemory", MetricType::kGauge)),
              ElementsAre("metric names should be written in 'snake_case' not 'camelCase'"));
  EXPECT_THAT(
      Problems(Family("info", MetricType::kGauge, true, {{"goVersion", "osName"}, {"goVersion"}})),
      ElementsAre("label names should be written in 'snake_case' not 'camelCase'",
                  "label names should be written in 'snake_case' not 'camelCase'",
                  "label names should be written in 'snake_case' not 'camelCase'"));
  EXPECT_THAT(Problems(Family("ALLCAPS", MetricType::kGauge, true, {{"Upper_case"}})), IsEmpty());
}

TEST(LintTest, AbbreviatedUnitsOncePerAbbreviation) {
  EXPECT_THAT(Problems(Family("latency_ms", MetricType::kGauge)),
              ElementsAre("metric names should not contain abbreviated units"));
  EXPECT_THAT(Problems(Family("load_d_average_s", MetricType::kGauge)),
              ElementsAre("metric names should not contain abbreviated units",
                          "metric names should not contain abbreviated units"));
  EXPECT_THAT(Problems(Family("size_MB_used", MetricType::kGauge)),
              ElementsAre("metric names should not contain abbreviated units"));
}

TEST(LintTest, SortedByMetricThenText) {
  std::vector<MetricFamily> families = {Family("b", MetricType::kCounter, false),
                                        Family("a_ms", MetricType::kGauge)};
  EXPECT_THAT(Lint(families),
              ElementsAre(LintProblem{"a_ms", "metric names should not contain abbreviated units"},
                          LintProblem{"b", "counter metrics should have \"_total\" suffix"},
                          LintProblem{"b", "no help text"}));
}

TEST(LintTest, ADocumentAsPromtoolReadsIt) {
  // The histogram's buckets, sum and count with one label set are one metric; its le is no label.
  auto families = ReadMetricFamilies(
      "# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
      "h_seconds_bucket{le=\"1\",podName=\"a\"} 1\nh_seconds_bucket{le=\"+Inf\",podName=\"a\"} 1\n"
      "h_seconds_sum{podName=\"a\"} 1\nh_seconds_count{podName=\"a\"} 1\n"
      "# TYPE requests counter\nrequests 1\nrequests 2\n");
  ASSERT_TRUE(families.ok()) << families.status().message();
  EXPECT_THAT(Lint(*families),
              ElementsAre(LintProblem{"h_seconds",
                                      "label names should be written in 'snake_case' not "
                                      "'camelCase'"},
                          LintProblem{"requests", "counter metrics should have \"_total\" suffix"},
                          LintProblem{"requests", "no help text"}));
}

}  // namespace
}  // namespace argus::textparse
