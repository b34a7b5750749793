#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "promql/value.h"

namespace argus::rules {

// Runs rule unit-test files (unit_test_file.h) as `promtool test rules` does, with Argus' own
// rules and PromQL engine.
//
// Each test group gets a memory storage and the rule files' groups (in group_eval_order, the
// groups it does not name first, in file order). From the group's start to its latest eval time,
// every evaluation_interval: the input series' samples up to that time are loaded (those after
// the last evaluation never are, as in promtool), every group is evaluated once at that time, and
// the alert tests whose eval time falls before the next evaluation compare the firing alerts of
// their alertname (pending ones are not listed; labels and annotations expanded) with the ones
// expected. A rule that fails ends the group's run. Then each expression test is queried at its
// eval time and its samples compared, values exactly, or within one unit in the last place with
// fuzzy_compare. Native histograms are not supported: a group that loads or expects one fails.

struct UnitTestOptions {
  // Regular expressions (RE2, unanchored; any may match): only the test groups whose name one
  // matches run. Empty: all of them.
  std::vector<std::string> run;
  // Rule files may hold keys that are not part of the format.
  bool ignore_unknown_fields = false;
};

// What testing one file found: every failure as promtool prints it (one message per failed
// check, indented, possibly over several lines), and warnings (rule file patterns that matched
// nothing). Passed when `errors` is empty.
struct UnitTestFileResult {
  std::vector<std::string> warnings;
  std::vector<std::string> errors;
};

// Tests the unit-test file at `path` (rule files are found relative to it). A file that cannot be
// read or parsed, a rule file that does not load, or an invalid --run expression is one error.
UnitTestFileResult RunUnitTestFile(const std::string& path, const UnitTestOptions& options);

// What Argus computes where the test group `group` (0-based) of the file at `path` checks
// expressions: the samples of each of its promql_expr_test entries, in order, after its rules ran
// as RunUnitTestFile runs them; its expectations (and alert tests) are not looked at. For writing
// the expectations that another implementation is then held to. Fails where a run would stop or
// a query fails.
Result<std::vector<promql::Vector>> EvaluateExprTests(const std::string& path, size_t group,
                                                      const UnitTestOptions& options = {});

}  // namespace argus::rules
