#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/timer.h"
#include "config/config.h"
#include "discovery/discoverer.h"
#include "model/labels.h"

namespace argus::notify {

// The URL that alerts are posted to for an Alertmanager that discovery found with the labels
// `discovered`, as Prometheus 2.42's notifier derives it: __scheme__ and __alerts_path__
// (path_prefix joined with /api/<api_version>/alerts) are filled in where missing, the set's
// relabel_configs applied, and the URL is "<__scheme__>://<__address__><__alerts_path__>".
// nullopt when relabeling dropped it; kInvalidInput when the address is not one
// (config::CheckTargetAddress).
Result<std::optional<std::string>> AlertmanagerUrl(const model::Labels& discovered,
                                                   const config::AlertmanagerConfig& config);

// One entry of alerting.alertmanagers: its settings and the Alertmanagers that its static and
// file service discovery find, deduplicated by URL. A target group with an invalid address is
// skipped whole and logged, as in Prometheus.
//
// `changed` is called after the URLs changed, on the thread of the discoverer that found the
// change, without the set's lock held. `timers` must outlive the set. Thread-safe.
class AlertmanagerSet {
 public:
  AlertmanagerSet(config::AlertmanagerConfig config, TimerSource& timers,
                  std::function<void()> changed);
  ~AlertmanagerSet();  // Stops.

  // Starts discovery: static targets are known, and the files read, when it returns. Call once.
  void Start();
  // Once it returns, the URLs no longer change and `changed` is not called again.
  void Stop();

  const config::AlertmanagerConfig& config() const { return config_; }
  // The URLs of the Alertmanagers found, in discovery order.
  std::vector<std::string> urls() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Update(size_t index, std::vector<discovery::TargetGroup> groups) ABSL_LOCKS_EXCLUDED(mu_);

  const config::AlertmanagerConfig config_;
  const std::function<void()> changed_;
  std::vector<std::unique_ptr<discovery::Discoverer>> discoverers_;
  mutable absl::Mutex mu_;
  std::map<size_t, std::vector<discovery::TargetGroup>> groups_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> urls_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::notify
