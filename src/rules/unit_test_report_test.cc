#include "rules/unit_test_report.h"

#include <gtest/gtest.h>

#include <cmath>

namespace argus::rules::unit_test_report {
namespace {

TEST(UnitTestReportTest, DurationsAsGoPrintsThem) {
  const std::pair<int64_t, std::string> cases[] = {
      {0, "0s"},         {999, "999ms"},         {1000, "1s"},          {1500, "1.5s"},
      {60'000, "1m0s"},  {179'999, "2m59.999s"}, {3'600'000, "1h0m0s"}, {90'061'000, "25h1m1s"},
      {-60'000, "-1m0s"}};
  for (const auto& [ms, text] : cases) EXPECT_EQ(GoDuration(ms), text) << ms;
}

TEST(UnitTestReportTest, QuotesAsGoDoes) {
  EXPECT_EQ(Quote("up{job=\"a\"}"), "\"up{job=\\\"a\\\"}\"");
  EXPECT_EQ(Quote("a\\b\nc\td"), "\"a\\\\b\\nc\\td\"");
  EXPECT_EQ(Quote("caf\xc3\xa9\x01"), "\"caf\xc3\xa9\\x01\"");
}

TEST(UnitTestReportTest, LabelsAndFloatsAsGoPrintsThem) {
  EXPECT_EQ(LabelsString({}), "{}");
  EXPECT_EQ(LabelsString({{"__name__", "up"}, {"job", "a"}}), "{__name__=\"up\", job=\"a\"}");
  const std::pair<double, std::string> cases[] = {{0, "0E+00"},
                                                  {60, "6E+01"},
                                                  {0.5, "5E-01"},
                                                  {1704067200, "1.7040672E+09"},
                                                  {2.9999999999999996, "2.9999999999999996E+00"},
                                                  {1e-300, "1E-300"},
                                                  {NAN, "NaN"},
                                                  {INFINITY, "+Inf"},
                                                  {-INFINITY, "-Inf"}};
  for (const auto& [v, text] : cases) {
    EXPECT_EQ(SampleMismatch("x", model::Duration(0), {}, {{{}, v}}),
              "    expr: \"x\", time: 0s,\n        exp: nil\n        got: {} " + text);
  }
}

TEST(UnitTestReportTest, AlertListsIndentAsPromtools) {
  std::vector<AlertLabels> two = {{{{"alertname", "A"}}, {}}, {{{"alertname", "B"}}, {{"s", "x"}}}};
  EXPECT_EQ(AlertMismatch("", "A", std::chrono::minutes(90), {}, two),
            "    alertname: A, time: 1h30m, \n"
            "        exp:[], \n"
            "        got:[\n"
            "            0:\n"
            "              Labels:{alertname=\"A\"}\n"
            "              Annotations:{},\n"
            "            1:\n"
            "              Labels:{alertname=\"B\"}\n"
            "              Annotations:{s=\"x\"}\n"
            "            ]");
}

}  // namespace
}  // namespace argus::rules::unit_test_report
