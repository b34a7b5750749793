#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/periodic_task.h"
#include "base/timer.h"
#include "rules/alerting_rule.h"
#include "rules/rule.h"
#include "storage/appender.h"

namespace argus::rules {

// The rule metrics Prometheus exports, by group ("<file>;<name>" in the rule_group label).
// Registered once per registry; shared by every group.
struct RuleMetrics {
  explicit RuleMetrics(MetricsRegistry& registry);
  Summary& evaluation_duration;
  Summary& group_duration;
  CounterFamily& iterations_missed;
  CounterFamily& iterations;
  CounterFamily& evaluations;
  CounterFamily& failures;
  GaugeFamily& interval;
  GaugeFamily& last_evaluation;
  GaugeFamily& last_duration;
  GaugeFamily& rules;
  GaugeFamily& last_samples;
};

// What every group of a manager shares. Everything pointed to must outlive the groups.
struct GroupServices {
  TimerSource* timers = nullptr;
  storage::Appendable* appendable = nullptr;  // Where recorded series and ALERTS go.
  storage::Queryable* queryable = nullptr;    // Where ALERTS_FOR_STATE is read at a start.
  QueryFunc query;
  NotifyFunc notify;
  RuleMetrics* metrics = nullptr;
  AlertTiming timing;
};

// A rule group, as Prometheus' Group: evaluates its rules in order every interval, at slots
// spread over the interval by a hash of the group's name and file, each at the slot's time less
// the group's query_offset. A rule whose query fails records the error and the group goes on.
// What a rule yields is written through the appendable, one transaction per rule; a series a
// rule wrote at the last evaluation and not at this one gets a stale marker. Alerts due are
// handed to `notify` after their rule's evaluation.
//
// Start, Stop and TakeStateFrom are called from one thread (the manager's); evaluations run on
// the timer source's threads; Snapshot may be called from any thread.
class Group {
 public:
  Group(RuleGroupSpec spec, std::chrono::milliseconds default_interval,
        const AlertingRuleContext& context, const GroupServices& services);
  ~Group();  // Stop(false).
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  // "<file>;<name>": what identifies a group across reloads.
  const std::string& key() const { return key_; }
  const RuleGroupSpec& spec() const { return spec_; }
  std::chrono::milliseconds interval() const { return interval_; }

  // Takes the state of the group of the same key before a reload, which must be stopped: the
  // alerts of rules with the same name and labels, the series each wrote last (the series of rules
  // that are gone get stale markers at the first evaluation), the last evaluation's time.
  void TakeStateFrom(Group& previous) ABSL_LOCKS_EXCLUDED(eval_mu_, previous.eval_mu_);

  // Starts the schedule. With `restore_for_state` (the server's first load), the alerting rules'
  // `for` state is restored from storage after the first evaluation, and ALERTS are written from
  // then on; otherwise at once.
  void Start(bool restore_for_state);
  // Stops the schedule; once it returns no evaluation runs. With `mark_stale` (the group is gone)
  // every series it wrote last gets a stale marker now. Idempotent.
  void Stop(bool mark_stale) ABSL_LOCKS_EXCLUDED(eval_mu_);

  // Evaluates every rule once, as the schedule does at the slot `t_ms`.
  void Eval(int64_t t_ms) ABSL_LOCKS_EXCLUDED(eval_mu_);
  // Makes the alerting rules write ALERTS from the next evaluation on, without restoring their
  // `for` state: what Start(false) does, for a group evaluated without its schedule.
  void MarkRestored();

  GroupStatus Snapshot() const ABSL_LOCKS_EXCLUDED(status_mu_);

 private:
  // The schedule's callback: evaluates at the latest slot, then restores `for` state if due.
  void Run() ABSL_LOCKS_EXCLUDED(eval_mu_);
  // Writes the samples of rule `i` and stale markers for its series that are gone.
  void Write(size_t i, const promql::Vector& samples, int64_t t_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(eval_mu_);
  void WriteStale(const std::set<model::Labels>& series, int64_t t_ms);

  const RuleGroupSpec spec_;
  const std::string key_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds offset_;  // Of the slots within the interval.
  const GroupServices& services_;
  const std::vector<std::string> metric_labels_;  // {key_}
  std::vector<std::unique_ptr<Rule>> rules_;

  absl::Mutex eval_mu_;  // Held by an evaluation.
  std::vector<std::set<model::Labels>> written_ ABSL_GUARDED_BY(eval_mu_);  // Per rule.
  std::vector<std::set<model::Labels>> stale_ ABSL_GUARDED_BY(eval_mu_);    // Of rules gone.
  int64_t last_slot_ms_ ABSL_GUARDED_BY(eval_mu_) = 0;
  bool restore_pending_ ABSL_GUARDED_BY(eval_mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(eval_mu_) = false;

  mutable absl::Mutex status_mu_;
  int64_t last_evaluation_ms_ ABSL_GUARDED_BY(status_mu_) = 0;
  double evaluation_seconds_ ABSL_GUARDED_BY(status_mu_) = 0;

  std::unique_ptr<PeriodicTask> task_;  // Last: its runs use the members above.
};

}  // namespace argus::rules
