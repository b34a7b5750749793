#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <map>
#include <memory>
#include <vector>

#include "base/clock.h"
#include "base/timer.h"
#include "config/config.h"
#include "discovery/discoverer.h"
#include "scrape/scrape_loop.h"

namespace argus::http {
class EventLoop;
}

namespace argus::scrape {

// The targets of one job: runs the job's discoverers, turns their groups into targets, and
// scrapes each at its interval, at a stable offset within the interval from a hash of the
// target's labels, so that targets spread out and each keeps its slot across restarts. A scrape
// that is still fetching when its next slot comes makes that slot skipped. Samples are stamped
// with the timers' clock. Targets that disappear, and all on Stop, are marked stale; no scrape
// of theirs is recorded afterwards. Thread-safe.
class ScrapePool {
 public:
  // Fetches through `fetcher` and schedules (file discovery too) with `timers`, whose clock stamps
  // the samples. `timers`, `storage` and `metrics` must outlive the pool.
  ScrapePool(std::shared_ptr<const config::ScrapeConfig> config, std::unique_ptr<Fetcher> fetcher,
             TimerSource& timers, storage::Appendable& storage, ScrapeMetrics& metrics);
  ~ScrapePool();  // Stops.

  // Starts the discoverers; targets follow as they report.
  void Start();
  // Stops discovery and every scrape, marking all the targets' series stale. Idempotent.
  void Stop();

  // Replaces the groups that discoverer `index` found, and syncs the running targets.
  void Update(size_t index, std::vector<discovery::TargetGroup> groups);

  const config::ScrapeConfig& config() const { return *config_; }
  std::vector<TargetStatus> ActiveTargets() const;
  std::vector<TargetStatus> DroppedTargets() const;
  std::vector<TargetMetadata> Metadata() const;

 private:
  class Runner;
  void Sync() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  std::shared_ptr<const config::ScrapeConfig> config_;
  TimerSource& timers_;
  storage::Appendable& storage_;
  const Clock& clock_;  // The timers'.
  ScrapeMetrics& metrics_;
  std::unique_ptr<Fetcher> fetcher_;
  std::vector<std::unique_ptr<discovery::Discoverer>> discoverers_;

  mutable absl::Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::map<size_t, std::vector<discovery::TargetGroup>> groups_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::shared_ptr<Runner>> runners_ ABSL_GUARDED_BY(mu_);
  std::vector<TargetStatus> dropped_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::scrape
