#include "notify/render_data.h"

#include <fmt/format.h>

#include <algorithm>

namespace argus::notify {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;
constexpr unsigned char kSeparator = 0xff;  // Never part of valid UTF-8.

uint64_t FnvAdd(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) hash = (hash ^ c) * kFnvPrime;
  return hash;
}

uint64_t FnvAddSeparator(uint64_t hash) { return (hash ^ kSeparator) * kFnvPrime; }

// The labels of `common` that `other` has with the same value.
model::Labels Intersect(const model::Labels& common, const model::Labels& other) {
  std::vector<model::Label> kept;
  for (const model::Label& label : common) {
    if (other.Get(label.name) == label.value) kept.push_back(label);
  }
  return model::Labels::FromUnsorted(std::move(kept));
}

bool IsResolved(const model::Alert& alert, int64_t now_ms) {
  return alert.ends_at_ms != 0 && alert.ends_at_ms <= now_ms;
}

}  // namespace

std::string_view AlertStatusName(AlertStatus status) {
  return status == AlertStatus::kFiring ? "firing" : "resolved";
}

uint64_t AlertFingerprint(const model::Labels& labels) {
  uint64_t hash = kFnvOffset;
  for (const model::Label& label : labels) {  // Labels are sorted by name.
    hash = FnvAddSeparator(FnvAdd(hash, label.name));
    hash = FnvAddSeparator(FnvAdd(hash, label.value));
  }
  return hash;
}

std::string FormatFingerprint(uint64_t fingerprint) { return fmt::format("{:016x}", fingerprint); }

bool IsEvent(const model::Alert& alert) {
  return alert.labels.Get(kEventLabel) == kEventLabelValue;
}

uint64_t GroupStateHash(const GroupNotification& notification) {
  std::vector<std::pair<bool, uint64_t>> states;  // (resolved, fingerprint)
  for (const model::Alert& alert : notification.alerts) {
    bool resolved = IsResolved(alert, notification.now_ms);
    states.emplace_back(resolved, AlertFingerprint(alert.labels));
  }
  std::sort(states.begin(), states.end());
  uint64_t hash = kFnvOffset;
  for (auto [resolved, fingerprint] : states) {
    hash = FnvAdd(hash, resolved ? "r" : "f");
    hash = FnvAdd(hash, FormatFingerprint(fingerprint));
  }
  return hash;
}

size_t RenderData::CountWithStatus(AlertStatus wanted) const {
  return std::count_if(alerts.begin(), alerts.end(),
                       [&](const RenderAlert& a) { return a.status == wanted; });
}

std::optional<RenderData> MakeRenderData(const GroupNotification& notification,
                                         const RenderDataOptions& options) {
  RenderData data;
  data.receiver = notification.receiver;
  data.group_key = notification.group_key;
  data.external_url = options.external_url;
  while (data.external_url.ends_with('/')) data.external_url.pop_back();
  data.now_ms = notification.now_ms;
  data.group_labels = notification.group_labels;

  for (const model::Alert& alert : notification.alerts) {
    bool resolved = IsResolved(alert, notification.now_ms);
    bool is_event = IsEvent(alert);
    if (resolved && (is_event || !options.send_resolved)) continue;
    if (options.max_alerts != 0 && data.alerts.size() == options.max_alerts) {
      ++data.truncated_alerts;
      continue;
    }
    data.alerts.push_back({.alert = &alert,
                           .status = resolved ? AlertStatus::kResolved : AlertStatus::kFiring,
                           .fingerprint = AlertFingerprint(alert.labels),
                           .is_event = is_event});
  }
  if (data.alerts.empty()) return std::nullopt;

  data.status = data.CountWithStatus(AlertStatus::kFiring) > 0 ? AlertStatus::kFiring
                                                               : AlertStatus::kResolved;
  data.common_labels = data.alerts.front().alert->labels;
  data.common_annotations = data.alerts.front().alert->annotations;
  for (const RenderAlert& a : data.alerts) {
    data.common_labels = Intersect(data.common_labels, a.alert->labels);
    data.common_annotations = Intersect(data.common_annotations, a.alert->annotations);
  }
  return data;
}

}  // namespace argus::notify
