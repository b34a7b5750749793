#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/notify_config.h"
#include "model/alert.h"
#include "model/labels.h"

namespace argus::notify {

// The inhibit_rules of a notify configuration, as Alertmanager's Inhibitor: an alert that
// matches a rule's target matchers is muted while an alert that matches its source matchers,
// and has the same values of the rule's `equal` labels (a label missing from both counts as
// equal), is firing. An alert that matches both sides of a rule is never muted through that
// rule by an alert that also matches both sides, so that it never mutes itself.
//
// The inhibitor learns of source alerts through Observe, which the dispatcher calls for every
// alert it stores. Thread-safe.
class Inhibitor {
 public:
  explicit Inhibitor(std::vector<config::InhibitRule> rules);

  // Takes the latest state of an alert: remembered, if it matches a rule's source side, until
  // CollectGarbage finds it resolved.
  void Observe(const model::Alert& alert);

  // The fingerprint (Alertmanager's, AlertFingerprint) of an alert that mutes one with `labels`
  // at `now_ms`, if one does (the smallest such fingerprint of the first rule that mutes it).
  std::optional<uint64_t> InhibitedBy(const model::Labels& labels, int64_t now_ms) const;

  // Forgets the source alerts resolved at `now_ms`.
  void CollectGarbage(int64_t now_ms);

 private:
  struct Source {
    int64_t ends_at_ms = 0;
    bool matches_target = false;  // Also matches the rule's target side.
  };
  struct Rule {
    config::InhibitRule config;
    // The firing source alerts, by the values of the `equal` labels, then by fingerprint.
    absl::flat_hash_map<std::string, std::map<uint64_t, Source>> sources;
  };
  static std::string EqualKey(const Rule& rule, const model::Labels& labels);

  mutable absl::Mutex mu_;
  std::vector<Rule> rules_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::notify
