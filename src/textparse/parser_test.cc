#include "textparse/parser.h"

#include <gtest/gtest.h>

#include <cmath>

#include "textparse/lex.h"

namespace argus::textparse {
namespace {

struct Sample {
  std::string labels;
  double value;
  std::optional<int64_t> ts;
};

// Parses a whole document in scrape mode; returns the samples, or the error.
Result<std::vector<Sample>> ParseAll(Format format, std::string_view doc) {
  auto p = NewParser(format, doc);
  std::vector<Sample> out;
  model::LabelsBuilder b;
  for (Entry e; (e = p->Next()) != Entry::kEof;) {
    if (e == Entry::kError) return p->Err();
    if (e != Entry::kSeries) continue;
    b.Reset();
    p->Labels(&b);
    out.push_back({b.Build().ToString(), p->Value(), p->TimestampMs()});
  }
  return out;
}

TEST(TextFormatTest, SamplesLabelsEscapesAndTimestamps) {
  auto r = ParseAll(Format::kPrometheusText,
                    "# HELP a Help\\nmore.\n# TYPE a counter\n"
                    "a{path=\"/x\",q=\"say \\\"hi\\\"\\\\\\n\"} 1.5 1700000000000\n"
                    "b NaN\nc{} +Inf\nd{x=\"1\",} -Inf 5\n\ne\t7\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].labels, "a{path=\"/x\", q=\"say \\\"hi\\\"\\\\\\n\"}");
  EXPECT_EQ((*r)[0].value, 1.5);
  EXPECT_EQ((*r)[0].ts, 1700000000000);
  EXPECT_TRUE(std::isnan((*r)[1].value));
  EXPECT_EQ((*r)[2].value, INFINITY);
  EXPECT_EQ((*r)[3].value, -INFINITY);
  EXPECT_EQ((*r)[3].ts, 5);
  EXPECT_EQ((*r)[4].labels, "e{}");
}

TEST(TextFormatTest, MetadataEntries) {
  auto p = NewParser(Format::kPrometheusText,
                     "# HELP x_total Total \\\\ things\\n.\n# TYPE x_total counter\n# random\n");
  ASSERT_EQ(p->Next(), Entry::kHelp);
  EXPECT_EQ(p->FamilyName(), "x_total");
  EXPECT_EQ(p->Text(), "Total \\ things\n.");
  ASSERT_EQ(p->Next(), Entry::kType);
  EXPECT_EQ(p->Type(), model::MetricType::kCounter);
  EXPECT_EQ(p->Next(), Entry::kComment);
  EXPECT_EQ(p->Next(), Entry::kEof);
}

TEST(TextFormatTest, SeriesBytesAreTheCacheKey) {
  auto p = NewParser(Format::kPrometheusText, "a{b=\"c\"} 1 2\n");
  ASSERT_EQ(p->Next(), Entry::kSeries);
  EXPECT_EQ(p->Series(), "a{b=\"c\"}");
}

TEST(TextFormatTest, ErrorsSayLineColumnAndWhatWasExpected) {
  auto r = ParseAll(Format::kPrometheusText, "a 1\nb{x=\"1\" 2\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "2:9: expected \",\" or \"}\" after a label value, got \"2\"");
  r = ParseAll(Format::kPrometheusText, "a one\n");
  EXPECT_EQ(r.status().message(), "1:3: expected a number as the value, got \"one\"");
  r = ParseAll(Format::kPrometheusText, "# TYPE a bogus\n");
  EXPECT_EQ(r.status().message(), "1:10: expected a metric type, got \"bogus\"");
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, "a 1 1.5\n").ok());
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, "a{b=c} 1\n").ok());
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, "a\n").ok());
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, "a{1=\"x\"} 1\n").ok());
  // As Prometheus 2.42: no leading blanks, no signed timestamps, no hexadecimal values.
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, " a 1\n").ok());
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, "a 1 -1000\n").ok());
  EXPECT_FALSE(ParseAll(Format::kPrometheusText, "a 0x1p3\n").ok());
  EXPECT_FALSE(ParseAll(Format::kOpenMetrics, "a{b=\"c\",} 1\n# EOF\n").ok());
}

