#include "notify/silence.h"

#include <algorithm>

#include "notify/alert_store.h"
#include "notify/route_tree.h"

namespace argus::notify {
namespace {

Status ValidateMatcher(const model::Matcher& m) {
  if (!model::IsValidLabelName(m.name())) {
    return Status::Errorf(Status::Code::kInvalidInput, "invalid label name \"{}\"", m.name());
  }
  const bool regex = m.type() == model::Matcher::Type::kRegexMatch ||
                     m.type() == model::Matcher::Type::kRegexNoMatch;
  if (!regex && !IsValidUtf8(m.value())) {
    return Status::Errorf(Status::Code::kInvalidInput, "invalid label value \"{}\"", m.value());
  }
  return Status::Ok();
}

// Alertmanager's matchesEmpty: only the positive matchers count, as a negative one alone says
// nothing about which alerts it selects.
bool MatchesEmpty(const model::Matcher& m) {
  switch (m.type()) {
    case model::Matcher::Type::kEqual:
    case model::Matcher::Type::kRegexMatch:
      return m.Matches("");
    case model::Matcher::Type::kNotEqual:
    case model::Matcher::Type::kRegexNoMatch:
      return false;
  }
  return false;
}

}  // namespace

std::string_view SilenceStateName(SilenceState state) {
  switch (state) {
    case SilenceState::kPending:
      return "pending";
    case SilenceState::kActive:
      return "active";
    case SilenceState::kExpired:
      return "expired";
  }
  return "";
}

SilenceState StateAt(const Silence& silence, int64_t now_ms) {
  if (now_ms < silence.starts_at_ms) return SilenceState::kPending;
  if (now_ms > silence.ends_at_ms) return SilenceState::kExpired;
  return SilenceState::kActive;
}

bool SilenceMatches(const Silence& silence, const model::Labels& labels) {
  return AllMatch(silence.matchers, labels);
}

Status ValidateSilence(const Silence& silence) {
  if (silence.matchers.empty()) {
    return Status::Error("at least one matcher required", Status::Code::kInvalidInput);
  }
  for (size_t i = 0; i < silence.matchers.size(); ++i) {
    if (Status s = ValidateMatcher(silence.matchers[i]); !s.ok()) {
      return s.Wrap(fmt::format("invalid label matcher {}", i));
    }
  }
  if (std::all_of(silence.matchers.begin(), silence.matchers.end(), MatchesEmpty)) {
    return Status::Error("at least one matcher must not match the empty string",
                         Status::Code::kInvalidInput);
  }
  if (silence.starts_at_ms == 0) {
    return Status::Error("invalid zero start timestamp", Status::Code::kInvalidInput);
  }
  if (silence.ends_at_ms == 0) {
    return Status::Error("invalid zero end timestamp", Status::Code::kInvalidInput);
  }
  if (silence.ends_at_ms < silence.starts_at_ms) {
    return Status::Error("end time must not be before start time", Status::Code::kInvalidInput);
  }
  return Status::Ok();
}

bool SameMatchers(const std::vector<model::Matcher>& a, const std::vector<model::Matcher>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.type() == y.type() && x.name() == y.name() && x.value() == y.value();
  });
}

}  // namespace argus::notify
