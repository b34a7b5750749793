// Runs Prometheus' PromQL .test scripts from the shared conformance data against the engine.
// The stable scripts must pass in full (native-histogram evals aside); the experimental ones must
// pass at least the evals they passed when they were last counted.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "promql/promqltest/runner.h"

namespace argus::promql::promqltest {
namespace {

std::optional<std::string> ReadScript(const std::string& name) {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  if (shared == nullptr) return std::nullopt;
  std::ifstream in(std::filesystem::path(shared) / "conformance" / "promql" / name);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ScriptCounts RunAndPrint(const std::string& name, const std::string& script) {
  ScriptCounts c = RunScript(script);
  std::printf("%s: %d passed, %d failed, %d skipped\n", name.c_str(), c.passed, c.failed,
              c.skipped);
  return c;
}

class StableScript : public ::testing::TestWithParam<std::string> {};

TEST_P(StableScript, Passes) {
  auto script = ReadScript(GetParam());
  if (!script) GTEST_SKIP() << "conformance data not found (set ARGUS_SHARED_DIR)";
  ScriptCounts c = RunAndPrint(GetParam(), *script);
  for (const auto& f : c.failures) ADD_FAILURE() << GetParam() << ": " << f;
  for (const auto& s : c.skips) std::printf("  skipped (native histograms): %s\n", s.c_str());
  EXPECT_GT(c.passed, 0);
}

INSTANTIATE_TEST_SUITE_P(Conformance, StableScript,
                         ::testing::Values("literals.test", "selectors.test", "staleness.test",
                                           "operators.test", "aggregators.test", "functions.test",
                                           "histograms.test", "subquery.test", "at_modifier.test",
                                           "collision.test", "trig_functions.test",
                                           "range_queries.test"),
                         [](const auto& info) {
                           return info.param.substr(0, info.param.find('.'));
                         });

// An experimental script and how many of its evals pass today. A feature that lands may make more
// pass; fewer is a regression in what already worked, and fails the test.
struct Experimental {
  std::string script;
  int passes_at_least;
  friend void PrintTo(const Experimental& e, std::ostream* os) { *os << e.script; }
};

class ExperimentalScript : public ::testing::TestWithParam<Experimental> {};

TEST_P(ExperimentalScript, PassesNoFewerThanBefore) {
  const Experimental& e = GetParam();
  auto script = ReadScript(e.script);
  if (!script) GTEST_SKIP() << "conformance data not found (set ARGUS_SHARED_DIR)";
  ScriptCounts c = RunAndPrint(e.script, *script);
  // Read as evals, and run through without a crash, even where none passes yet.
  EXPECT_GT(c.passed + c.failed + c.skipped, 0);
  EXPECT_GE(c.passed, e.passes_at_least) << e.script << " passes fewer evals than it did";
  if (c.passed < e.passes_at_least) {
    for (const auto& f : c.failures) std::printf("  %s\n", f.c_str());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Conformance, ExperimentalScript,
    ::testing::Values(Experimental{"limit.test", 1}, Experimental{"name_label_dropping.test", 30},
                      Experimental{"native_histograms.test", 3}, Experimental{"info.test", 0},
                      Experimental{"type_and_unit.test", 43},
                      Experimental{"duration_expression.test", 8},
                      Experimental{"extended_vectors.test", 30},
                      Experimental{"fill-modifier.test", 1},
                      Experimental{"start_timestamps.test", 0}),
    [](const auto& info) {
      std::string name = info.param.script.substr(0, info.param.script.find('.'));
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
}  // namespace argus::promql::promqltest
