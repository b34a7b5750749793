#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/alert.h"

namespace argus::notify {

// An alert as the notifier keeps it: what its senders said, merged, plus when it was last
// updated. The fingerprint is alert.labels.Hash().
struct StoredAlert {
  model::Alert alert;  // starts_at_ms and ends_at_ms are always set.
  int64_t updated_at_ms = 0;
  // ends_at_ms was not given by the sender but set to the receipt plus resolve_timeout; such an
  // end gives way to one a sender gave (Alertmanager's Alert.Timeout).
  bool timeout = false;
  bool operator==(const StoredAlert&) const = default;
};

// Whether an alert ending at `ends_at_ms` counts as resolved at `now_ms`: it has an end, and
// that end has come.
inline bool EndedBy(int64_t ends_at_ms, int64_t now_ms) {
  return ends_at_ms != 0 && ends_at_ms <= now_ms;
}
inline bool ResolvedAt(const model::Alert& alert, int64_t now_ms) {
  return EndedBy(alert.ends_at_ms, now_ms);
}

// Alertmanager's LabelSet.Before: smaller sets first; between sets of one size, the first name
// (of both sets' names, sorted) that one lacks or where the values differ decides: the set
// lacking it, or the smaller value, comes first.
bool LabelSetBefore(const model::Labels& a, const model::Labels& b);

// Alertmanager's order of the alerts of a group (types.AlertSlice): by the `job` label, then
// `instance` (an alert with the label before one without), then LabelSetBefore.
bool AlertBefore(const model::Alert& a, const model::Alert& b);

// Whether `s` is valid UTF-8, as label values and annotations must be.
bool IsValidUtf8(std::string_view s);

// Checks an alert after Receive as Alertmanager's API does: at least one label, valid label and
// annotation names and UTF-8 values, an end not before the start. kInvalidInput with the reason.
Status ValidateAlert(const model::Alert& alert);

// Turns an alert received at `now_ms` into a StoredAlert as Alertmanager's API does: updated at
// receipt; starts_at defaults to its end, or to the receipt; an alert without an end ends
// `resolve_timeout` after its receipt, and is marked `timeout`.
StoredAlert Receive(model::Alert alert, int64_t now_ms, std::chrono::milliseconds resolve_timeout);

// Merges an update `b` of an alert with what is known of it, `a`, as Alertmanager's
// types.Alert.Merge: the younger one's fields win, the start is the earlier one's, and the older
// end stays when it is later and was given by a sender (or when both are resolved at `now_ms`).
StoredAlert Merge(const StoredAlert& a, const StoredAlert& b, int64_t now_ms);

// The alerts the notifier knows of, by fingerprint: Alertmanager's provider/mem. An update of a
// known alert whose activity overlaps the known one is merged with it (Merge); another replaces
// it. Resolved alerts stay until CollectGarbage, so that groups and the API still see them.
// Thread-safe.
class AlertStore {
 public:
  // Stores `alert` (already through Receive) and returns what is now stored for it.
  StoredAlert Put(StoredAlert alert, int64_t now_ms);
  std::optional<StoredAlert> Get(uint64_t fingerprint) const;
  // Every alert, in no particular order.
  std::vector<StoredAlert> List() const;
  // Removes the alerts resolved at `now_ms` and returns them.
  std::vector<StoredAlert> CollectGarbage(int64_t now_ms);
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<uint64_t, StoredAlert> alerts_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::notify
