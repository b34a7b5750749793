#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "model/labels.h"

namespace argus::events {

// Something that happened at one moment and that people want to see next to their graphs and in
// Slack: a deploy, a container restart, an OOM kill, a failing probe, a failed rollout. Unlike an
// alert it has no duration and never resolves. The notifier routes it as an alert whose
// `alertname` is the kind and whose other labels are the event's.
struct Event {
  int64_t time_ms = 0;  // When it happened, in milliseconds since the Unix epoch.
  // What happened: "deploy", "restart", "oom_kill", "probe_failed", "rollout_failed", ... Not a
  // closed set, since every stage that publishes events may add kinds; IsValidKind says which
  // names are allowed.
  std::string kind;
  model::Labels labels;  // Where it happened: service, version, namespace, pod, instance, ...
  std::string text;      // For people: "api 1.4.2 rolled out by ci", may be empty.
  std::string link;      // An http or https URL to more about it (a CI run); empty: none.
  bool operator==(const Event&) const = default;
};

// The longest kind, text and link an event may have, in bytes: an event is a line on a graph and
// a Slack message, not a log.
inline constexpr size_t kMaxKindBytes = 64;
inline constexpr size_t kMaxTextBytes = 16 << 10;
inline constexpr size_t kMaxLinkBytes = 2 << 10;

// Whether `kind` names a kind of event: 1 to kMaxKindBytes lower-case ASCII letters, digits and
// underscores, starting with a letter ("deploy", "oom_kill"). A kind is a valid `alertname`
// label value and reads well in a message.
bool IsValidKind(std::string_view kind);

// Checks what every recorded event must hold: a valid kind; label names that are valid label
// names (model::IsValidLabelName) and not reserved (starting with "__"); text and link within
// their sizes; a link, if any, that starts with "http://" or "https://" and has no whitespace or
// control characters. Fails with kInvalidInput naming the field and what is wrong with it:
//   kind "Deploy!" is not valid: use up to 64 lower-case letters, digits and '_', starting with a
//   letter
Status Validate(const Event& event);

}  // namespace argus::events
