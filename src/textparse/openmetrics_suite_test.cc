// The OpenMetrics project's parser test suite against Validate, case by case. (The same suite runs
// through `argus check metrics` in tests/integration.)

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "textparse/parser.h"

namespace argus::textparse {
namespace {

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(OpenMetricsSuiteTest, EveryCaseGetsItsVerdict) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  auto root =
      std::filesystem::path(shared ? shared : "") / "conformance/exposition/openmetrics-parsers";
  if (!shared || !std::filesystem::exists(root)) {
    GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  }
  int cases = 0, right = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    auto json = entry.path() / "test.json";
    if (!std::filesystem::exists(json)) continue;
    ++cases;
    std::string spec = Read(json);
    bool should_parse = spec.find("\"shouldParse\": true") != std::string::npos ||
                        spec.find("\"shouldParse\":true") != std::string::npos;
    Status s = Validate(Format::kOpenMetrics, Read(entry.path() / "metrics"));
    EXPECT_EQ(s.ok(), should_parse) << entry.path().filename().string() << ": " << s.message();
    right += s.ok() == should_parse;
  }
  EXPECT_EQ(cases, 211);
  std::printf("OpenMetrics verdicts right: %d of %d\n", right, cases);
}

// A family declared with its samples' name is the usual mistake behind a sample its family does
// not take; the error says so instead of calling the family a duplicate.
TEST(OpenMetricsValidatorTest, SampleNamedAsItsFamilyGetsTheRealCause) {
  EXPECT_EQ(Validate(Format::kOpenMetrics, "# TYPE a_total counter\na_total 1\n# EOF\n").message(),
            "2:1: the samples of counter family \"a_total\" are named \"a_total_total\" or "
            "\"a_total_created\", not \"a_total\"; for samples named \"a_total\", name the family "
            "without \"_total\": \"# TYPE a counter\"");
  EXPECT_EQ(Validate(Format::kOpenMetrics, "# TYPE a counter\na 1\n# EOF\n").message(),
            "2:1: the samples of counter family \"a\" are named \"a_total\" or \"a_created\", not "
            "\"a\"");
  EXPECT_TRUE(Validate(Format::kOpenMetrics, "# TYPE a counter\na_total 1\n# EOF\n").ok());
}

TEST(OpenMetricsValidatorTest, ErrorsSayLineAndColumn) {
  EXPECT_EQ(
      Validate(Format::kOpenMetrics, "# TYPE a gauge\n# TYPE a gauge\na 1\n# EOF\n").message(),
      "2:1: repeated TYPE for \"a\"");
  EXPECT_EQ(
      Validate(Format::kOpenMetrics, "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n# EOF\n").message(),
      "4:1: histogram \"h\" has no +Inf bucket");
}

}  // namespace
}  // namespace argus::textparse
