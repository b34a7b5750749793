#include "rules/rule.h"

#include "promql/parser/parser.h"

namespace argus::rules {
namespace {

// The expression as Prometheus prints a rule's: parsed and printed back.
std::string PrintedQuery(const std::string& expr) {
  auto parsed = promql::ParseExpr(expr);
  return parsed.ok() ? promql::ToString(**parsed) : expr;
}

}  // namespace

const char* AlertStateName(AlertState state) {
  switch (state) {
    case AlertState::kInactive:
      return "inactive";
    case AlertState::kPending:
      return "pending";
    case AlertState::kFiring:
      return "firing";
  }
  return "inactive";
}

const char* RuleHealthName(RuleHealth health) {
  switch (health) {
    case RuleHealth::kUnknown:
      return "unknown";
    case RuleHealth::kOk:
      return "ok";
    case RuleHealth::kBad:
      return "err";
  }
  return "unknown";
}

QueryFunc EngineQueryFunc(std::function<promql::Engine()> make_engine,
                          storage::Queryable& storage) {
  return [make_engine = std::move(make_engine), &storage](std::string_view query,
                                                          int64_t t_ms) -> Result<promql::Vector> {
    ARGUS_ASSIGN_OR_RETURN(promql::QueryResult result,
                           make_engine().InstantQuery(storage, query, t_ms));
    if (auto* vector = std::get_if<promql::Vector>(&result.value)) return std::move(*vector);
    if (auto* scalar = std::get_if<promql::Scalar>(&result.value)) {
      return promql::Vector{{model::Labels(), scalar->t, scalar->v}};
    }
    return Status::Errorf(Status::Code::kInvalidInput, "rule result is not a vector or scalar: {}",
                          promql::ValueTypeName(result.value));
  };
}

Rule::Rule(RuleSpec spec) : spec_(std::move(spec)), query_(PrintedQuery(spec_.expr)) {}

RuleStatus Rule::Snapshot() const {
  RuleStatus status;
  status.alerting = !spec_.alert.empty();
  status.name = name();
  status.query = query_;
  status.labels = spec_.labels;
  absl::MutexLock lock(&mu_);
  status.health = health_;
  status.last_error = last_error_;
  status.evaluation_seconds = evaluation_seconds_;
  status.last_evaluation_ms = last_evaluation_ms_;
  return status;
}

void Rule::RecordFailure(const Status& error) {
  absl::MutexLock lock(&mu_);
  health_ = RuleHealth::kBad;
  last_error_ = error.message();
}

void Rule::RecordSuccess() {
  absl::MutexLock lock(&mu_);
  health_ = RuleHealth::kOk;
  last_error_.clear();
}

void Rule::RecordEvaluation(int64_t t_ms, double seconds) {
  absl::MutexLock lock(&mu_);
  last_evaluation_ms_ = t_ms;
  evaluation_seconds_ = seconds;
}

}  // namespace argus::rules
