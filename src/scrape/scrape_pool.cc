#include "scrape/scrape_pool.h"

#include <algorithm>

#include "base/log.h"
#include "base/periodic_task.h"
#include "discovery/file_discoverer.h"
#include "discovery/static_discoverer.h"

namespace argus::scrape {

// Scrapes one target, once per slot of a PeriodicTask, and hands what a fetch brings to the
// target's ScrapeLoop. A fetch outlives the task's run that started it: a slot that comes while
// one is still out is skipped.
class ScrapePool::Runner : public std::enable_shared_from_this<Runner> {
 public:
  Runner(std::unique_ptr<ScrapeLoop> loop, TimerSource& timers, Fetcher& fetcher, uint64_t hash)
      : loop_(std::move(loop)),
        fetcher_(fetcher),
        clock_(timers.clock()),
        task_(timers,
              {.interval = loop_->interval(),
               .offset = std::chrono::milliseconds(
                   hash % static_cast<uint64_t>(loop_->interval().count()))},
              [this] { Scrape(); }) {}

  void Start() { task_.Start(); }

  // Once this returns, no scrape starts, and none that was out is recorded: the caller may mark
  // the target's series stale.
  void Stop() {
    task_.Stop();
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }

  ScrapeLoop& loop() { return *loop_; }

 private:
  void Scrape() {
    {
      absl::MutexLock lock(&mu_);
      if (fetching_) return;  // The last fetch overran this slot.
      fetching_ = true;
    }
    // The task's runs never overlap, so previous_ms_ needs no lock.
    Clock::time_point start = clock_.Now();
    int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
    int64_t start_ms = AlignedScrapeTime(now_ms, previous_ms_, loop_->interval());
    previous_ms_ = start_ms;
    // The fetch may call back before Fetch returns.
    fetcher_.Fetch(loop_->url(), loop_->timeout(),
                   [self = shared_from_this(), start_ms, start](Result<Fetched> fetched) {
                     self->Report(start_ms, start, std::move(fetched));
                   });
  }

  void Report(int64_t start_ms, Clock::time_point start, Result<Fetched> fetched) {
    // Report under the lock, so that Stop, and the staleness markers after it, wait for it.
    absl::MutexLock lock(&mu_);
    fetching_ = false;
    if (stopped_) return;
    double seconds = std::max(0.0, std::chrono::duration<double>(clock_.Now() - start).count());
    loop_->Report(start_ms, seconds, std::move(fetched));
  }

  const std::unique_ptr<ScrapeLoop> loop_;
  Fetcher& fetcher_;
  const Clock& clock_;
  int64_t previous_ms_ = 0;  // The timestamp of the previous scrape.
  absl::Mutex mu_;
  bool fetching_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  // Last, so that it stops first.
  PeriodicTask task_;
};

ScrapePool::ScrapePool(std::shared_ptr<const config::ScrapeConfig> config,
                       std::unique_ptr<Fetcher> fetcher, TimerSource& timers,
                       storage::Appendable& storage, ScrapeMetrics& metrics)
    : config_(std::move(config)),
      timers_(timers),
      storage_(storage),
      clock_(timers_.clock()),
      metrics_(metrics),
      fetcher_(std::move(fetcher)) {
  metrics_.pools_created.Inc();
  if (!config_->static_configs.empty()) {
    discoverers_.push_back(discovery::NewStaticDiscoverer(config_->static_configs));
  }
  for (const auto& file_sd : config_->file_sd_configs) {
    discoverers_.push_back(std::make_unique<discovery::FileDiscoverer>(file_sd, timers_));
  }
}

ScrapePool::~ScrapePool() { Stop(); }

void ScrapePool::Start() {
  for (size_t i = 0; i < discoverers_.size(); ++i) {
    discoverers_[i]->Start(
        [this, i](std::vector<discovery::TargetGroup> groups) { Update(i, std::move(groups)); });
  }
}

void ScrapePool::Stop() {
  for (auto& d : discoverers_) d->Stop();
  absl::MutexLock lock(&mu_);
  if (stopped_) return;
  stopped_ = true;
  int64_t now = clock_.NowMillis();
  for (auto& [hash, runner] : runners_) {
    runner->Stop();
    runner->loop().MarkStale(now);
  }
  metrics_.active_targets.Add(-static_cast<double>(runners_.size()));
  runners_.clear();
}

void ScrapePool::Update(size_t index, std::vector<discovery::TargetGroup> groups) {
  absl::MutexLock lock(&mu_);
  if (stopped_) return;
  groups_[index] = std::move(groups);
  Sync();
}

void ScrapePool::Sync() {
  std::map<uint64_t, TargetLabels> wanted;
  dropped_.clear();
  for (const auto& [index, groups] : groups_) {
    for (const auto& group : groups) {
      for (const auto& target : group.targets) {
        model::Labels discovered = discovery::DiscoveredLabels(group, target);
        auto populated = PopulateLabels(discovered, *config_);
        if (!populated.ok()) {
          log::Warn("Dropping a target that cannot be scraped",
                    {{"job", config_->job_name},
                     {"target", discovered.ToString()},
                     {"err", populated.status().message()}});
          metrics_.sync_failed.WithLabels({config_->job_name}).Inc();
          continue;
        }
        if (!populated->has_value()) {
          TargetStatus dropped;
          dropped.discovered = discovered;
          dropped_.push_back(std::move(dropped));
          continue;
        }
        uint64_t hash = (*populated)->labels.Hash();
        wanted.emplace(hash, std::move(**populated));
      }
    }
  }
  if (config_->target_limit > 0 && wanted.size() > config_->target_limit) {
    log::Error(
        "target_limit exceeded; not scraping the job",
        {{"job", config_->job_name}, {"targets", wanted.size()}, {"limit", config_->target_limit}});
    wanted.clear();
  }
  int64_t now = clock_.NowMillis();
  for (auto it = runners_.begin(); it != runners_.end();) {
    if (wanted.count(it->first) > 0) {
      ++it;
      continue;
    }
    it->second->Stop();
    it->second->loop().MarkStale(now);
    metrics_.active_targets.Add(-1);
    it = runners_.erase(it);
  }
  for (auto& [hash, labels] : wanted) {
    if (runners_.count(hash) > 0) continue;
    auto loop = std::make_unique<ScrapeLoop>(std::move(labels), config_, storage_, metrics_);
    auto runner = std::make_shared<Runner>(std::move(loop), timers_, *fetcher_, hash);
    runner->Start();
    runners_.emplace(hash, std::move(runner));
    metrics_.active_targets.Add(1);
  }
}

std::vector<TargetStatus> ScrapePool::ActiveTargets() const {
  absl::MutexLock lock(&mu_);
  std::vector<TargetStatus> out;
  for (const auto& [hash, runner] : runners_) out.push_back(runner->loop().Status());
  return out;
}

std::vector<TargetMetadata> ScrapePool::Metadata() const {
  absl::MutexLock lock(&mu_);
  std::vector<TargetMetadata> out;
  for (const auto& [hash, runner] : runners_) {
    const ScrapeLoop& loop = runner->loop();
    out.push_back({config_->job_name, loop.public_labels(), loop.Metadata()});
  }
  return out;
}

std::vector<TargetStatus> ScrapePool::DroppedTargets() const {
  absl::MutexLock lock(&mu_);
  return dropped_;
}

}  // namespace argus::scrape
