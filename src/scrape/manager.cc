#include "scrape/manager.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "scrape/scrape_pool.h"

namespace argus::scrape {

ScrapeManager::ScrapeManager(http::EventLoop& loop, TimerSource& timers,
                             storage::Appendable& storage, MetricsRegistry& registry)
    : loop_(loop), timers_(timers), storage_(storage), metrics_(registry) {}

ScrapeManager::~ScrapeManager() { Stop(); }

Status ScrapeManager::CheckConfig(const config::Config& config) {
  for (const auto& job : config.scrape_configs) {
    const config::TlsConfig& tls = job.http_client.tls_config;
    for (const auto& [key, path] :
         {std::pair{"ca_file", &tls.ca_file}, std::pair{"cert_file", &tls.cert_file},
          std::pair{"key_file", &tls.key_file}}) {
      if (path->empty() || std::ifstream(*path, std::ios::binary)) continue;
      return Status::Errorf(Status::Code::kIOError,
                            "job \"{}\": tls_config: cannot read {} \"{}\": {}", job.job_name, key,
                            *path, std::strerror(errno));
    }
  }
  return Status::Ok();
}

Status ScrapeManager::ApplyConfig(const config::Config& config) {
  absl::MutexLock lock(&mu_);
  std::map<std::string, std::unique_ptr<ScrapePool>> pools;
  for (const auto& job : config.scrape_configs) {
    auto it = pools_.find(job.job_name);
    if (it != pools_.end() && it->second->config() == job) {
      pools[job.job_name] = std::move(it->second);
      continue;
    }
    auto shared_job = std::make_shared<const config::ScrapeConfig>(job);
    auto pool = std::make_unique<ScrapePool>(shared_job, NewHttpFetcher(loop_, *shared_job),
                                             timers_, storage_, metrics_);
    pools[job.job_name] = std::move(pool);
  }
  for (auto& [name, pool] : pools_) {
    if (pool) pool->Stop();  // Jobs removed or changed.
  }
  pools_ = std::move(pools);
  for (auto& [name, pool] : pools_) pool->Start();
  return Status::Ok();
}

void ScrapeManager::Stop() {
  absl::MutexLock lock(&mu_);
  for (auto& [name, pool] : pools_) pool->Stop();
}

std::vector<JobTargets> ScrapeManager::Targets() const {
  absl::MutexLock lock(&mu_);
  std::vector<JobTargets> out;
  for (const auto& [name, pool] : pools_) {
    out.push_back({name, pool->ActiveTargets(), pool->DroppedTargets()});
  }
  return out;
}

std::vector<TargetMetadata> ScrapeManager::Metadata() const {
  absl::MutexLock lock(&mu_);
  std::vector<TargetMetadata> out;
  for (const auto& [name, pool] : pools_) {
    auto targets = pool->Metadata();
    std::move(targets.begin(), targets.end(), std::back_inserter(out));
  }
  return out;
}

}  // namespace argus::scrape
