#pragma once

#include <cstdint>
#include <string>

#include "model/labels.h"

namespace argus::model {

// An alert as it travels from whatever raised it (a rule, a client of /api/v2/alerts, an event)
// to the notifier: Alertmanager's postable alert. Times are milliseconds since the Unix epoch; 0
// means unset.
struct Alert {
  Labels labels;       // Identify the alert; never empty.
  Labels annotations;  // Describe it: summary, description, runbook_url, ...
  int64_t starts_at_ms = 0;
  // When the alert stops (or stopped) firing. A sender that keeps an alert firing resends it with
  // this in the near future; a time in the past resolves it. 0: the receiver picks one (its
  // resolve_timeout after it last heard of the alert).
  int64_t ends_at_ms = 0;
  std::string generator_url;  // Where the alert comes from (a rule's page, a graph).
  bool operator==(const Alert&) const = default;
};

}  // namespace argus::model
