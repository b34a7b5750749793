#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "notify/silence.h"

namespace argus::notify {

// The silences that apply to one alert: ids sorted.
struct SilenceMatch {
  std::vector<std::string> active_ids;   // These mute the alert.
  std::vector<std::string> pending_ids;  // These will, once they start.
  bool operator==(const SilenceMatch&) const = default;
};

// The silences, as Alertmanager's silence.Silences, kept on disk: every change is written to
// the snapshot file (docs/format/silences.md) through a temporary file, fsync and rename before
// it takes effect, so a change that returned OK survives kill -9 and power loss, and a change
// that failed to be written leaves the store as it was. Silences expired for longer than the
// retention are dropped by CollectGarbage. Thread-safe. `clock` must outlive the store.
class SilenceStore {
 public:
  // Opens the store kept in `path` (the data directory's "notify/silences"), reading it when it
  // exists. An empty `path` keeps the silences in memory only. kCorruption or kIOError when the
  // file exists but cannot be read back whole.
  static Result<std::unique_ptr<SilenceStore>> Open(const Clock& clock, std::filesystem::path path,
                                                    std::chrono::milliseconds retention);

  // Creates a silence (empty id) or changes one, as Alertmanager's Silences.Set: a change that
  // keeps the matchers and is allowed in the silence's state (an active one keeps its start
  // and does not end in the past; a pending one does not start in the past; an expired one
  // never changes) updates it in place; any other change expires the old silence (unless
  // already expired) and creates a new one with a new id. A new silence starting in the past
  // starts now. Returns the id. kNotFound for an unknown id, kInvalidInput for an invalid
  // silence (ValidateSilence), kIOError when the file cannot be written. Messages are
  // Alertmanager's ("silence not found", "silence invalid: ...").
  Result<std::string> Set(Silence silence);

  // Ends a silence now: an active one's end becomes now, a pending one's start and end become
  // now; an expired one stays as it is. kNotFound for an unknown id; kIOError as Set.
  Status Expire(std::string_view id);

  std::optional<Silence> Get(std::string_view id) const;
  // Every silence, expired ones included, by id.
  std::vector<Silence> List() const;

  // The active and pending silences whose matchers hold for `labels`, now.
  SilenceMatch Match(const model::Labels& labels) const;

  // Drops the silences that ended more than the retention ago; returns how many.
  Result<size_t> CollectGarbage();

 private:
  SilenceStore(const Clock& clock, std::filesystem::path path, std::chrono::milliseconds retention);
  using SilenceMap = std::map<std::string, Silence, std::less<>>;
  // Writes `silences` to the file; only then does the caller adopt them.
  Status Persist(const SilenceMap& silences) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Sets `silence` into `next`, stamped now, after validating it.
  Status Put(Silence silence, int64_t now_ms, SilenceMap& next) const;
  // Alertmanager's expire on `next`; OK for an already expired one.
  Status ExpireIn(std::string_view id, int64_t now_ms, SilenceMap& next) const;
  std::string NewId() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const std::filesystem::path path_;
  const std::chrono::milliseconds retention_;
  mutable absl::Mutex mu_;
  SilenceMap silences_ ABSL_GUARDED_BY(mu_);
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::notify
