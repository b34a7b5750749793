#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "config/config.h"
#include "http/event_loop.h"
#include "scrape/scrape_loop.h"
#include "scrape/scrape_metrics.h"
#include "storage/appender.h"

namespace argus::scrape {

class ScrapePool;

// Runs one scrape pool per job of the configuration on the shared event loop, writing through
// `storage`. `loop`, `storage`, `clock` and `registry` must outlive the manager. Thread-safe.
class ScrapeManager {
 public:
  ScrapeManager(http::EventLoop& loop, storage::Appendable& storage, const Clock& clock,
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
  Status ApplyConfig(const config::Config& config);

  // Stops every pool, marking every target's series stale.
  void Stop();

  // The targets of every job, by job name.
  std::vector<JobTargets> Targets() const;
  // The metadata of every active target, jobs in name order.
  std::vector<TargetMetadata> Metadata() const;

 private:
  http::EventLoop& loop_;
  storage::Appendable& storage_;
  const Clock& clock_;
  ScrapeMetrics metrics_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<ScrapePool>> pools_;  // Guarded by mu_.
};

}  // namespace argus::scrape
