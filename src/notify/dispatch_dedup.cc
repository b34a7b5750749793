#include "notify/dispatch_dedup.h"

#include <algorithm>

#include "notify/alert_store.h"

namespace argus::notify {
namespace {

// Whether every element of sorted `subset` is in sorted `set`.
bool Includes(const std::vector<uint64_t>& set, const std::vector<uint64_t>& subset) {
  return std::includes(set.begin(), set.end(), subset.begin(), subset.end());
}

}  // namespace

GroupState StateOf(const GroupNotification& notification) {
  GroupState state;
  state.timestamp_ms = notification.now_ms;
  for (const model::Alert& a : notification.alerts) {
    (ResolvedAt(a, notification.now_ms) ? state.resolved : state.firing).push_back(a.labels.Hash());
  }
  std::sort(state.firing.begin(), state.firing.end());
  std::sort(state.resolved.begin(), state.resolved.end());
  return state;
}

bool NeedsUpdate(const std::optional<GroupState>& last, const GroupState& current,
                 bool send_resolved, std::chrono::milliseconds repeat_interval) {
  if (!last) return !current.firing.empty();
  if (!Includes(last->firing, current.firing)) return true;
  if (current.firing.empty()) return !last->firing.empty();
  if (send_resolved && !Includes(last->resolved, current.resolved)) return true;
  return last->timestamp_ms < current.timestamp_ms - repeat_interval.count();
}

std::string MemoryNotificationLog::Key(std::string_view receiver, std::string_view group_key) {
  std::string key(receiver);
  key += '\0';  // Not in a receiver's name.
  key += group_key;
  return key;
}

std::optional<GroupState> MemoryNotificationLog::Query(std::string_view receiver,
                                                       std::string_view group_key) const {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(Key(receiver, group_key));
  if (it == entries_.end()) return std::nullopt;
  return it->second.state;
}

void MemoryNotificationLog::Log(std::string_view receiver, std::string_view group_key,
                                GroupState state, int64_t expires_at_ms) {
  absl::MutexLock lock(&mu_);
  entries_[Key(receiver, group_key)] = Entry{std::move(state), expires_at_ms};
}

size_t MemoryNotificationLog::CollectGarbage(int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  return absl::erase_if(entries_,
                        [&](const auto& entry) { return entry.second.expires_at_ms <= now_ms; });
}

}  // namespace argus::notify
