#pragma once

// The messages of a failed rule unit test, word for word as promtool prints them (Go's
// formatting of labels, floats, durations and quoted strings included). Internal to
// unit_test_runner.cc; exposed for its tests.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/duration.h"
#include "model/labels.h"

namespace argus::rules::unit_test_report {

// An alert as the test compares it: labels (alertname included) and annotations.
using AlertLabels = std::pair<model::Labels, model::Labels>;
// A sample as the test compares it.
using SampleValue = std::pair<model::Labels, double>;

// Go's %q of a string.
std::string Quote(std::string_view text);
// Go's labels.Labels.String(): {__name__="up", job="a"}.
std::string LabelsString(const model::Labels& labels);
// Go's time.Duration.String() of a whole number of milliseconds: 0s, 1m0s, 2m59.999s, 999ms.
std::string GoDuration(int64_t ms);

// An alert test's mismatch at `eval_time`: both lists sorted.
std::string AlertMismatch(std::string_view group_name, std::string_view alertname,
                          model::Duration eval_time, const std::vector<AlertLabels>& expected,
                          const std::vector<AlertLabels>& got);

// An expression test's mismatch at `eval_time`: both lists sorted.
std::string SampleMismatch(std::string_view expr, model::Duration eval_time,
                           const std::vector<SampleValue>& expected,
                           const std::vector<SampleValue>& got);

// An expression test that could not be checked: the query or an expected sample's labels failed.
std::string ExprError(std::string_view expr, model::Duration eval_time, std::string_view error);

// A rule that failed at the evaluation `offset_ms` after the group's start.
std::string RuleError(std::string_view rule, int64_t offset_ms, std::string_view error);

}  // namespace argus::rules::unit_test_report
