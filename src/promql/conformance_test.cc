// Runs Prometheus' PromQL .test scripts from the shared conformance data against the engine.
// The stable scripts must pass in full (native-histogram evals aside); the experimental ones
// are run and counted without failing the test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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

class ExperimentalScript : public ::testing::TestWithParam<std::string> {};

TEST_P(ExperimentalScript, IsCounted) {
  auto script = ReadScript(GetParam());
  if (!script) GTEST_SKIP() << "conformance data not found (set ARGUS_SHARED_DIR)";
  ScriptCounts c = RunAndPrint(GetParam(), *script);
  for (const auto& f : c.failures) std::printf("  %s\n", f.c_str());
}

INSTANTIATE_TEST_SUITE_P(Conformance, ExperimentalScript,
                         ::testing::Values("limit.test", "name_label_dropping.test",
                                           "native_histograms.test", "info.test",
                                           "type_and_unit.test", "duration_expression.test",
                                           "extended_vectors.test", "fill-modifier.test",
                                           "start_timestamps.test"),
                         [](const auto& info) {
                           std::string name = info.param.substr(0, info.param.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace argus::promql::promqltest
