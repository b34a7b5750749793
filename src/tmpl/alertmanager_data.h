#pragma once

// The data that Alertmanager's notification templates read (Alertmanager's template.Data), as
// template Values:
//
//   .Receiver .Status .Alerts (.Firing .Resolved) .GroupLabels .CommonLabels
//   .CommonAnnotations .ExternalURL, and per alert .Status .Labels .Annotations .StartsAt .EndsAt
//   .GeneratorURL .Fingerprint
//
// Label sets are Alertmanager's KV: string maps (a missing name reads as "") with the methods
// SortedPairs (alertname first, then by name), Names, Values, Remove (a list of names) and
// String ("a=b, c=d"); a list of pairs has Names, Values and String; Names and Values give lists
// of strings with Join.
//
//   tmpl::Value data = tmpl::AlertmanagerDataValue(tmpl::MakeAlertmanagerData(
//       "slack", group_labels, alerts, now_ms, "http://argus.example.com"));
//   set.Execute("slack.default.title", data);

#include <absl/time/time.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/alert.h"
#include "model/labels.h"
#include "tmpl/value.h"

namespace argus::tmpl {

struct AlertmanagerAlert {
  std::string status;  // "firing" or "resolved".
  model::Labels labels;
  model::Labels annotations;
  absl::Time starts_at = absl::InfinitePast();  // InfinitePast: unset (Go's zero time).
  absl::Time ends_at = absl::InfinitePast();
  std::string generator_url;
  std::string fingerprint;  // 16 hex digits of the labels' fingerprint.
};

struct AlertmanagerData {
  std::string receiver;
  std::string status;  // "firing" when any alert fires, else "resolved".
  std::vector<AlertmanagerAlert> alerts;
  model::Labels group_labels;
  model::Labels common_labels;       // The labels all alerts share.
  model::Labels common_annotations;  // The annotations all alerts share.
  std::string external_url;
};

// Builds the data as Alertmanager's (*Template).Data does: an alert is resolved when its end is
// set and not after `now_ms`; the receiver's name is regexp-quoted (Alertmanager's QuoteMeta).
AlertmanagerData MakeAlertmanagerData(std::string_view receiver, const model::Labels& group_labels,
                                      std::span<const model::Alert> alerts, int64_t now_ms,
                                      std::string_view external_url);

Value AlertmanagerDataValue(const AlertmanagerData& data);
Value AlertmanagerAlertValue(const AlertmanagerAlert& alert);
// A label set as Alertmanager's KV.
Value AlertmanagerKV(const model::Labels& labels);

// Prometheus' fingerprint of a label set (FNV-1a over names and values), as 16 hex digits.
std::string LabelsFingerprint(const model::Labels& labels);

}  // namespace argus::tmpl
