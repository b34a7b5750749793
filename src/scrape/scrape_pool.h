#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "base/clock.h"
#include "config/config.h"
#include "discovery/discoverer.h"
#include "http/event_loop.h"
#include "scrape/scrape_loop.h"

namespace argus::scrape {

// The targets of one job: runs the job's discoverers, turns their groups into targets, and
// scrapes each on the shared event loop at its interval, spread over the interval by a stable
// offset from the target's labels. Targets that disappear are marked stale. Thread-safe.
class ScrapePool {
 public:
  ScrapePool(std::shared_ptr<const config::ScrapeConfig> config, http::EventLoop& loop,
             storage::Appendable& storage, const Clock& clock, ScrapeMetrics& metrics);
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
  void Sync();  // Requires mu_.

  std::shared_ptr<const config::ScrapeConfig> config_;
  http::EventLoop& loop_;
  storage::Appendable& storage_;
  const Clock& clock_;
  ScrapeMetrics& metrics_;
  std::unique_ptr<Fetcher> fetcher_;
  std::vector<std::unique_ptr<discovery::Discoverer>> discoverers_;

  mutable std::mutex mu_;
  bool stopped_ = false;                                          // Guarded by mu_.
  std::map<size_t, std::vector<discovery::TargetGroup>> groups_;  // Guarded by mu_.
  std::map<uint64_t, std::shared_ptr<Runner>> runners_;           // Guarded by mu_.
  std::vector<TargetStatus> dropped_;                             // Guarded by mu_.
};

}  // namespace argus::scrape
