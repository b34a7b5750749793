#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"

namespace argus::rules {

// A rule file as Prometheus reads it (its rulefmt package): `groups:`, each with a name, an
// optional interval, query_offset, limit and labels, and its recording and alerting rules.

// One rule: exactly one of `record` and `alert` is set.
struct RuleSpec {
  std::string record;
  std::string alert;
  std::string expr;
  std::chrono::milliseconds for_duration{0};     // `for`
  std::chrono::milliseconds keep_firing_for{0};  // `keep_firing_for`
  // The rule's labels, the group's merged in (the rule's own win); values may hold templates.
  model::Labels labels;
  model::Labels annotations;  // Values may hold templates.
  bool operator==(const RuleSpec&) const = default;
};

struct RuleGroupSpec {
  std::string name;
  std::string file;  // The file it was read from, as named to the reader.
  std::optional<std::chrono::milliseconds> interval;      // nullopt: global.evaluation_interval.
  std::optional<std::chrono::milliseconds> query_offset;  // nullopt: none.
  int64_t limit = 0;  // Most series a rule may produce (alerts: pending and firing); 0: no limit.
  std::vector<RuleSpec> rules;
  bool operator==(const RuleGroupSpec&) const = default;
};

// Which names labels and annotations may have: Prometheus 3's UTF-8 (any valid UTF-8, as Argus'
// PromQL), or the legacy [a-zA-Z_][a-zA-Z0-9_]* that Prometheus 2 required.
enum class NameValidation { kUtf8, kLegacy };

struct RuleFileOptions {
  NameValidation names = NameValidation::kUtf8;
  // Keys that are not part of the format are errors unless this is set.
  bool ignore_unknown_fields = false;
};

// Parses and validates the rule file `yaml`, named `source` in messages, as Prometheus'
// rulefmt.ParseFile does: the YAML's shape first (unknown fields, types); then, if that holds,
// every rule: the expression parses (src/promql's parser), exactly one of record and alert, a
// valid record name, no `for`/`keep_firing_for`/`annotations` on a recording rule, valid label
// and annotation names, templates that parse, group names unique and not empty.
//
// On failure returns kInvalidInput listing every error found, one per line, each as Prometheus
// words it with the file and, where known, the line and column first:
//   rules.yml: 5:15: group "yolo", rule 1, "yolo": could not parse expression: 1:6: parse error:
//   ...
// Only the first YAML document of the input is read, as in Prometheus.
Result<std::vector<RuleGroupSpec>> ParseRuleFile(std::string_view yaml, std::string_view source,
                                                 const RuleFileOptions& options = {});

// Reads the file at `path` and parses it; a file that cannot be read is kIOError
// ("<path>: <reason>").
Result<std::vector<RuleGroupSpec>> LoadRuleFile(const std::string& path,
                                                const RuleFileOptions& options = {});

}  // namespace argus::rules
