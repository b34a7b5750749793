#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/timer.h"
#include "notify/alert_store.h"
#include "notify/route_tree.h"

namespace argus::notify {

// Alertmanager's aggregation group: the alerts of one route that share the values of the
// route's group_by labels, flushed together on the route's timers. The first flush comes
// group_wait after the group was made (at once when an alert that started more than group_wait
// ago arrives before it), the next ones every group_interval after the previous flush began.
//
// A flush hands a copy of the group's alerts to `flush` (the dispatcher's notification
// pipeline: muting, deduplication, the callback), with the flush's time. When that reports
// success, the resolved alerts it was handed leave the group, unless they were updated since.
// A group whose alerts all left stays (empty, flushing nothing) until its owner removes it.
//
// Thread-safe. Flushes run on the TimerSource's threads, one at a time per group; destroying
// the group waits for a flush that is running. `route` and `timers` must outlive the group.
class AggregationGroup {
 public:
  // Returns whether the notification pipeline succeeded. `alerts` are in Alertmanager's order
  // (AlertBefore).
  using FlushFunc = std::function<bool(const AggregationGroup& group,
                                       const std::vector<StoredAlert>& alerts, int64_t now_ms)>;

  AggregationGroup(const RouteNode& route, model::Labels labels, TimerSource& timers,
                   FlushFunc flush);
  AggregationGroup(const AggregationGroup&) = delete;
  AggregationGroup& operator=(const AggregationGroup&) = delete;

  // Adds or replaces an alert (by fingerprint).
  void Insert(const StoredAlert& alert);

  bool empty() const;
  // The group's alerts, in Alertmanager's order (AlertBefore).
  std::vector<StoredAlert> Alerts() const;

  const RouteNode& route() const { return route_; }
  const model::Labels& labels() const { return labels_; }
  const std::string& key() const { return key_; }  // GroupKey(route, labels).

 private:
  void OnTimer();

  const RouteNode& route_;
  const model::Labels labels_;
  const std::string key_;
  const Clock& clock_;
  const FlushFunc flush_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, StoredAlert> alerts_ ABSL_GUARDED_BY(mu_);
  bool has_flushed_ ABSL_GUARDED_BY(mu_) = false;
  // Last, so that it goes first: its destructor waits for a flush that uses the members above.
  const std::unique_ptr<Timer> timer_;
};

}  // namespace argus::notify
