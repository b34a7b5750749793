#include "notify/dispatch_marker.h"

namespace argus::notify {

std::string_view AlertMuteStatus::State() const {
  if (!processed) return "unprocessed";
  if (!silenced_by.empty() || !inhibited_by.empty()) return "suppressed";
  return "active";
}

void AlertMarker::SetSilenced(uint64_t fingerprint, std::vector<std::string> active_ids,
                              std::vector<std::string> pending_ids) {
  absl::MutexLock lock(&mu_);
  AlertMuteStatus& status = statuses_[fingerprint];
  status.silenced_by = std::move(active_ids);
  status.pending_silences = std::move(pending_ids);
  status.processed = true;
}

void AlertMarker::SetInhibited(uint64_t fingerprint, std::vector<std::string> by) {
  absl::MutexLock lock(&mu_);
  AlertMuteStatus& status = statuses_[fingerprint];
  status.inhibited_by = std::move(by);
  status.processed = true;
}

AlertMuteStatus AlertMarker::Status(uint64_t fingerprint) const {
  absl::MutexLock lock(&mu_);
  auto it = statuses_.find(fingerprint);
  return it == statuses_.end() ? AlertMuteStatus{} : it->second;
}

void AlertMarker::Delete(uint64_t fingerprint) {
  absl::MutexLock lock(&mu_);
  statuses_.erase(fingerprint);
}

}  // namespace argus::notify
