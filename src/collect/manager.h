#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "base/timer.h"
#include "collect/collector.h"
#include "config/config.h"
#include "scrape/metadata.h"
#include "scrape/scrape_loop.h"
#include "storage/appender.h"

namespace argus::collect {

// Runs the collectors that the configuration's `collectors:` section turns on, each at its
// interval on the threads of `timers` (in production the shared event loop: reading /proc and
// /sys is fast, so collections run right on a loop thread), writing through `storage` with
// timestamps from the timers' clock. A collector's first collection comes as soon as it is applied,
// the next ones once per interval; a collection that overruns its next slot makes it skipped.
// The self collector reads `registry`, the server's own metrics, and takes `listen_address`
// (host:port, where the server serves them on /metrics) as its default instance. `timers`,
// `storage` and `registry` must outlive the manager. Thread-safe.
class CollectManager {
 public:
  CollectManager(TimerSource& timers, storage::Appendable& storage, const MetricsRegistry& registry,
                 std::string listen_address);
  ~CollectManager();  // Stops.

  // Starts, stops and replaces collectors to match `config`: one whose settings are unchanged
  // keeps running untouched; a removed or changed one has its series marked stale. Never fails
  // today; an unreadable /proc or cgroup tree is reported as up == 0, not here.
  Status ApplyConfig(const config::Config& config);

  // Stops every collector, marking its series stale. Once it returns, no collection runs.
  void Stop();

  // Each running collector as a target of its own job (the collector's job_name), jobs in name
  // order, for /api/v1/targets. Its labels, discovered ones too, are job and instance; its URL
  // says where it reads: file://<proc_path> for the host, file://<cgroup_path> for the
  // containers, and for the server's own metrics http://<listen address>/metrics, which serves
  // the same text. A collection has no timeout of its own (one that overruns its next slot makes
  // that slot skipped), so the timeout shown is the interval.
  std::vector<scrape::JobTargets> Targets() const;
  // The metric families of each running collector, jobs in name order, for /api/v1/metadata.
  std::vector<scrape::TargetMetadata> Metadata() const;

 private:
  class Runner;
  // Replaces `*runner` by a new one collecting from what `make` builds, unless it exists and its
  // settings are unchanged; a disabled collector leaves it empty.
  void Replace(std::unique_ptr<Runner>* runner, bool changed, bool enabled, model::Labels target,
               std::string url, std::chrono::milliseconds interval,
               const std::function<std::unique_ptr<Collector>()>& make)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The running collectors, in the order of their job names.
  std::vector<const Runner*> Running() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  TimerSource& timers_;
  storage::Appendable& storage_;
  const Clock& clock_;  // The timers'.
  const MetricsRegistry& registry_;
  const std::string listen_address_;
  mutable absl::Mutex mu_;
  config::CollectorsConfig applied_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Runner> host_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Runner> containers_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<Runner> self_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::collect
