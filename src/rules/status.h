#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/labels.h"

namespace argus::rules {

// What the rules are doing, as plain values: what /api/v1/rules and /api/v1/alerts show. Taken
// as a snapshot; nothing here refers back to the rules.

enum class AlertState { kInactive, kPending, kFiring };
// "inactive", "pending", "firing".
const char* AlertStateName(AlertState state);

enum class RuleHealth { kUnknown, kOk, kBad };
// Prometheus' words: "unknown", "ok", "err".
const char* RuleHealthName(RuleHealth health);

struct AlertStatus {
  model::Labels labels;
  model::Labels annotations;
  AlertState state = AlertState::kInactive;
  int64_t active_at_ms = 0;
  int64_t keep_firing_since_ms = 0;  // 0: not kept firing.
  double value = 0;
};

struct RuleStatus {
  bool alerting = false;  // Else recording.
  std::string name;
  std::string query;  // The expression as the parser prints it.
  model::Labels labels;
  model::Labels annotations;                 // Alerting only.
  int64_t for_ms = 0;                        // Alerting only.
  int64_t keep_firing_for_ms = 0;            // Alerting only.
  AlertState state = AlertState::kInactive;  // Alerting only: that of its most active alert.
  std::vector<AlertStatus> alerts;           // Alerting only: pending and firing, by labels.
  RuleHealth health = RuleHealth::kUnknown;
  std::string last_error;
  double evaluation_seconds = 0;
  int64_t last_evaluation_ms = 0;  // 0: never evaluated.
};

struct GroupStatus {
  std::string name;
  std::string file;
  int64_t interval_ms = 0;
  int64_t limit = 0;
  std::vector<RuleStatus> rules;  // In the file's order.
  double evaluation_seconds = 0;
  int64_t last_evaluation_ms = 0;  // 0: never evaluated.
};

}  // namespace argus::rules
