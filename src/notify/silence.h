#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace argus::notify {

// A silence, as Alertmanager's API v2 shows it: alerts whose labels match all of its matchers
// are not notified while it is active. Times are milliseconds since the Unix epoch.
struct Silence {
  std::string id;  // A UUID the store gives; empty in a new silence.
  std::vector<model::Matcher> matchers;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  int64_t updated_at_ms = 0;  // Set by the store on every change.
  std::string created_by;
  std::string comment;
};

enum class SilenceState { kPending, kActive, kExpired };

// Alertmanager's names: "pending", "active", "expired".
std::string_view SilenceStateName(SilenceState state);

// Pending before its start, expired after its end, active from start to end inclusive.
SilenceState StateAt(const Silence& silence, int64_t now_ms);

// Whether the silence's matchers all hold for `labels` (whatever its state).
bool SilenceMatches(const Silence& silence, const model::Labels& labels);

// Alertmanager's validateSilence, but for the id: at least one matcher, valid label names,
// UTF-8 values, not every matcher matching the empty string (it would silence everything),
// start and end set, end not before start. kInvalidInput with the reason.
Status ValidateSilence(const Silence& silence);

// Whether two lists hold the same matchers in the same order.
bool SameMatchers(const std::vector<model::Matcher>& a, const std::vector<model::Matcher>& b);

}  // namespace argus::notify
