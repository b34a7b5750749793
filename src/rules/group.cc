#include "rules/group.h"

#include <deque>
#include <map>

#include "base/log.h"
#include "rules/recording_rule.h"

namespace argus::rules {
namespace {

template <typename Duration>
double Seconds(Duration d) {
  return std::chrono::duration<double>(d).count();
}

// Where in its interval a group evaluates: spread by a hash of its name and file, so that groups
// of one interval do not all run at once, and the same on every start.
std::chrono::milliseconds Offset(const RuleGroupSpec& spec, std::chrono::milliseconds interval) {
  uint64_t hash = model::Labels{{"name", spec.name}, {"file", spec.file}}.Hash();
  return std::chrono::milliseconds(hash % static_cast<uint64_t>(interval.count()));
}

}  // namespace

RuleMetrics::RuleMetrics(MetricsRegistry& registry)
    : evaluation_duration(registry.AddSummary("prometheus_rule_evaluation_duration_seconds",
                                              "The duration for a rule to execute.")),
      group_duration(registry.AddSummary("prometheus_rule_group_duration_seconds",
                                         "The duration of rule group evaluations.")),
      iterations_missed(registry.AddCounterFamily(
          "prometheus_rule_group_iterations_missed_total",
          "The total number of rule group evaluations missed due to slow rule group evaluation.",
          {"rule_group"})),
      iterations(registry.AddCounterFamily(
          "prometheus_rule_group_iterations_total",
          "The total number of scheduled rule group evaluations, whether executed or missed.",
          {"rule_group"})),
      evaluations(registry.AddCounterFamily("prometheus_rule_evaluations_total",
                                            "The total number of rule evaluations.",
                                            {"rule_group"})),
      failures(registry.AddCounterFamily("prometheus_rule_evaluation_failures_total",
                                         "The total number of rule evaluation failures.",
                                         {"rule_group"})),
      interval(registry.AddGaugeFamily("prometheus_rule_group_interval_seconds",
                                       "The interval of a rule group.", {"rule_group"})),
      last_evaluation(registry.AddGaugeFamily(
          "prometheus_rule_group_last_evaluation_timestamp_seconds",
          "The timestamp of the last rule group evaluation in seconds.", {"rule_group"})),
      last_duration(registry.AddGaugeFamily("prometheus_rule_group_last_duration_seconds",
                                            "The duration of the last rule group evaluation.",
                                            {"rule_group"})),
      rules(registry.AddGaugeFamily("prometheus_rule_group_rules", "The number of rules.",
                                    {"rule_group"})),
      last_samples(registry.AddGaugeFamily(
          "prometheus_rule_group_last_evaluation_samples",
          "The number of samples returned during the last rule group evaluation.",
          {"rule_group"})) {}

Group::Group(RuleGroupSpec spec, std::chrono::milliseconds default_interval,
             const AlertingRuleContext& context, const GroupServices& services)
    : spec_(std::move(spec)),
      key_(spec_.file + ";" + spec_.name),
      interval_(spec_.interval.value_or(default_interval)),
      offset_(Offset(spec_, interval_)),
      services_(services),
      metric_labels_({key_}) {
  for (const RuleSpec& rule : spec_.rules) {
    if (rule.alert.empty()) {
      rules_.push_back(std::make_unique<RecordingRule>(rule));
    } else {
      rules_.push_back(std::make_unique<AlertingRule>(rule, context));
    }
  }
  absl::MutexLock lock(&eval_mu_);
  written_.resize(rules_.size());
  RuleMetrics& m = *services_.metrics;
  m.interval.WithLabels(metric_labels_).Set(Seconds(interval_));
  m.rules.WithLabels(metric_labels_).Set(static_cast<double>(rules_.size()));
}

Group::~Group() { Stop(false); }

void Group::TakeStateFrom(Group& previous) {
  {
    absl::MutexLock lock(&previous.status_mu_);
    absl::MutexLock own(&status_mu_);
    last_evaluation_ms_ = previous.last_evaluation_ms_;
    evaluation_seconds_ = previous.evaluation_seconds_;
  }
  absl::MutexLock lock(&previous.eval_mu_);
  absl::MutexLock own(&eval_mu_);
  // Rules are the same rule when their names and labels are: Prometheus' match.
  std::map<std::pair<std::string, model::Labels>, std::deque<size_t>> previous_rules;
  for (size_t i = 0; i < previous.rules_.size(); ++i) {
    const Rule& rule = *previous.rules_[i];
    previous_rules[{rule.name(), rule.spec().labels}].push_back(i);
  }
  std::vector<bool> taken(previous.rules_.size());
  for (size_t i = 0; i < rules_.size(); ++i) {
    auto match = previous_rules.find({rules_[i]->name(), rules_[i]->spec().labels});
    if (match == previous_rules.end() || match->second.empty()) continue;
    size_t from = match->second.front();
    match->second.pop_front();
    taken[from] = true;
    written_[i] = previous.written_[from];
    auto* alerting = dynamic_cast<AlertingRule*>(rules_[i].get());
    auto* previous_alerting = dynamic_cast<AlertingRule*>(previous.rules_[from].get());
    if (alerting && previous_alerting) alerting->TakeStateFrom(*previous_alerting);
  }
  stale_ = previous.stale_;
  for (size_t i = 0; i < previous.rules_.size(); ++i) {
    if (!taken[i]) stale_.push_back(previous.written_[i]);
  }
}

void Group::Start(bool restore_for_state) {
  {
    absl::MutexLock lock(&eval_mu_);
    restore_pending_ = restore_for_state;
  }
  if (!restore_for_state) MarkRestored();
  PeriodicSchedule schedule{.interval = interval_, .offset = offset_};
  task_ = std::make_unique<PeriodicTask>(*services_.timers, schedule, [this] { Run(); });
  task_->Start();
}

void Group::MarkRestored() {
  for (auto& rule : rules_) {
    if (auto* alerting = dynamic_cast<AlertingRule*>(rule.get())) alerting->MarkRestored();
  }
}

void Group::Stop(bool mark_stale) {
  if (task_) task_->Stop();
  absl::MutexLock lock(&eval_mu_);
  if (stopped_) return;
  stopped_ = true;
  if (!mark_stale) return;
  int64_t now = services_.timers->clock().NowMillis();
  for (const auto& series : written_) WriteStale(series, now);
  for (const auto& series : stale_) WriteStale(series, now);
  RuleMetrics& m = *services_.metrics;
  for (auto* family : {&m.iterations_missed, &m.iterations, &m.evaluations, &m.failures}) {
    family->Remove(metric_labels_);
  }
  for (auto* family :
       {&m.interval, &m.last_evaluation, &m.last_duration, &m.rules, &m.last_samples}) {
    family->Remove(metric_labels_);
  }
}

void Group::Run() {
  const int64_t now = services_.timers->clock().NowMillis();
  const int64_t interval = interval_.count();
  const int64_t offset = offset_.count();
  const int64_t slot = now - (((now - offset) % interval) + interval) % interval;
  bool restore;
  {
    absl::MutexLock lock(&eval_mu_);
    if (last_slot_ms_ != 0) {
      int64_t missed = (slot - last_slot_ms_) / interval - 1;
      if (missed > 0) {
        services_.metrics->iterations_missed.WithLabels(metric_labels_).Inc(missed);
        services_.metrics->iterations.WithLabels(metric_labels_).Inc(missed);
      }
    }
    last_slot_ms_ = slot;
    restore = restore_pending_;
    restore_pending_ = false;
  }
  Eval(slot);
  if (!restore) return;
  for (auto& rule : rules_) {
    auto* alerting = dynamic_cast<AlertingRule*>(rule.get());
    if (!alerting) continue;
    if (services_.queryable == nullptr) {
      alerting->MarkRestored();
      continue;
    }
    Status restored = alerting->RestoreForState(
        *services_.queryable, services_.timers->clock().NowMillis(), services_.timing);
    if (!restored.ok()) {
      log::Error("Failed to restore 'for' state of an alert",
                 {{"group", spec_.name}, {"alert", rule->name()}, {"err", restored.message()}});
    }
  }
}

void Group::Eval(int64_t t_ms) {
  absl::MutexLock lock(&eval_mu_);
  const Clock& clock = services_.timers->clock();
  RuleMetrics& m = *services_.metrics;
  const Clock::time_point start = clock.Now();
  const int64_t query_t_ms =
      t_ms - spec_.query_offset.value_or(std::chrono::milliseconds(0)).count();
  size_t samples = 0;
  for (size_t i = 0; i < rules_.size(); ++i) {
    Rule& rule = *rules_[i];
    const Clock::time_point rule_start = clock.Now();
    m.evaluations.WithLabels(metric_labels_).Inc();
    auto vector = rule.Eval(services_.query, t_ms, query_t_ms, spec_.limit);
    if (!vector.ok()) {
      rule.RecordFailure(vector.status());
      m.failures.WithLabels(metric_labels_).Inc();
      log::Warn("Evaluating rule failed", {{"group", spec_.name},
                                           {"rule", rule.name()},
                                           {"index", std::to_string(i)},
                                           {"err", vector.status().message()}});
    } else {
      samples += vector->size();
      if (auto* alerting = dynamic_cast<AlertingRule*>(&rule)) {
        std::vector<model::Alert> due =
            alerting->TakeAlertsToSend(t_ms, interval_, services_.timing);
        if (!due.empty() && services_.notify) services_.notify(std::move(due));
      }
      Write(i, *vector, query_t_ms);
    }
    double seconds = Seconds(clock.Now() - rule_start);
    m.evaluation_duration.Observe(seconds);
    rule.RecordEvaluation(
        std::chrono::duration_cast<std::chrono::milliseconds>(rule_start.time_since_epoch())
            .count(),
        seconds);
  }
  for (const auto& series : stale_) WriteStale(series, query_t_ms);
  stale_.clear();
  double seconds = Seconds(clock.Now() - start);
  m.last_samples.WithLabels(metric_labels_).Set(static_cast<double>(samples));
  m.group_duration.Observe(seconds);
  m.last_duration.WithLabels(metric_labels_).Set(seconds);
  m.last_evaluation.WithLabels(metric_labels_).Set(static_cast<double>(t_ms) / 1000);
  m.iterations.WithLabels(metric_labels_).Inc();
  absl::MutexLock status(&status_mu_);
  last_evaluation_ms_ =
      std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
  evaluation_seconds_ = seconds;
}

void Group::Write(size_t i, const promql::Vector& samples, int64_t t_ms) {
  Rule& rule = *rules_[i];
  std::unique_ptr<storage::Appender> appender = services_.appendable->NewAppender();
  std::set<model::Labels> written;
  for (const promql::Sample& sample : samples) {
    auto appended = appender->Append(0, sample.metric, sample.t, sample.v);
    if (appended.ok()) {
      written.insert(sample.metric);
      continue;
    }
    rule.RecordFailure(appended.status());
    Status::Code code = appended.status().code();
    if (code != Status::Code::kOutOfOrder && code != Status::Code::kDuplicate) {
      log::Warn("Rule evaluation result discarded", {{"rule", rule.name()},
                                                     {"err", appended.status().message()},
                                                     {"sample", sample.metric.ToString()}});
    }
  }
  for (const model::Labels& series : written_[i]) {
    // Errors are expected here: another rule may write the same series.
    if (!written.contains(series)) (void)appender->Append(0, series, t_ms, storage::StaleNaN());
  }
  if (Status committed = appender->Commit(); !committed.ok()) {
    rule.RecordFailure(committed);
    services_.metrics->failures.WithLabels(metric_labels_).Inc();
    log::Warn("Rule sample appending failed",
              {{"rule", rule.name()}, {"err", committed.message()}});
    return;
  }
  written_[i] = std::move(written);
}

void Group::WriteStale(const std::set<model::Labels>& series, int64_t t_ms) {
  if (series.empty()) return;
  std::unique_ptr<storage::Appender> appender = services_.appendable->NewAppender();
  for (const model::Labels& labels : series) {
    (void)appender->Append(0, labels, t_ms, storage::StaleNaN());
  }
  if (Status committed = appender->Commit(); !committed.ok()) {
    log::Warn("Writing stale markers failed",
              {{"group", spec_.name}, {"err", committed.message()}});
  }
}

GroupStatus Group::Snapshot() const {
  GroupStatus status{.name = spec_.name,
                     .file = spec_.file,
                     .interval_ms = interval_.count(),
                     .limit = spec_.limit};
  for (const auto& rule : rules_) status.rules.push_back(rule->Snapshot());
  absl::MutexLock lock(&status_mu_);
  status.evaluation_seconds = evaluation_seconds_;
  status.last_evaluation_ms = last_evaluation_ms_;
  return status;
}

}  // namespace argus::rules
