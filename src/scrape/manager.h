#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/timer.h"
#include "config/config.h"
#include "http/event_loop.h"
#include "scrape/scrape_loop.h"
#include "scrape/scrape_metrics.h"
#include "storage/appender.h"

namespace argus::scrape {

class ScrapePool;

// Runs one scrape pool per job of the configuration, fetching over HTTP on the shared event loop
// and scheduling with `timers`, whose clock stamps the samples, writing through `storage`.
// `loop`, `timers`, `storage` and `registry` must outlive the manager. Thread-safe.
class ScrapeManager {
 public:
  ScrapeManager(http::EventLoop& loop, TimerSource& timers, storage::Appendable& storage,
                MetricsRegistry& registry);
  ~ScrapeManager();  // Stops.

  // Checks what ApplyConfig would need beyond what config::Parse checked, without touching the
  // running pools: that every job's TLS files (CA, client certificate and key) can be read, as
  // Prometheus loads them when it builds a job's HTTP client. kIOError naming the job, the key
  // and the file otherwise. Credentials files are read at each scrape, as in Prometheus, and a
  // missing one fails the scrape, not this check.
  static Status CheckConfig(const config::Config& config);

  // Starts, stops and replaces pools so that they match `config`: a job whose scrape config is
  // unchanged keeps running untouched (targets, caches, schedule). Never fails today; returns a
  // Status for the checks a later configuration may need.
  Status ApplyConfig(const config::Config& config) ABSL_LOCKS_EXCLUDED(mu_);

  // Stops every pool, marking every target's series stale.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // The targets of every job, by job name.
  std::vector<JobTargets> Targets() const ABSL_LOCKS_EXCLUDED(mu_);
  // The metadata of every active target, jobs in name order.
  std::vector<TargetMetadata> Metadata() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  http::EventLoop& loop_;
  TimerSource& timers_;
  storage::Appendable& storage_;
  ScrapeMetrics metrics_;
  // Held while calling into the pools: before each pool's own lock.
  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<ScrapePool>> pools_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::scrape
