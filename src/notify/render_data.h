#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/alert.h"
#include "model/labels.h"
#include "notify/notification.h"

namespace argus::notify {

// What one integration of a receiver is told about a group: Alertmanager's template data
// (`.Receiver`, `.Status`, `.Alerts`, `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations`,
// `.ExternalURL`), from which every message body is made.

// An event (a deploy, a restart, an OOM kill, a failed probe, ...) travels through the routing
// tree as an alert whose `alertname` is the event's kind and which carries this label with the
// value "true". Events are told once and never resolve. The other labels and annotations an event
// message reads are listed in slack_event.h.
inline constexpr std::string_view kEventLabel = "argus_event";
inline constexpr std::string_view kEventLabelValue = "true";

enum class AlertStatus { kFiring, kResolved };

// "firing" or "resolved", as Alertmanager writes them.
std::string_view AlertStatusName(AlertStatus status);

// Alertmanager's fingerprint of a label set: 64-bit FNV-1a over the labels sorted by name, each
// name and value followed by the byte 0xff.
uint64_t AlertFingerprint(const model::Labels& labels);
// A fingerprint as Alertmanager prints it: 16 lower-case hex digits.
std::string FormatFingerprint(uint64_t fingerprint);

bool IsEvent(const model::Alert& alert);

// A hash of which alerts of the notification fire and which are resolved (by fingerprint, in any
// order): equal for two notifications that tell the same state of a group.
uint64_t GroupStateHash(const GroupNotification& notification);

struct RenderAlert {
  const model::Alert* alert = nullptr;  // Points into the GroupNotification.
  AlertStatus status = AlertStatus::kFiring;
  uint64_t fingerprint = 0;
  bool is_event = false;
};

struct RenderData {
  std::string receiver;
  std::string group_key;
  std::string external_url;  // Without a trailing slash; may be empty.
  int64_t now_ms = 0;
  AlertStatus status = AlertStatus::kFiring;  // Firing when any of `alerts` fires.
  std::vector<RenderAlert> alerts;            // In the notification's order.
  // Alerts the integration would have been told about but that max_alerts cut off.
  uint64_t truncated_alerts = 0;
  model::Labels group_labels;
  model::Labels common_labels;       // The labels all of `alerts` have, with the same value.
  model::Labels common_annotations;  // Likewise for annotations.

  size_t CountWithStatus(AlertStatus status) const;
};

struct RenderDataOptions {
  std::string_view external_url;
  bool send_resolved = true;
  uint64_t max_alerts = 0;  // 0: all.
};

// The data for one integration, as Alertmanager's notification pipeline makes it: resolved alerts
// are dropped unless `send_resolved` (resolved events always, as events never resolve), then all
// but the first `max_alerts`. nullopt when no alert is left: the integration is not told. The
// result points into `notification`, which must outlive it.
std::optional<RenderData> MakeRenderData(const GroupNotification& notification,
                                         const RenderDataOptions& options);

}  // namespace argus::notify
