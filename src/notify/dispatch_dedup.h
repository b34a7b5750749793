#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notify/notification.h"

namespace argus::notify {

// What a receiver was last told about a group: Alertmanager's notification log entry. Alerts
// are identified by the hash of their labels (model::Labels::Hash).
struct GroupState {
  std::vector<uint64_t> firing;    // Sorted.
  std::vector<uint64_t> resolved;  // Sorted.
  int64_t timestamp_ms = 0;        // When the notification was accepted for delivery.
  bool operator==(const GroupState&) const = default;
};

// The state of a notification's alerts at its now_ms; timestamp_ms is now_ms.
GroupState StateOf(const GroupNotification& notification);

// Alertmanager's DedupStage.needsUpdate: whether a group in state `current` is to be told to a
// receiver that was last told `last` (nullopt: never). Yes when an alert fires that `last` did
// not list as firing; when all alerts resolved after `last` listed some as firing (whatever
// send_resolved says, so that the log forgets them); when `send_resolved` and an alert resolved
// that `last` did not list as resolved; and when `last` is older than `repeat_interval`.
// A group never told of that holds only resolved alerts is not told.
bool NeedsUpdate(const std::optional<GroupState>& last, const GroupState& current,
                 bool send_resolved, std::chrono::milliseconds repeat_interval);

// Where the dispatcher keeps what it told whom (Alertmanager's nflog), to deduplicate. The
// dispatcher queries it at each flush of a group and logs a notification once its callback has
// accepted it. An implementation that keeps the log on disk (beside the delivery queue, which
// knows what was really delivered) lets a restarted server skip notifications it already
// made; MemoryNotificationLog forgets on restart, and DispatcherDeps::already_accepted then
// asks the delivery queue instead. Implementations are thread-safe.
class NotificationLog {
 public:
  virtual ~NotificationLog() = default;
  // The last state logged for the receiver and group, if any.
  virtual std::optional<GroupState> Query(std::string_view receiver,
                                          std::string_view group_key) const = 0;
  // Records `state` as told; the entry may be forgotten from `expires_at_ms` on (twice the
  // route's repeat_interval after, as Alertmanager).
  virtual void Log(std::string_view receiver, std::string_view group_key, GroupState state,
                   int64_t expires_at_ms) = 0;
  // Forgets the entries expired at `now_ms`; returns how many. The dispatcher's maintenance
  // calls it.
  virtual size_t CollectGarbage(int64_t now_ms) = 0;
};

class MemoryNotificationLog final : public NotificationLog {
 public:
  std::optional<GroupState> Query(std::string_view receiver,
                                  std::string_view group_key) const override;
  void Log(std::string_view receiver, std::string_view group_key, GroupState state,
           int64_t expires_at_ms) override;
  size_t CollectGarbage(int64_t now_ms) override;

 private:
  struct Entry {
    GroupState state;
    int64_t expires_at_ms = 0;
  };
  static std::string Key(std::string_view receiver, std::string_view group_key);
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::notify
