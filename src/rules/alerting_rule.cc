#include "rules/alerting_rule.h"

#include <absl/strings/str_replace.h>

#include <algorithm>

#include "http/url.h"
#include "model/matcher.h"
#include "rules/template.h"
#include "storage/querier.h"

namespace argus::rules {
namespace {

// How long a resolved alert is kept, and sent again, so that the notifier hears of it.
constexpr int64_t kResolvedRetentionMs = 15 * 60 * 1000;

constexpr std::string_view kAlertsMetric = "ALERTS";
constexpr std::string_view kForStateMetric = "ALERTS_FOR_STATE";

promql::Sample Sample(const model::Labels& alert, std::string_view metric, std::string_view state,
                      int64_t t_ms, double v) {
  model::LabelsBuilder builder(alert);
  builder.Set(model::kMetricName, metric);
  if (!state.empty()) builder.Set("alertstate", state);
  return {builder.Build(), t_ms, v};
}

// Go's time.Unix(ms/1000, 0): whole seconds, rounded down.
int64_t FloorSecondsMs(int64_t t_ms) { return (t_ms >= 0 ? t_ms : t_ms - 999) / 1000 * 1000; }

// Prometheus' link to the rule's expression in its graph page; the query is escaped as Go's
// url.QueryEscape does, spaces as '+'.
std::string GeneratorUrl(const std::string& external_url, const std::string& query) {
  // A '%' is escaped too, so every "%20" stands for a space.
  std::string escaped = absl::StrReplaceAll(http::QueryEscape(query), {{"%20", "+"}});
  return external_url + "/graph?g0.expr=" + escaped + "&g0.tab=1";
}

}  // namespace

AlertingRule::AlertingRule(RuleSpec spec, AlertingRuleContext context)
    : Rule(std::move(spec)),
      context_(std::move(context)),
      generator_url_(GeneratorUrl(context_.external_url, query())) {}

Result<std::map<model::Labels, AlertingRule::Alert>> AlertingRule::AlertsOf(
    const promql::Vector& result, int64_t eval_t_ms, const QueryFunc& query) const {
  std::map<model::Labels, Alert> alerts;
  model::LabelsBuilder builder;
  for (const promql::Sample& sample : result) {
    AlertTemplateData data{sample.metric, context_.external_labels, context_.external_url,
                           sample.v};
    auto expand = [&](const std::string& text) {
      return ExpandAlertTemplate(name(), text, data, eval_t_ms, query);
    };
    builder.Reset(sample.metric);
    builder.Del(model::kMetricName);
    for (const model::Label& label : spec().labels) builder.Set(label.name, expand(label.value));
    builder.Set("alertname", name());
    std::vector<model::Label> annotations;
    for (const model::Label& annotation : spec().annotations) {
      annotations.push_back({annotation.name, expand(annotation.value)});
    }
    Alert alert{.labels = builder.Build(),
                .annotations = model::Labels::FromUnsorted(std::move(annotations)),
                .value = sample.v,
                .active_at_ms = eval_t_ms};
    model::Labels key = alert.labels;
    if (!alerts.emplace(std::move(key), std::move(alert)).second) {
      return Status::Error(
          "vector contains metrics with the same labelset after applying alert labels");
    }
  }
  return alerts;
}

Result<promql::Vector> AlertingRule::Eval(const QueryFunc& run_query, int64_t eval_t_ms,
                                          int64_t query_t_ms, int64_t limit) {
  ARGUS_ASSIGN_OR_RETURN(promql::Vector result, run_query(query(), query_t_ms));
  ARGUS_ASSIGN_OR_RETURN(auto alerts, AlertsOf(result, eval_t_ms, run_query));
  const int64_t hold_ms = spec().for_duration.count();
  const int64_t keep_firing_for_ms = spec().keep_firing_for.count();
  promql::Vector vector;
  int64_t active = 0;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [labels, alert] : alerts) {
      auto it = active_.find(labels);
      if (it != active_.end() && it->second.state != AlertState::kInactive) {
        it->second.value = alert.value;
        it->second.annotations = alert.annotations;
        continue;
      }
      active_[labels] = alert;
    }
    for (auto it = active_.begin(); it != active_.end();) {
      Alert& a = it->second;
      if (!alerts.contains(it->first)) {
        bool keep_firing = false;
        if (a.state == AlertState::kFiring && keep_firing_for_ms > 0) {
          if (a.keep_firing_since_ms == 0) a.keep_firing_since_ms = eval_t_ms;
          keep_firing = eval_t_ms - a.keep_firing_since_ms < keep_firing_for_ms;
        }
        if (a.state == AlertState::kPending ||
            (a.resolved_at_ms != 0 && eval_t_ms - a.resolved_at_ms > kResolvedRetentionMs)) {
          it = active_.erase(it);
          continue;
        }
        if (a.state != AlertState::kInactive && !keep_firing) {
          a.state = AlertState::kInactive;
          a.resolved_at_ms = eval_t_ms;
        }
        if (!keep_firing) {
          ++it;
          continue;
        }
      } else {
        a.keep_firing_since_ms = 0;
      }
      ++active;
      if (a.state == AlertState::kPending && eval_t_ms - a.active_at_ms >= hold_ms) {
        a.state = AlertState::kFiring;
        a.fired_at_ms = eval_t_ms;
      }
      if (restored_) {
        vector.push_back(Sample(a.labels, kAlertsMetric, AlertStateName(a.state), query_t_ms, 1));
        vector.push_back(Sample(a.labels, kForStateMetric, "", query_t_ms,
                                static_cast<double>(FloorSecondsMs(a.active_at_ms) / 1000)));
      }
      ++it;
    }
    if (limit > 0 && active > limit) {
      active_.clear();
      return Status::Errorf("exceeded limit of {} with {} alerts", limit, active);
    }
  }
  RecordSuccess();
  return vector;
}

