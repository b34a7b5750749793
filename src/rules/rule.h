#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/alert.h"
#include "promql/engine.h"
#include "promql/value.h"
#include "rules/rule_file.h"
#include "rules/status.h"
#include "storage/querier.h"

namespace argus::rules {

// Evaluates the instant query `query` at `t_ms`: the seam between rules and PromQL. A scalar
// result is one sample without labels; a string or range vector is an error. Called from the
// groups' evaluation threads, concurrently for different groups.
using QueryFunc = std::function<Result<promql::Vector>(std::string_view query, int64_t t_ms)>;

// Takes alerts to deliver: the seam between rules and the notifier. Called from the groups'
// evaluation threads, concurrently for different groups, never with an empty list; it must not
// block for long.
using NotifyFunc = std::function<void(std::vector<model::Alert> alerts)>;

// A QueryFunc over `storage` and the engine `make_engine` returns for each query (so that its
// options may follow the configuration), as Prometheus' EngineQueryFunc. `storage` must outlive
// it.
QueryFunc EngineQueryFunc(std::function<promql::Engine()> make_engine, storage::Queryable& storage);

// A recording or alerting rule: evaluated by its group, in the group's thread, one evaluation at
// a time; its status may be read from any thread meanwhile.
class Rule {
 public:
  virtual ~Rule() = default;

  const RuleSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.alert.empty() ? spec_.record : spec_.alert; }
  // The expression as the parser prints it: what is queried and shown.
  const std::string& query() const { return query_; }

  // Evaluates the rule: queries at `query_t_ms` (the group's evaluation time less its
  // query_offset) and returns the samples to write, stamped `query_t_ms`. `eval_t_ms` is the
  // evaluation time itself, which alert state is measured in. Fails when the query does, and when
  // the rule yields more than `limit` series or alerts (0: no limit). Marks the rule healthy on
  // success; the group records failures (RecordFailure).
  virtual Result<promql::Vector> Eval(const QueryFunc& query, int64_t eval_t_ms, int64_t query_t_ms,
                                      int64_t limit) = 0;

  // The rule's status; an alerting rule adds its alerts.
  virtual RuleStatus Snapshot() const;

  void RecordFailure(const Status& error) ABSL_LOCKS_EXCLUDED(mu_);
  void RecordEvaluation(int64_t t_ms, double seconds) ABSL_LOCKS_EXCLUDED(mu_);

 protected:
  // `spec` must have passed ParseRuleFile's validation.
  explicit Rule(RuleSpec spec);
  void RecordSuccess() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const RuleSpec spec_;
  const std::string query_;
  mutable absl::Mutex mu_;
  RuleHealth health_ ABSL_GUARDED_BY(mu_) = RuleHealth::kUnknown;
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  int64_t last_evaluation_ms_ ABSL_GUARDED_BY(mu_) = 0;
  double evaluation_seconds_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace argus::rules
