// The OpenMetrics parser test suite, driven the way its README describes: each case's document on
// standard input of `argus check metrics --format=openmetrics`, the verdict by exit code.

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <iterator>

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
    std::ifstream in(json_path);
    std::string text(std::istreambuf_iterator<char>(in), {});
    rapidjson::Document doc;
    doc.Parse(text.c_str());
    EXPECT_FALSE(doc.HasParseError()) << json_path;
    if (doc.HasParseError() || !doc.HasMember("shouldParse")) continue;
    cases.push_back({entry.path().filename().string(), entry.path() / doc["file"].GetString(),
                     doc["shouldParse"].GetBool()});
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
