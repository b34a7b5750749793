#pragma once

#include <memory>

#include "rules/rule.h"

namespace argus::rules {

// A recording rule: the query's result under the rule's name, with the rule's labels set, as
// Prometheus' RecordingRule. Thread-safety as Rule's.
class RecordingRule final : public Rule {
 public:
  // `spec` is a recording rule that passed ParseRuleFile's validation.
  explicit RecordingRule(RuleSpec spec) : Rule(std::move(spec)) {}

  // Fails, besides as Rule::Eval says, when two samples end up with the same labels.
  Result<promql::Vector> Eval(const QueryFunc& query, int64_t eval_t_ms, int64_t query_t_ms,
                              int64_t limit) override;
};

}  // namespace argus::rules
