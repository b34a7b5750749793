#include "notify/dispatcher.h"

#include <algorithm>

#include "base/log.h"
#include "notify/render_data.h"

namespace argus::notify {
namespace {

Clock::time_point FromMillis(int64_t ms) {
  return Clock::time_point(std::chrono::milliseconds(ms));
}

absl::flat_hash_map<std::string, bool> SendResolvedByReceiver(
    const std::vector<config::Receiver>& receivers) {
  absl::flat_hash_map<std::string, bool> out;
  for (const config::Receiver& r : receivers) {
    out[r.name] = std::any_of(r.slack_configs.begin(), r.slack_configs.end(),
                              [](const auto& c) { return c.send_resolved; }) ||
                  std::any_of(r.webhook_configs.begin(), r.webhook_configs.end(),
                              [](const auto& c) { return c.send_resolved; });
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Dispatcher>> Dispatcher::Make(const config::NotifyConfig& config,
                                                     DispatcherDeps deps) {
  ARGUS_ASSIGN_OR_RETURN(TimeIntervals intervals, TimeIntervals::Make(config.time_intervals));
  std::unique_ptr<Dispatcher> d(new Dispatcher(config, std::move(deps), std::move(intervals)));
  {
    absl::MutexLock lock(&d->mu_);
    for (const StoredAlert& alert : d->deps_.alerts.List()) {
      d->inhibitor_.Observe(alert.alert);
      d->Route(alert);
    }
  }
  d->maintenance_ = std::make_unique<PeriodicTask>(
      d->deps_.timers, PeriodicSchedule{.interval = d->deps_.maintenance_interval},
      [dispatcher = d.get()] { dispatcher->Maintain(); });
  d->maintenance_->Start();
  return d;
}

Dispatcher::Dispatcher(const config::NotifyConfig& config, DispatcherDeps deps,
                       TimeIntervals intervals)
    : deps_(std::move(deps)),
      routes_(config.route),
      intervals_(std::move(intervals)),
      resolve_timeout_(config.global.resolve_timeout),
      send_resolved_(SendResolvedByReceiver(config.receivers)),
      inhibitor_(config.inhibit_rules) {}

Dispatcher::~Dispatcher() {
  if (maintenance_) maintenance_->Stop();
  decltype(groups_) groups;
  {
    absl::MutexLock lock(&mu_);
    groups.swap(groups_);
  }
  // Destroyed outside the lock: each waits for its flush, which may be running.
  groups.clear();
}

Status Dispatcher::PutAlerts(std::vector<model::Alert> alerts, size_t* invalid) {
  const int64_t now_ms = deps_.timers.clock().NowMillis();
  std::string errors;
  if (invalid != nullptr) *invalid = 0;
  absl::MutexLock lock(&mu_);
  for (model::Alert& a : alerts) {
    StoredAlert received = Receive(std::move(a), now_ms, resolve_timeout_);
    if (Status s = ValidateAlert(received.alert); !s.ok()) {
      if (invalid != nullptr) ++*invalid;
      if (!errors.empty()) errors += "; ";
      errors += fmt::format("{}: {}", received.alert.labels.ToString(), s.message());
      continue;
    }
    const StoredAlert stored = deps_.alerts.Put(std::move(received), now_ms);
    inhibitor_.Observe(stored.alert);
    Route(stored);
  }
  if (!errors.empty()) return Status::Error(std::move(errors), Status::Code::kInvalidInput);
  return Status::Ok();
}

void Dispatcher::Route(const StoredAlert& alert) {
  for (const RouteNode* node : routes_.Match(alert.alert.labels)) {
    model::Labels labels = GroupLabels(alert.alert.labels, *node);
    auto& route_groups = groups_[node];
    std::unique_ptr<AggregationGroup>& group = route_groups[labels.Hash()];
    if (!group) {
      group = std::make_unique<AggregationGroup>(
          *node, std::move(labels), deps_.timers,
          [this](const AggregationGroup& g, const std::vector<StoredAlert>& alerts,
                 int64_t now_ms) { return Flush(g, alerts, now_ms); });
    }
    group->Insert(alert);
  }
}

bool Dispatcher::Flush(const AggregationGroup& group, const std::vector<StoredAlert>& alerts,
                       int64_t now_ms) {
  const config::Route& route = group.route().options;
  GroupNotification n;
  n.receiver = route.receiver;
  n.group_key = group.key();
  n.group_labels = group.labels();
  n.now_ms = now_ms;
  for (const StoredAlert& a : alerts) {
    const uint64_t fp = a.alert.labels.Hash();
    std::optional<uint64_t> by = inhibitor_.InhibitedBy(a.alert.labels, now_ms);
    marker_.SetInhibited(fp, by ? std::vector{FormatFingerprint(*by)} : std::vector<std::string>{});
    if (!by) n.alerts.push_back(a.alert);
  }
  if (n.alerts.empty()) return true;

  Result<bool> active = RouteActive(route, now_ms);
  if (!active.ok()) {
    log::Error("Notify for alerts failed",
               {{"aggrGroup", n.group_key}, {"err", active.status().message()}});
    return false;
  }
  if (!*active) return true;

  std::erase_if(n.alerts, [&](const model::Alert& a) {
    SilenceMatch match = deps_.silences.Match(a.labels);
    const bool silenced = !match.active_ids.empty();
    marker_.SetSilenced(a.labels.Hash(), std::move(match.active_ids), std::move(match.pending_ids));
    return silenced;
  });
  if (n.alerts.empty()) return true;

  const GroupState state = StateOf(n);
  auto send_resolved = send_resolved_.find(n.receiver);
  const std::optional<GroupState> last = deps_.notification_log.Query(n.receiver, n.group_key);
  if (!NeedsUpdate(last, state, send_resolved != send_resolved_.end() && send_resolved->second,
                   route.repeat_interval)) {
    return true;
  }
  // Told before a restart that the log forgot: remembered again, not told twice.
  const bool told_before_restart =
      !last && deps_.already_accepted &&
      deps_.already_accepted(n.receiver, n.group_key, GroupStateHash(n));
  if (!told_before_restart) {
    if (Status s = deps_.notify(n); !s.ok()) {
      log::Error("Notify for alerts failed",
                 {{"aggrGroup", n.group_key}, {"receiver", n.receiver}, {"err", s.message()}});
      return false;
    }
  }
  // Kept for twice the repeat interval, as Alertmanager's notification log.
  const int64_t expires_at_ms =
      now_ms +
      2 * std::chrono::duration_cast<std::chrono::milliseconds>(route.repeat_interval).count();
  deps_.notification_log.Log(n.receiver, n.group_key, state, expires_at_ms);
  return true;
}

Result<bool> Dispatcher::RouteActive(const config::Route& route, int64_t now_ms) const {
  if (!route.active_time_intervals.empty()) {
    ARGUS_ASSIGN_OR_RETURN(bool in_active,
                           intervals_.ContainsAny(route.active_time_intervals, FromMillis(now_ms)));
    if (!in_active) return false;
  }
  ARGUS_ASSIGN_OR_RETURN(bool muted,
                         intervals_.ContainsAny(route.mute_time_intervals, FromMillis(now_ms)));
  return !muted;
}

AlertMuteStatus Dispatcher::StatusOf(const model::Labels& labels) {
  const uint64_t fp = labels.Hash();
  const int64_t now_ms = deps_.timers.clock().NowMillis();
  std::optional<uint64_t> by = inhibitor_.InhibitedBy(labels, now_ms);
  marker_.SetInhibited(fp, by ? std::vector{FormatFingerprint(*by)} : std::vector<std::string>{});
  SilenceMatch match = deps_.silences.Match(labels);
  marker_.SetSilenced(fp, std::move(match.active_ids), std::move(match.pending_ids));
  return marker_.Status(fp);
}

std::vector<std::string> Dispatcher::ReceiversOf(const model::Labels& labels) const {
  std::vector<std::string> out;
  for (const RouteNode* node : routes_.Match(labels)) out.push_back(node->options.receiver);
  return out;
}

size_t Dispatcher::GroupCount() const {
  absl::MutexLock lock(&mu_);
  size_t count = 0;
  for (const auto& [node, route_groups] : groups_) count += route_groups.size();
  return count;
}

Dispatcher::StateCounts Dispatcher::CountByState() const {
  const int64_t now_ms = deps_.timers.clock().NowMillis();
  StateCounts counts;
  for (const StoredAlert& a : deps_.alerts.List()) {
    if (ResolvedAt(a.alert, now_ms)) continue;
    const std::string_view state = marker_.Status(a.alert.labels.Hash()).State();
    if (state == "active") {
      ++counts.active;
    } else if (state == "suppressed") {
      ++counts.suppressed;
    }
  }
  return counts;
}

std::vector<AlertGroupView> Dispatcher::Groups() const {
  std::vector<AlertGroupView> out;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [node, route_groups] : groups_) {
      for (const auto& [hash, group] : route_groups) {
        std::vector<StoredAlert> alerts = group->Alerts();
        if (alerts.empty()) continue;
        out.push_back(AlertGroupView{group->labels(), node->options.receiver, group->key(),
                                     std::move(alerts)});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const AlertGroupView& a, const AlertGroupView& b) {
    if (a.labels != b.labels) return LabelSetBefore(a.labels, b.labels);
    return a.receiver < b.receiver;
  });
  return out;
}

void Dispatcher::Maintain() {
  const int64_t now_ms = deps_.timers.clock().NowMillis();
  std::vector<std::unique_ptr<AggregationGroup>> empty_groups;
  {
    absl::MutexLock lock(&mu_);
    for (auto& [node, route_groups] : groups_) {
      for (auto it = route_groups.begin(); it != route_groups.end();) {
        if (it->second->empty()) {
          empty_groups.push_back(std::move(it->second));
          route_groups.erase(it++);
        } else {
          ++it;
        }
      }
    }
  }
  // Destroyed outside the lock: each waits for its flush, which may be running.
  empty_groups.clear();
  for (const StoredAlert& gone : deps_.alerts.CollectGarbage(now_ms)) {
    marker_.Delete(gone.alert.labels.Hash());
  }
  inhibitor_.CollectGarbage(now_ms);
  if (auto dropped = deps_.silences.CollectGarbage(); !dropped.ok()) {
    log::Error("Silence garbage collection failed", {{"err", dropped.status().message()}});
  }
  deps_.notification_log.CollectGarbage(now_ms);
}

}  // namespace argus::notify
