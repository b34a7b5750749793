#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/duration.h"
#include "model/labels.h"

namespace argus::rules {

// A rule unit-test file as `promtool test rules` reads it (docs/configuration/
// unit_testing_rules.md): the rule files to load, the evaluation interval, the order of groups
// and the test groups, each with input series and the alerts and query results expected at given
// times. Newer promtool's `fuzzy_compare` and `start_timestamp` are read too. Only the file's
// shape is checked here; series notation, expressions and labels are read when a test runs, where
// promtool reports them.

struct InputSeries {
  std::string series;  // `up{job="a"}`
  std::string values;  // The expanding notation: `0+1x10 _ stale`.
};

struct ExpectedAlert {
  model::Labels labels;  // Without alertname, as written.
  model::Labels annotations;
};

struct AlertTestCase {
  model::Duration eval_time{0};  // From the group's start.
  std::string alertname;
  std::vector<ExpectedAlert> exp_alerts;  // The firing alerts of that name, all of them.
};

struct ExpectedSample {
  std::string labels;  // Series notation, e.g. `up{job="a"}`; "" for no labels.
  double value = 0;
  bool histogram = false;  // A native histogram is expected (`histogram:`).
};

struct ExprTestCase {
  std::string expr;
  model::Duration eval_time{0};  // From the group's start.
  std::vector<ExpectedSample> exp_samples;
};

struct TestGroup {
  std::string name;
  std::optional<model::Duration> interval;  // Of the input series; nullopt: evaluation_interval.
  int64_t start_ms = 0;  // start_timestamp: when the series and eval times begin.
  std::vector<InputSeries> input_series;
  std::vector<AlertTestCase> alert_tests;
  std::vector<ExprTestCase> expr_tests;
  model::Labels external_labels;
  std::string external_url;
};

struct UnitTestFile {
  // As written; RuleFilesOf resolves them.
  std::vector<std::string> rule_files;
  model::Duration evaluation_interval = std::chrono::minutes(1);
  bool fuzzy_compare = false;  // Floats equal within one unit in the last place.
  std::vector<std::string> group_eval_order;
  std::vector<TestGroup> tests;
};

// Parses a unit-test file; `source` names it in messages. Unknown keys and values of the wrong
// type are errors (kInvalidInput, one per line, "<source>:<line>:<column>: <path>: <reason>"), as
// promtool reads the file strictly.
Result<UnitTestFile> ParseUnitTestFile(std::string_view yaml, std::string_view source);

// The rule files of `file`, read from `path`: each entry joined to the test file's directory
// unless absolute, then expanded as a glob. `unmatched` gets the patterns that matched nothing.
std::vector<std::string> RuleFilesOf(const UnitTestFile& file, const std::string& path,
                                     std::vector<std::string>* unmatched);

}  // namespace argus::rules
