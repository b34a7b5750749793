#include "notify/dispatch_marker.h"

namespace argus::notify {

std::string_view AlertMuteStatus::State() const {
  if (!processed) return "unprocessed";
  if (!silenced_by.empty() || !inhibited_by.empty()) return "suppressed";
  return "active";
}

void AlertMarker::SetSilenced(uint64_t labels_hash, std::vector<std::string> active_ids,
                              std::vector<std::string> pending_ids) {
  absl::MutexLock lock(&mu_);
  AlertMuteStatus& status = statuses_[labels_hash];
  status.silenced_by = std::move(active_ids);
  status.pending_silences = std::move(pending_ids);
  status.processed = true;
}

void AlertMarker::SetInhibited(uint64_t labels_hash, std::vector<std::string> by) {
  absl::MutexLock lock(&mu_);
  AlertMuteStatus& status = statuses_[labels_hash];
  status.inhibited_by = std::move(by);
  status.processed = true;
}

AlertMuteStatus AlertMarker::Status(uint64_t labels_hash) const {
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(labels_hash);
  return it == statuses_.end() ? AlertMuteStatus{} : it->second;
}

void AlertMarker::Delete(uint64_t labels_hash) {
  absl::MutexLock lock(&mu_);
  statuses_.erase(labels_hash);
}

}  // namespace argus::notify
