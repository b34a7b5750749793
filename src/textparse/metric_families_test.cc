#include "textparse/metric_families.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "textparse/parser.h"

namespace argus::textparse {
namespace {

using model::MetricType;
using ::testing::ElementsAre;

using Metrics = std::vector<std::vector<std::string>>;

TEST(MetricFamiliesTest, FamiliesByNameWithTheirMetrics) {
  auto families = ReadMetricFamilies(
      "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\",y=\"2\"} 1\nb 2\n"
      "a_total{x=\"2\"} 3\n");
  ASSERT_TRUE(families.ok()) << families.status().message();
  ASSERT_EQ(families->size(), 2u);
  const MetricFamily& a = (*families)[0];
  EXPECT_EQ(a.name, "a_total");
  EXPECT_EQ(a.type, MetricType::kCounter);
  EXPECT_TRUE(a.has_help);
  // A family's samples need not be together: promtool finds the family by name.
  EXPECT_EQ(a.metrics, (Metrics{{"x", "y"}, {"x"}}));
  const MetricFamily& b = (*families)[1];
  EXPECT_EQ(b.name, "b");
  EXPECT_EQ(b.type, MetricType::kUnknown);
  EXPECT_FALSE(b.has_help);
}

TEST(MetricFamiliesTest, HistogramAndSummaryLinesJoinOneMetricPerLabelSet) {
  auto families = ReadMetricFamilies(
      "# TYPE h histogram\nh_bucket{le=\"1\",a=\"x\"} 1\nh_bucket{a=\"x\",le=\"+Inf\"} 2\n"
      "h_sum{a=\"x\"} 3\nh_count{a=\"x\"} 2\nh_count{a=\"y\"} 0\n"
      "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 1\ns_count 1\ns_bucket 1\n");
  ASSERT_TRUE(families.ok()) << families.status().message();
  ASSERT_EQ(families->size(), 3u);
  EXPECT_EQ((*families)[0].name, "h");
  EXPECT_EQ((*families)[0].metrics, (Metrics{{"a"}, {"a"}}));
  EXPECT_EQ((*families)[1].name, "s");
  EXPECT_EQ((*families)[1].metrics, (Metrics{{}}));
  // _bucket joins only a histogram.
  EXPECT_EQ((*families)[2].name, "s_bucket");
  EXPECT_EQ((*families)[2].type, MetricType::kUnknown);
}

TEST(MetricFamiliesTest, FamiliesWithoutSamplesAndHelpWithoutTextAreLeftOut) {
  auto families = ReadMetricFamilies("# HELP a A.\n# TYPE a gauge\n# HELP b\nb 1\n");
  ASSERT_TRUE(families.ok()) << families.status().message();
  ASSERT_EQ(families->size(), 1u);
  EXPECT_EQ((*families)[0].name, "b");
  EXPECT_FALSE((*families)[0].has_help);
  auto empty = ReadMetricFamilies("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

// What promtool rejects beyond the scrape parser's grammar, each with its line and column.
TEST(MetricFamiliesTest, RejectsWhatPromtoolRejects) {
  auto error = [](std::string_view document) {
    auto families = ReadMetricFamilies(document);
    return families.ok() ? std::string("no error") : families.status().message();
  };
  EXPECT_EQ(error("# HELP a x\na 1\n# HELP a y\n"),
            "3:8: second HELP line for metric family \"a\"");
  EXPECT_EQ(error("a 1\n# TYPE a gauge\n"),
            "2:8: second TYPE line for metric family \"a\", or a TYPE line after its samples");
  EXPECT_EQ(error("# TYPE s summary\n# TYPE s_count counter\n"),
            "2:8: second TYPE line for metric family \"s_count\", or a TYPE line after its "
            "samples");
  EXPECT_EQ(error("a{__name__=\"b\"} 1\n"),
            "1:1: label name \"__name__\" is reserved for the metric name");
  EXPECT_EQ(error("a 1\na{b=\"1\",b=\"2\"} 1\n"), "2:1: label name \"b\" is not unique");
  EXPECT_EQ(error("a{b=\"\xff\"} 1\n"), "1:1: invalid UTF-8 in the value of label \"b\"");
  EXPECT_EQ(error("a 1 \n"),
            "1:4: expected the end of the line after the sample, got trailing "
            "blanks");
  EXPECT_EQ(error("a 1 1000\t\n"),
            "1:9: expected the end of the line after the sample, got trailing blanks");
  EXPECT_EQ(error("# TYPE a gauge \n"),
            "1:15: expected the end of the line after the type, got trailing blanks");
  EXPECT_EQ(error("a 1\nb 2"),
            "2:4: expected a newline at the end of the last line, got the end of the input");
  EXPECT_EQ(error("a 1\n# a comment"),
            "2:12: expected a newline at the end of the last line, got the end of the input");
  EXPECT_EQ(error("a{b=\"\\q\"} 1\n"), "1:6: invalid escape sequence \"\\q\" in a label value");
  EXPECT_EQ(error("a{b=\"\\\\ \\\" \\n\"} 1\n"), "no error");
  EXPECT_EQ(error("# HELP a x\\ty\n"), "1:11: invalid escape sequence \"\\t\" in the help text");
  EXPECT_EQ(error("# HELP a x\\\"\n"), "1:11: invalid escape sequence \"\\\"\" in the help text");
  EXPECT_EQ(error("a{b=\"x\ny\"} 1\n"), "1:7: a label value holds a newline; write it as \\n");
  EXPECT_EQ(error("# TYPE h histogram\nh_bucket{le=\"x\"} 1\n"),
            "2:1: expected a number as the value of label \"le\", got \"x\"");
  EXPECT_EQ(error("# TYPE s summary\ns{quantile=\"\"} 1\n"),
            "2:1: expected a number as the value of label \"quantile\", got \"\"");
  // The scrape parser's own errors come through, with NUL and control bytes shown legibly.
  EXPECT_EQ(error(std::string_view("a 1\n\0b 2\n", 9)),
            "2:1: expected a metric name or a comment, got a NUL byte");
  EXPECT_EQ(error("a 1\x01\n"), "1:3: expected a number as the value, got \"1\\x01\"");
}

TEST(MetricFamiliesTest, ValidateTextIsReadMetricFamilies) {
  EXPECT_TRUE(Validate(Format::kPrometheusText, "# TYPE a gauge\na 1\n").ok());
  EXPECT_EQ(Validate(Format::kPrometheusText, "a 1\n# TYPE a gauge\n").message(),
            "2:8: second TYPE line for metric family \"a\", or a TYPE line after its samples");
}

TEST(MetricFamiliesTest, FirstBinaryByte) {
  EXPECT_EQ(FirstBinaryByte("# HELP a x\ta\r\na 1\n"), std::nullopt);
  EXPECT_EQ(FirstBinaryByte("a{b=\"\xc3\xa9\"} 1\n"), std::nullopt);
  EXPECT_EQ(FirstBinaryByte(std::string_view("a 1\n\x00", 5)), 4u);
  EXPECT_EQ(FirstBinaryByte("L\n\x1cprocess"), 2u);
  EXPECT_EQ(FirstBinaryByte("a 1\xc3\n"), 3u);
}

}  // namespace
}  // namespace argus::textparse
