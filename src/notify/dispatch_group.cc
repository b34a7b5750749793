#include "notify/dispatch_group.h"

#include <algorithm>

namespace argus::notify {
namespace {

std::vector<StoredAlert> InAlertmanagersOrder(
    const absl::flat_hash_map<uint64_t, StoredAlert>& alerts) {
  std::vector<StoredAlert> out;
  out.reserve(alerts.size());
  for (const auto& [fp, alert] : alerts) out.push_back(alert);
  std::sort(out.begin(), out.end(), [](const StoredAlert& a, const StoredAlert& b) {
    return AlertBefore(a.alert, b.alert);
  });
  return out;
}

}  // namespace

AggregationGroup::AggregationGroup(const RouteNode& route, model::Labels labels,
                                   TimerSource& timers, FlushFunc flush)
    : route_(route),
      labels_(std::move(labels)),
      key_(GroupKey(route, labels_)),
      clock_(timers.clock()),
      flush_(std::move(flush)),
      timer_(timers.NewTimer()) {
  timer_->Schedule(clock_.Now() + route_.options.group_wait, [this] { OnTimer(); });
}

void AggregationGroup::Insert(const StoredAlert& alert) {
  const Clock::time_point now = clock_.Now();
  absl::MutexLock lock(&mu_);
  alerts_.insert_or_assign(alert.alert.labels.Hash(), alert);
  // An alert that has waited long enough already is not held back by the first group_wait.
  // In milliseconds: a start far in the past does not fit the clock's nanoseconds.
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const int64_t group_wait_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(route_.options.group_wait).count();
  if (!has_flushed_ && alert.alert.starts_at_ms + group_wait_ms < now_ms) {
    timer_->Schedule(now, [this] { OnTimer(); });
  }
}

bool AggregationGroup::empty() const {
  absl::MutexLock lock(&mu_);
  return alerts_.empty();
}

std::vector<StoredAlert> AggregationGroup::Alerts() const {
  absl::MutexLock lock(&mu_);
  return InAlertmanagersOrder(alerts_);
}

void AggregationGroup::OnTimer() {
  const Clock::time_point now = clock_.Now();
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::vector<StoredAlert> alerts;
  {
    absl::MutexLock lock(&mu_);
    timer_->Schedule(now + route_.options.group_interval, [this] { OnTimer(); });
    has_flushed_ = true;
    if (alerts_.empty()) return;
    alerts = InAlertmanagersOrder(alerts_);
  }
  if (!flush_(*this, alerts, now_ms)) return;
  absl::MutexLock lock(&mu_);
  for (const StoredAlert& sent : alerts) {
    if (!ResolvedAt(sent.alert, now_ms)) continue;
    auto it = alerts_.find(sent.alert.labels.Hash());
    if (it != alerts_.end() && it->second.updated_at_ms == sent.updated_at_ms) alerts_.erase(it);
  }
}

}  // namespace argus::notify