RuleStatus AlertingRule::Snapshot() const {
  RuleStatus status = Rule::Snapshot();
  status.annotations = spec().annotations;
  status.for_ms = spec().for_duration.count();
  status.keep_firing_for_ms = spec().keep_firing_for.count();
  absl::MutexLock lock(&mu_);
  for (const auto& [labels, alert] : active_) {
    if (alert.state == AlertState::kInactive) continue;
    status.state = std::max(status.state, alert.state);
    status.alerts.push_back({alert.labels, alert.annotations, alert.state, alert.active_at_ms,
                             alert.keep_firing_since_ms, alert.value});
  }
  return status;
}

model::Alert AlertingRule::ToNotification(const Alert& alert) const {
  return {.labels = alert.labels,
          .annotations = alert.annotations,
          .starts_at_ms = alert.fired_at_ms,
          .ends_at_ms = alert.resolved_at_ms != 0 ? alert.resolved_at_ms : alert.valid_until_ms,
          .generator_url = generator_url_};
}

std::vector<model::Alert> AlertingRule::TakeAlertsToSend(int64_t t_ms,
                                                         std::chrono::milliseconds interval,
                                                         const AlertTiming& timing) {
  const int64_t resend_ms = timing.resend_delay.count();
  const int64_t valid_for_ms = 4 * std::max(resend_ms, static_cast<int64_t>(interval.count()));
  std::vector<model::Alert> due;
  absl::MutexLock lock(&mu_);
  for (auto& [labels, alert] : active_) {
    if (alert.state == AlertState::kPending) continue;
    bool resolved_since_sent = alert.resolved_at_ms > alert.last_sent_at_ms;
    if (!resolved_since_sent && alert.last_sent_at_ms + resend_ms >= t_ms) continue;
    alert.last_sent_at_ms = t_ms;
    alert.valid_until_ms = t_ms + valid_for_ms;
    due.push_back(ToNotification(alert));
  }
  return due;
}

Status AlertingRule::RestoreForState(storage::Queryable& storage, int64_t t_ms,
                                     const AlertTiming& timing) {
  absl::MutexLock lock(&mu_);
  restored_ = true;
  const int64_t hold_ms = spec().for_duration.count();
  const int64_t grace_ms = timing.for_grace_period.count();
  if (hold_ms < grace_ms) return Status::Ok();
  const int64_t mint = t_ms - timing.outage_tolerance.count();
  std::unique_ptr<storage::Querier> querier = storage.NewQuerier(mint, t_ms);
  for (auto& [labels, alert] : active_) {
    std::vector<model::Matcher> matchers;
    auto match = [&matchers](std::string name, std::string value) -> Status {
      ARGUS_ASSIGN_OR_RETURN(
          model::Matcher matcher,
          model::Matcher::Make(model::Matcher::Type::kEqual, std::move(name), std::move(value)));
      matchers.push_back(std::move(matcher));
      return Status::Ok();
    };
    ARGUS_RETURN_IF_ERROR(match(std::string(model::kMetricName), std::string(kForStateMetric)));
    for (const model::Label& label : labels) ARGUS_RETURN_IF_ERROR(match(label.name, label.value));
    std::unique_ptr<storage::SeriesSet> set = querier->Select(matchers);
    std::vector<storage::SamplePoint> samples;
    while (set->Next()) {
      // The matchers hold every label of the alert, so the one series with no other label is it.
      if (set->At().labels().size() != labels.size() + 1) continue;
      ARGUS_RETURN_IF_ERROR(set->At().Iterator()->AppendRange(mint, t_ms, &samples));
      break;
    }
    ARGUS_RETURN_IF_ERROR(set->Err());
    if (samples.empty() || storage::IsStaleNaN(samples.back().v)) continue;
    const int64_t down_at_ms = FloorSecondsMs(samples.back().t);
    int64_t restored_active_at_ms = static_cast<int64_t>(samples.back().v) * 1000;
    const int64_t remaining_ms = hold_ms - (down_at_ms - restored_active_at_ms);
    if (remaining_ms <= 0) {
      // It was firing when the server went down; the next evaluation decides whether it still is.
    } else if (remaining_ms < grace_ms) {
      restored_active_at_ms = t_ms + grace_ms - hold_ms;
    } else {
      restored_active_at_ms += t_ms - down_at_ms;
    }
    alert.active_at_ms = restored_active_at_ms;
  }
  return Status::Ok();
}

void AlertingRule::MarkRestored() {
  absl::MutexLock lock(&mu_);
  restored_ = true;
}

void AlertingRule::TakeStateFrom(AlertingRule& previous) {
  std::map<model::Labels, Alert> alerts;
  bool restored;
  {
    absl::MutexLock lock(&previous.mu_);
    alerts = previous.active_;
    restored = previous.restored_;
  }
  absl::MutexLock lock(&mu_);
  active_ = std::move(alerts);
  restored_ = restored;
}

}  // namespace argus::rules
