#pragma once

// What the server derives from its flags and files for the HTTP API.

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdint>
#include <memory>

#include "api/api.h"
#include "base/status.h"
#include "cmd/server.h"
#include "collect/manager.h"
#include "scrape/manager.h"
#include "tsdb/head.h"

namespace argus::cmd {

// Reads and parses --config.file (the embedded default when empty), keeping the text it was
// parsed from, which /api/v1/status/config serves. Errors name the file and the position.
Result<std::shared_ptr<const api::LoadedConfig>> LoadConfig(const ServerFlags& flags);

// The configuration in force, replaced on reloads and read by the API's threads. Thread-safe.
class LiveConfig {
 public:
  explicit LiveConfig(std::shared_ptr<const api::LoadedConfig> c) : config_(std::move(c)) {}
  std::shared_ptr<const api::LoadedConfig> Get() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return config_;
  }
  void Set(std::shared_ptr<const api::LoadedConfig> c) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    config_ = std::move(c);
  }

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const api::LoadedConfig> config_ ABSL_GUARDED_BY(mu_);
};

// Where targets on this machine are reached from elsewhere: --web.external-url, or as Prometheus
// defaults it, http://<hostname>:<listen port>.
api::GlobalUrlOptions GlobalUrl(const ServerFlags& flags);

// The external URL as rule templates and alerts' generator URLs show it: --web.external-url
// without a trailing slash, or http://<hostname>:<listen port>.
std::string ExternalUrl(const ServerFlags& flags);

// The targets that /api/v1/targets lists, the scrape pools' and the collectors', and their
// metadata: jobs in name order, which the configuration keeps unique across both.
std::vector<scrape::JobTargets> AllTargets(const scrape::ScrapeManager& scraper,
                                           const collect::CollectManager& collector);
std::vector<scrape::TargetMetadata> AllMetadata(const scrape::ScrapeManager& scraper,
                                                const collect::CollectManager& collector);

// /api/v1/status/tsdb from the head's index, as Prometheus answers it: no sample is read.
// `head` must outlive the function.
api::TsdbStatsFunc HeadStats(const tsdb::Head& head);

// The --query.* durations, parsed; an error names the flag.
struct QueryFlags {
  int64_t lookback_delta_ms = 0;
  std::chrono::milliseconds timeout{0};
};
Result<QueryFlags> ParseQueryFlags(const ServerFlags& flags);

}  // namespace argus::cmd
