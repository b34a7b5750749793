#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace argus::notify {

// Why an alert is or is not notified, as Alertmanager's API v2 shows it in an alert's
// `status`: state "active", "suppressed" (silenced or inhibited) or "unprocessed" (not yet
// judged), with the ids of the silences and the fingerprints (16 hex digits) of the alerts
// that mute it.
struct AlertMuteStatus {
  std::vector<std::string> silenced_by;
  std::vector<std::string> inhibited_by;
  // Pending silences that will mute the alert once they start (not part of the API).
  std::vector<std::string> pending_silences;
  bool processed = false;

  // "unprocessed", "suppressed" or "active".
  std::string_view State() const;
  bool operator==(const AlertMuteStatus&) const = default;
};

// Alertmanager's types.Marker: the latest judgement of each alert, by the hash of its labels
// (model::Labels::Hash), written when a group is flushed (and when the API asks) and read by the
// API. Thread-safe.
class AlertMarker {
 public:
  void SetSilenced(uint64_t labels_hash, std::vector<std::string> active_ids,
                   std::vector<std::string> pending_ids);
  // `by`: the inhibiting alert's fingerprint as Alertmanager prints it, or none.
  void SetInhibited(uint64_t labels_hash, std::vector<std::string> by);
  AlertMuteStatus Status(uint64_t labels_hash) const;
  void Delete(uint64_t labels_hash);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, AlertMuteStatus> statuses_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::notify
