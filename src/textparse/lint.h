#pragma once

#include <span>
#include <string>
#include <vector>

#include "textparse/metric_families.h"

namespace argus::textparse {

// A naming or metadata convention that a metric family breaks, worded as promtool's linter words
// it: `metric` is the family's name, `text` what is wrong ("no help text").
struct LintProblem {
  std::string metric;
  std::string text;
  bool operator==(const LintProblem&) const = default;
};

// Lints `families` by the rules of `promtool check metrics` (client_golang's promlint, as in
// Prometheus 2.42): help text present; base units (seconds, bytes, ...) rather than others
// (milliseconds, bits, ...); "_total" on counters and only on them; "_bucket", "_count", "_sum",
// "le" and "quantile" left to histograms and summaries; no type name, colon, camelCase or
// abbreviated unit in the name; no camelCase label names. The rules about labels apply once per
// metric and label, so a family can give the same problem more than once, as in promtool.
//
// Where promtool's choice depends on Go's map order (a name with two unit words, one of them not a
// base unit), the first unit word in the name decides. Problems come sorted by metric, then text.
std::vector<LintProblem> Lint(std::span<const MetricFamily> families);

}  // namespace argus::textparse
