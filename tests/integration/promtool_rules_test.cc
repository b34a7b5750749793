// `argus check rules` against promtool 2.42's `check rules` on Prometheus' own rule file fixtures:
// the same verdict (exit code) and, for a valid file, the same rule count. Where Argus follows
// Prometheus 3 instead of 2.42 the difference is listed with its reason.

#include <gtest/gtest.h>

#include <map>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr char kPromtool[] = "/usr/bin/promtool";

struct Outcome {
  int code = -1;
  std::string output;  // Standard output and error together.
};

Outcome RunTool(const TempDir& dir, const std::vector<std::string>& argv) {
  auto p = ChildProcess::Start(argv, dir.path() / "run.log");
  EXPECT_TRUE(p.has_value()) << argv[0];
  if (!p) return {};
  auto code = p->Wait(seconds(60));
  EXPECT_TRUE(code.has_value()) << argv[0] << " did not finish";
  return {code.value_or(-1), p->Log()};
}

// The line "  SUCCESS: N rules found", or "" when there is none.
std::string SuccessLine(const std::string& output) {
  size_t at = output.find("  SUCCESS: ");
  if (at == std::string::npos) return "";
  return output.substr(at, output.find('\n', at) - at);
}

// Files on which Argus' verdict differs from promtool 2.42's on purpose: Argus' exit code.
const std::map<std::string, int> kDifferences = {
    // Label and annotation names are UTF-8 in Prometheus 3 and in Argus' PromQL; 2.42 wants
    // [a-zA-Z_][a-zA-Z0-9_]*.
    {"utf-8_lname.good.yaml", 0},
    {"utf-8_annotation.good.yaml", 0},
    {"legacy_validation_annotation.bad.yaml", 0},
};

TEST(PromtoolRulesTest, CheckRulesGivesPromtoolsVerdicts) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  auto root = std::filesystem::path(shared ? shared : "") / "conformance/rules";
  if (!shared || !std::filesystem::exists(root)) {
    GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  }
  if (!std::filesystem::exists(kPromtool)) GTEST_SKIP() << kPromtool << " is not installed";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(root / "rulefmt/testdata")) {
    files.push_back(entry.path());
  }
  for (const auto& entry : std::filesystem::directory_iterator(root / "promtool/testdata")) {
    if (entry.path().filename().string().starts_with("rules")) files.push_back(entry.path());
  }
  ASSERT_GE(files.size(), 20u);
  TempDir dir;
  for (const auto& file : files) {
    std::string name = file.filename().string();
    Outcome promtool = RunTool(dir, {kPromtool, "check", "rules", file.string()});
    Outcome argus = RunTool(dir, {std::getenv("ARGUS_BINARY"), "check", "rules", file.string()});
    EXPECT_NE(argus.output.find("Checking " + file.string() + "\n"), std::string::npos)
        << argus.output;
    if (auto difference = kDifferences.find(name); difference != kDifferences.end()) {
      EXPECT_NE(argus.code, promtool.code) << name << " agrees now: drop it from kDifferences";
      EXPECT_EQ(argus.code, difference->second) << name << "\n" << argus.output;
      continue;
    }
    EXPECT_EQ(argus.code, promtool.code) << name << "\nargus:\n"
                                         << argus.output << "promtool:\n"
                                         << promtool.output;
    EXPECT_EQ(SuccessLine(argus.output), SuccessLine(promtool.output)) << name;
    EXPECT_EQ(argus.output.find("FAILED:") != std::string::npos,
              promtool.output.find("FAILED:") != std::string::npos)
        << name << "\nargus:\n"
        << argus.output << "promtool:\n"
        << promtool.output;
  }
}

TEST(PromtoolRulesTest, SeveralFilesAndLintFatal) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  auto root = std::filesystem::path(shared ? shared : "") / "conformance/rules/promtool/testdata";
  if (!shared || !std::filesystem::exists(root)) {
    GTEST_SKIP() << "the shared conformance data (ARGUS_SHARED_DIR) is not available";
  }
  TempDir dir;
  std::string lint = (root / "prometheus-rules.lint.yml").string();
  Outcome fatal =
      RunTool(dir, {std::getenv("ARGUS_BINARY"), "check", "rules", "--lint-fatal", lint});
  EXPECT_EQ(fatal.code, 3) << fatal.output;
  EXPECT_NE(fatal.output.find("lint error 1 duplicate rule(s) found."), std::string::npos)
      << fatal.output;
  Outcome lenient = RunTool(dir, {std::getenv("ARGUS_BINARY"), "check", "rules", lint});
  EXPECT_EQ(lenient.code, 0) << lenient.output;
  Outcome none = RunTool(dir, {std::getenv("ARGUS_BINARY"), "check", "rules", "--lint=none", lint});
  EXPECT_EQ(none.code, 0);
  EXPECT_NE(none.output.find("  SUCCESS: 2 rules found"), std::string::npos) << none.output;
  Outcome two =
      RunTool(dir, {std::getenv("ARGUS_BINARY"), "check", "rules", (root / "rules.yml").string(),
                    (root / "bad-rules-syntax.yml").string()});
  EXPECT_EQ(two.code, 1);
  EXPECT_NE(two.output.find("  SUCCESS: "), std::string::npos) << two.output;
  EXPECT_NE(two.output.find("could not parse expression"), std::string::npos) << two.output;
}

}  // namespace
}  // namespace argus::testing
