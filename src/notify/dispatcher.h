#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/periodic_task.h"
#include "base/status.h"
#include "base/timer.h"
#include "config/notify_config.h"
#include "notify/alert_store.h"
#include "notify/dispatch_dedup.h"
#include "notify/dispatch_group.h"
#include "notify/dispatch_marker.h"
#include "notify/inhibit_rules.h"
#include "notify/notification.h"
#include "notify/route_tree.h"
#include "notify/silence_store.h"
#include "notify/time_intervals.h"

namespace argus::notify {

// Takes a notification that the dispatcher decided to make, to render and queue it. OK means
// it was accepted (queued durably) and counts as told; an error means it was not, and the
// group tries again at its next flush (group_interval later), its resolved alerts kept.
// Called on the TimerSource's threads, at most one call per group at a time; must not call
// back into the dispatcher.
using GroupNotifyFunc = std::function<Status(const GroupNotification& notification)>;

// A group as the API shows it (/api/v2/alerts/groups).
struct AlertGroupView {
  model::Labels labels;
  std::string receiver;
  std::string group_key;
  std::vector<StoredAlert> alerts;  // In Alertmanager's order (AlertBefore).
};

// What the dispatcher uses and does not own. Everything must outlive the dispatcher; the
// stores and the log outlive a reload, which makes a new dispatcher over the same ones.
struct DispatcherDeps {
  TimerSource& timers;
  AlertStore& alerts;
  SilenceStore& silences;
  NotificationLog& notification_log;
  GroupNotifyFunc notify;
  // The hook that carries deduplication across a restart of the server when the log forgets
  // (MemoryNotificationLog): whether the group in exactly the state with this hash (the
  // renderer's GroupStateHash, which its messages carry as Message::group_state_hash) was
  // already delivered to the receiver, as the delivery queue's LastDelivery can tell. Asked
  // only when the log has no entry for the group; a yes is logged as told, without calling
  // `notify`. AlreadyDelivered (dispatch_restart.h) makes it from the queue. May be empty.
  std::function<bool(std::string_view receiver, std::string_view group_key,
                     uint64_t group_state_hash)>
      already_accepted;
  // How often empty groups are removed and resolved alerts, expired silences and expired log
  // entries are collected (Alertmanager's dispatcher cleans up every 30 s).
  std::chrono::milliseconds maintenance_interval = std::chrono::seconds(30);
};

// Alertmanager's dispatcher and notification pipeline for one notify configuration: alerts are
// stored (merged, AlertStore), routed (RouteTree) into aggregation groups, and each group's
// flush passes the pipeline in Alertmanager's order: inhibition, active_time_intervals,
// mute_time_intervals, silences, deduplication against the NotificationLog, then `notify`. The
// verdicts of inhibition and silences are marked for the API (StatusOf). A muted group counts as
// told: its resolved alerts leave it.
//
// send_resolved is per receiver here: a receiver is told of newly resolved alerts when any of
// its integrations sends resolved notifications; the renderer leaves resolved alerts out of the
// messages of those that do not.
//
// Thread-safe: PutAlerts, Groups, StatusOf and Maintain may be called from any thread.
class Dispatcher {
 public:
  // Builds the routes, inhibit rules and time intervals of `config`, and takes in the alerts
  // already stored (so that a reload regroups them; deduplication keeps them from being told
  // twice). Starts the maintenance task. kInvalidInput for a time zone that does not exist.
  static Result<std::unique_ptr<Dispatcher>> Make(const config::NotifyConfig& config,
                                                  DispatcherDeps deps);
  ~Dispatcher();  // Stops the groups' timers and the maintenance task.
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Receives alerts from a sender (a rule, a client of /api/v2/alerts) at the clock's now, as
  // Alertmanager's API does (Receive, ValidateAlert), stores and routes the valid ones. An
  // invalid alert is skipped; the result is then kInvalidInput naming each one and why, and
  // the others are taken all the same. `*invalid`, when given, is set to how many were skipped.
  Status PutAlerts(std::vector<model::Alert> alerts, size_t* invalid = nullptr);

  // Every group with alerts, ordered by labels (LabelSetBefore), then receiver.
  std::vector<AlertGroupView> Groups() const;
  // How many aggregation groups there are (alertmanager_dispatcher_aggregation_groups).
  size_t GroupCount() const;

  // The alerts that have not resolved by state, as last judged (alertmanager_alerts{state}):
  // alerts not judged yet (before their group's first flush) count in neither, as in
  // Alertmanager.
  struct StateCounts {
    size_t active = 0;
    size_t suppressed = 0;
  };
  StateCounts CountByState() const;

  // Judges an alert now (inhibition and silences), marks it, and returns its status.
  AlertMuteStatus StatusOf(const model::Labels& labels);
  // The latest marked status of the alert whose labels hash (model::Labels::Hash) to
  // `labels_hash`, without judging again.
  AlertMuteStatus MarkedStatus(uint64_t labels_hash) const { return marker_.Status(labels_hash); }

  // The names of the receivers that the alert's routes name, in the routes' order (the API's
  // `receivers` of /api/v2/alerts).
  std::vector<std::string> ReceiversOf(const model::Labels& labels) const;

  const RouteTree& routes() const { return routes_; }

  // One maintenance round: what the maintenance task runs; for tests and shutdown.
  void Maintain();

 private:
  Dispatcher(const config::NotifyConfig& config, DispatcherDeps deps, TimeIntervals intervals);
  void Route(const StoredAlert& alert) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The notification pipeline of one flush; see the class comment.
  bool Flush(const AggregationGroup& group, const std::vector<StoredAlert>& alerts, int64_t now_ms);
  // Whether the route's time intervals let it notify at `now_ms`; an error for an interval
  // that does not exist.
  Result<bool> RouteActive(const config::Route& route, int64_t now_ms) const;
  // Inhibition and silences; marks the alert. Whether it is muted.
  bool Mute(const model::Labels& labels, int64_t now_ms);

  DispatcherDeps deps_;
  const RouteTree routes_;
  const TimeIntervals intervals_;
  const std::chrono::milliseconds resolve_timeout_;
  const absl::flat_hash_map<std::string, bool> send_resolved_;  // By receiver.
  Inhibitor inhibitor_;
  AlertMarker marker_;

  mutable absl::Mutex mu_;
  // The groups of each route, by the hash of their labels.
  absl::flat_hash_map<const RouteNode*,
                      absl::flat_hash_map<uint64_t, std::unique_ptr<AggregationGroup>>>
      groups_ ABSL_GUARDED_BY(mu_);
  // Last but one: it runs Maintain, which uses everything above.
  std::unique_ptr<PeriodicTask> maintenance_;
};

}  // namespace argus::notify
