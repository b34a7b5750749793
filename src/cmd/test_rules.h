#pragma once

#include <string>
#include <vector>

#include "rules/unit_test_runner.h"

namespace argus::cmd {

// `argus test rules [--run REGEX]... FILE...`: runs each rule unit-test file (promtool's format;
// see rules/unit_test_runner.h) and reports as `promtool test rules` does: "Unit Testing:  FILE"
// on standard output, then "  SUCCESS" there, or "  FAILED:" and each failure on standard error
// (a blank line on standard output after each failure and after each file); rule file patterns
// that match nothing are warned about on standard error. Returns 0 when every file passed, 1
// otherwise.
int TestRules(const std::vector<std::string>& paths, const rules::UnitTestOptions& options);

}  // namespace argus::cmd
