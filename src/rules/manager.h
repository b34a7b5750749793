#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rules/group.h"

namespace argus::rules {

// The rules a configuration asks for.
struct RulesConfig {
  std::chrono::milliseconds evaluation_interval = std::chrono::minutes(1);  // For groups without.
  AlertingRuleContext context;
  std::vector<RuleGroupSpec> groups;  // Of every rule file; keys (file and name) unique.
};

// Runs the rule groups of the configuration in force, as Prometheus' rules.Manager. Update from
// one thread at a time (the server's main thread); Groups and Alerts from any thread.
class Manager {
 public:
  // `services` (and what it points to) is the groups'; see GroupServices.
  explicit Manager(GroupServices services) : services_(std::move(services)) {}
  ~Manager();  // Stop().
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Makes `config` run. A group the same as a running one (key, rules, interval, limit, offset,
  // external labels and URL) keeps running untouched; a changed one replaces the running one of
  // its key and takes its state (alerts of the rules that stay, stale markers for the series of
  // the rules that went); a group that is gone stops, with stale markers for what it wrote; a
  // new one starts. Groups of the first Update restore their alerts' `for` state from storage.
  void Update(const RulesConfig& config) ABSL_LOCKS_EXCLUDED(mu_);

  // Stops every group, without stale markers (the data stays as the server left it, for the
  // next start to restore). Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Every group's status, in the order of the configuration.
  std::vector<GroupStatus> Groups() const ABSL_LOCKS_EXCLUDED(mu_);
  // The pending and firing alerts of every alerting rule.
  std::vector<AlertStatus> Alerts() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const GroupServices services_;
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Group>> groups_ ABSL_GUARDED_BY(mu_);
  AlertingRuleContext context_ ABSL_GUARDED_BY(mu_);
  bool updated_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace argus::rules
