#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/metric_type.h"

namespace argus::textparse {

// One metric family of a text-format document, in the shape the linter needs: what
// prometheus/common's expfmt text parser (behind `promtool check metrics`) makes of it.
struct MetricFamily {
  std::string name;
  model::MetricType type = model::MetricType::kUnknown;  // kUnknown: untyped.
  bool has_help = false;
  // One entry per metric: the names of its labels in input order. A histogram's le and a
  // summary's quantile are not labels of its metrics: the lines of one histogram or summary that
  // differ only in them (and its _sum and _count) are one metric.
  std::vector<std::vector<std::string>> metrics;
};

// Reads a Prometheus text-format (0.0.4) document into metric families as `promtool check metrics`
// does: a family is found by name anywhere in the document; a sample named <name>_sum or
// <name>_count joins an earlier summary or histogram <name>, and <name>_bucket an earlier
// histogram; families without samples are left out. Families come in order of appearance.
//
// Besides the line grammar of the scrape parser it rejects what promtool rejects: a second HELP or
// TYPE for a family, a TYPE after the family's samples, "__name__" as a label, a label name twice,
// a label value that is not UTF-8 or holds a raw newline, escapes other than \\ and \n (and \" in
// label values), an le or quantile that is not a number in a histogram or summary, trailing
// blanks after a sample's value or timestamp or after a type, and a last line without its
// newline. Errors are kInvalidInput, "line:column: what is wrong".
Result<std::vector<MetricFamily>> ReadMetricFamilies(std::string_view document);

}  // namespace argus::textparse
