#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "storage/querier.h"

namespace argus::rules {

// What an alerting rule's templates and alerts need from the server.
struct AlertingRuleContext {
  model::Labels external_labels;  // $externalLabels
  std::string external_url;       // $externalURL, and the base of each alert's generator URL.
};

// When alerts are sent again, restored and forgotten: Prometheus' defaults.
struct AlertTiming {
  // A firing alert is sent again after this; its ends_at is 4 × max(this, interval) ahead.
  std::chrono::milliseconds resend_delay = std::chrono::minutes(1);
  // --rules.alert.for-outage-tolerance: how far back ALERTS_FOR_STATE is read at a restart.
  std::chrono::milliseconds outage_tolerance = std::chrono::hours(1);
  // --rules.alert.for-grace-period: the least time a restored alert stays pending, and the least
  // `for` that is restored at all.
  std::chrono::milliseconds for_grace_period = std::chrono::minutes(10);
};

// An alerting rule, as Prometheus' AlertingRule: each series of the query's result is an alert,
// identified by the series' labels (without __name__) with the rule's labels and alertname set.
// A new alert is pending; it fires once it has been active for `for` (at once without one); it
// resolves when its series disappears, or `keep_firing_for` after that if it fired. Each
// evaluation yields the ALERTS{alertstate=...} and ALERTS_FOR_STATE samples of the pending and
// firing alerts, once the rule's `for` state has been restored (RestoreForState) or declared
// fresh (MarkRestored). Thread-safety as Rule's; the other methods run in the group's thread.
class AlertingRule final : public Rule {
 public:
  // `spec` is an alerting rule that passed ParseRuleFile's validation.
  AlertingRule(RuleSpec spec, AlertingRuleContext context);

  // Fails, besides as Rule::Eval says, when two alerts end up with the same labels; exceeding
  // `limit` also forgets every alert, as in Prometheus.
  Result<promql::Vector> Eval(const QueryFunc& query, int64_t eval_t_ms, int64_t query_t_ms,
                              int64_t limit) override;
  RuleStatus Snapshot() const override;

  // The alerts due to be sent at `t_ms`, after an evaluation at `t_ms` with the group's
  // `interval`: firing ones not sent for resend_delay, and resolved ones not sent since they
  // resolved or for resend_delay (a resolved alert is kept, and sent, for 15 minutes). Marks them
  // sent.
  std::vector<model::Alert> TakeAlertsToSend(int64_t t_ms, std::chrono::milliseconds interval,
                                             const AlertTiming& timing) ABSL_LOCKS_EXCLUDED(mu_);

  // After the first evaluation since a start at `t_ms`: moves each active alert's start to where
  // ALERTS_FOR_STATE in `storage` says it was (over timing.outage_tolerance), extended by the
  // time the server was down, and at least timing.for_grace_period before it fires. Rules with a
  // `for` below the grace period are not restored. Marks the rule restored. Fails only when the
  // storage does.
  Status RestoreForState(storage::Queryable& storage, int64_t t_ms, const AlertTiming& timing)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Starts writing ALERTS samples without restoring anything (a rule added by a reload).
  void MarkRestored() ABSL_LOCKS_EXCLUDED(mu_);

  // Takes the alerts and the restored mark of the same rule before a reload.
  void TakeStateFrom(AlertingRule& previous) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Alert {
    model::Labels labels;
    model::Labels annotations;
    AlertState state = AlertState::kPending;
    double value = 0;
    int64_t active_at_ms = 0;
    int64_t fired_at_ms = 0;
    int64_t resolved_at_ms = 0;
    int64_t last_sent_at_ms = 0;
    int64_t valid_until_ms = 0;
    int64_t keep_firing_since_ms = 0;
  };

  // The alerts the query's result makes, before they meet the active ones.
  Result<std::map<model::Labels, Alert>> AlertsOf(const promql::Vector& result, int64_t eval_t_ms,
                                                  const QueryFunc& query) const;
  model::Alert ToNotification(const Alert& alert) const;

  const AlertingRuleContext context_;
  const std::string generator_url_;
  mutable absl::Mutex mu_;
  std::map<model::Labels, Alert> active_ ABSL_GUARDED_BY(mu_);
  bool restored_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace argus::rules