TEST(OpenMetricsTest, TimestampsInSecondsExemplarsAndEof) {
  std::string doc =
      "# TYPE h histogram\n# UNIT h seconds\n"
      "h_bucket{le=\"1\"} 2 1700000000.5 # {trace_id=\"a\\\"b\"} 0.3 1700000000.25\n# EOF\n";
  auto p = NewParser(Format::kOpenMetrics, doc);
  ASSERT_EQ(p->Next(), Entry::kType);
  EXPECT_EQ(p->Type(), model::MetricType::kHistogram);
  ASSERT_EQ(p->Next(), Entry::kUnit);
  EXPECT_EQ(p->Text(), "seconds");
  ASSERT_EQ(p->Next(), Entry::kSeries);
  EXPECT_EQ(p->TimestampMs(), 1700000000500);
  Exemplar ex;
  ASSERT_TRUE(p->Exemplar(&ex));
  EXPECT_EQ(ex.labels.Build().ToString(), "{trace_id=\"a\\\"b\"}");
  EXPECT_EQ(ex.value, 0.3);
  EXPECT_EQ(ex.timestamp_ms, 1700000000250);
  EXPECT_EQ(p->Next(), Entry::kEof);

  EXPECT_FALSE(ParseAll(Format::kOpenMetrics, "a 1\n").ok());              // No # EOF.
  EXPECT_FALSE(ParseAll(Format::kOpenMetrics, "a 1\n# EOF\nb 1\n").ok());  // After # EOF.
  EXPECT_FALSE(ParseAll(Format::kOpenMetrics, "a 1\n\n# EOF\n").ok());     // Blank line.
  EXPECT_TRUE(ParseAll(Format::kOpenMetrics, "a 1\n# EOF").ok());
}

TEST(OpenMetricsTest, HugeTimestampsSaturateInsteadOfOverflowing) {
  auto r = ParseAll(Format::kOpenMetrics, "a 1 12345678901234567890.5\n# EOF\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].ts, INT64_MAX);
}

TEST(ContentTypeTest, ChoosesTheFormat) {
  EXPECT_EQ(FormatFromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"),
            Format::kOpenMetrics);
  EXPECT_EQ(FormatFromContentType("text/plain; version=0.0.4"), Format::kPrometheusText);
  EXPECT_EQ(FormatFromContentType(""), Format::kPrometheusText);
  EXPECT_EQ(FormatFromContentType("application/json"), Format::kPrometheusText);
}

TEST(CheckSeriesLabelsTest, NamesAndUtf8) {
  model::LabelsBuilder b;
  b.Add("__name__", "up");
  b.Add("job", "caf\xc3\xa9");
  EXPECT_TRUE(CheckSeriesLabels(b).ok());
  b.Set("job", "\xc3\x28");
  EXPECT_EQ(CheckSeriesLabels(b).message(), "invalid UTF-8 in the value of label \"job\"");
  b.Set("job", "\xed\xa0\x80");  // A UTF-16 surrogate: not valid UTF-8.
  EXPECT_FALSE(CheckSeriesLabels(b).ok());
  b.Set("job", "x");
  b.Set("__name__", "1up");
  EXPECT_FALSE(CheckSeriesLabels(b).ok());
  b.Del("__name__");
  EXPECT_EQ(CheckSeriesLabels(b).message(), "series has no metric name");
}

TEST(LexTest, GoFloatSyntax) {
  EXPECT_EQ(ParseGoFloat("1e3"), 1000);
  EXPECT_EQ(ParseGoFloat(".5"), 0.5);
  EXPECT_EQ(ParseGoFloat("+1."), 1);
  EXPECT_EQ(ParseGoFloat("-Infinity"), -INFINITY);
  EXPECT_EQ(ParseGoFloat("inf"), INFINITY);
  EXPECT_TRUE(std::isnan(*ParseGoFloat("nan")));
  for (const char* bad :
       {"", "1_000", "0x1", "0x1p3", "1e", "e1", "one", "1.2.3", "--1", "0x", "1e400"}) {
    EXPECT_FALSE(ParseGoFloat(bad).has_value()) << bad;
  }
  EXPECT_EQ(ParseGoInt("-12"), -12);
  EXPECT_EQ(ParseGoInt("+12"), 12);
  EXPECT_FALSE(ParseGoInt("1.0").has_value());
  EXPECT_TRUE(IsOpenMetricsNumber("1.5e-3", false));
  EXPECT_FALSE(IsOpenMetricsNumber("0x1p3", true));
  EXPECT_FALSE(IsOpenMetricsNumber("NaN", false));
}

}  // namespace
}  // namespace argus::textparse
