// The OpenMetrics parser test suite, driven the way its README describes: each case's document on
// standard input of `argus check metrics --format=openmetrics`, the verdict by exit code.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>

#include "process.h"

namespace argus::testing {
namespace {

struct Case {
  std::string name;
  std::filesystem::path metrics;
  bool should_parse;
};

std::vector<Case> LoadCases(const std::filesystem::path& root) {
  std::vector<Case> cases;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    auto json_path = entry.path() / "test.json";
    if (!std::filesystem::exists(json_path)) continue;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string_view file;
    bool should_parse = false;
    auto error = parser.load(json_path.string()).get(doc);
    if (!error) error = doc["file"].get(file);
    if (!error) error = doc["shouldParse"].get(should_parse);
    EXPECT_FALSE(error) << json_path << ": " << simdjson::error_message(error);
    if (error) continue;
    cases.push_back({entry.path().filename().string(), entry.path() / file, should_parse});
  }
  std::sort(cases.begin(), cases.end(),
            [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

TEST(OpenMetricsConformanceTest, EveryCaseGetsItsVerdict) {
  auto root = SharedFile("conformance/exposition/openmetrics-parsers");
  if (!root) GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  auto cases = LoadCases(*root);
  ASSERT_EQ(cases.size(), 211u);
  TempDir dir;
  int right = 0;
  for (const auto& c : cases) {
    auto p = ChildProcess::Start(
        {std::getenv("ARGUS_BINARY"), "check", "metrics", "--format=openmetrics"},
        dir.path() / "out.log", c.metrics);
    ASSERT_TRUE(p.has_value());
    auto code = p->Wait(std::chrono::seconds(30));
    ASSERT_TRUE(code.has_value()) << c.name;
    bool parsed = *code == 0;
    EXPECT_TRUE(*code == 0 || *code == 1) << c.name << " crashed: " << p->Log();
    EXPECT_EQ(parsed, c.should_parse) << c.name << ": " << p->Log();
    if (parsed == c.should_parse) ++right;
  }
  std::printf("OpenMetrics verdicts right: %d of %zu\n", right, cases.size());
}

}  // namespace
}  // namespace argus::testing
