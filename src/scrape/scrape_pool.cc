#include "scrape/scrape_pool.h"

#include <spdlog/spdlog.h>

#include <boost/asio/steady_timer.hpp>

#include "discovery/file_discoverer.h"
#include "discovery/static_discoverer.h"

namespace argus::scrape {

// Schedules one target's scrapes on the event loop and hands what they fetch to its ScrapeLoop.
class ScrapePool::Runner : public std::enable_shared_from_this<Runner> {
 public:
  Runner(std::unique_ptr<ScrapeLoop> loop, http::EventLoop& events, Fetcher& fetcher,
         const Clock& clock, uint64_t hash)
      : loop_(std::move(loop)),
        timer_(events.context()),
        fetcher_(fetcher),
        clock_(clock),
        hash_(hash) {}

  // The first scrape comes at the target's offset within the interval, so that targets spread
  // out and each keeps its slot across restarts.
  void Start() {
    int64_t interval = loop_->interval().count();
    int64_t now = clock_.NowMillis();
    int64_t offset = static_cast<int64_t>(hash_ % static_cast<uint64_t>(interval));
    int64_t wait = ((offset - now % interval) % interval + interval) % interval;
    next_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
    Schedule();
  }

  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    timer_.cancel();
  }

  ScrapeLoop& loop() { return *loop_; }

 private:
  void Schedule() {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    timer_.expires_at(next_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec) self->Scrape();
    });
  }

  void Scrape() {
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
    }
    // One scrape at a time per target, so previous_ms_ needs no lock.
    int64_t start_ms = AlignedScrapeTime(clock_.NowMillis(), previous_ms_, loop_->interval());
    previous_ms_ = start_ms;
    auto start = std::chrono::steady_clock::now();
    fetcher_.Fetch(
        loop_->url(), loop_->timeout(),
        [self = shared_from_this(), start_ms, start](Result<Fetched> fetched) {
          {
            std::lock_guard lock(self->mu_);
            if (self->stopped_) return;
          }
          double seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          self->loop_->Report(start_ms, seconds, std::move(fetched));
          self->Advance();
          self->Schedule();
        });
  }

  // The next slot after now, keeping the target's phase even when a scrape ran long.
  void Advance() {
    auto now = std::chrono::steady_clock::now();
    do next_ += loop_->interval();
    while (next_ <= now);
  }

  std::unique_ptr<ScrapeLoop> loop_;
  std::mutex mu_;
  bool stopped_ = false;  // Guarded by mu_.
  boost::asio::steady_timer timer_;
  Fetcher& fetcher_;
  const Clock& clock_;
  uint64_t hash_;
  std::chrono::steady_clock::time_point next_;
  int64_t previous_ms_ = 0;  // The timestamp of the previous scrape.
};

ScrapePool::ScrapePool(std::shared_ptr<const config::ScrapeConfig> config, http::EventLoop& loop,
                       storage::Appendable& storage, const Clock& clock, ScrapeMetrics& metrics)
    : config_(std::move(config)),
      loop_(loop),
      storage_(storage),
      clock_(clock),
      metrics_(metrics),
      fetcher_(NewHttpFetcher(loop, *config_)) {
  metrics_.pools_created.Inc();
  if (!config_->static_configs.empty()) {
    discoverers_.push_back(discovery::NewStaticDiscoverer(config_->static_configs));
  }
  for (const auto& file_sd : config_->file_sd_configs) {
    discoverers_.push_back(std::make_unique<discovery::FileDiscoverer>(file_sd, loop));
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
  std::lock_guard lock(mu_);
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
  std::lock_guard lock(mu_);
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
        model::LabelsBuilder b(group.labels);
        for (const auto& l : target) b.Set(l.name, l.value);
        model::Labels discovered = b.Build();
        auto populated = PopulateLabels(discovered, *config_);
        if (!populated.ok()) {
          spdlog::warn(
              "msg=\"Dropping a target that cannot be scraped\" job={} target={} err=\"{}\"",
              config_->job_name, discovered.ToString(), populated.status().message());
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
    spdlog::error("msg=\"target_limit exceeded; not scraping the job\" job={} targets={} limit={}",
                  config_->job_name, wanted.size(), config_->target_limit);
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
    auto runner = std::make_shared<Runner>(std::move(loop), loop_, *fetcher_, clock_, hash);
    runner->Start();
    runners_.emplace(hash, std::move(runner));
    metrics_.active_targets.Add(1);
  }
}

std::vector<TargetStatus> ScrapePool::ActiveTargets() const {
  std::lock_guard lock(mu_);
  std::vector<TargetStatus> out;
  for (const auto& [hash, runner] : runners_) out.push_back(runner->loop().Status());
  return out;
}

std::vector<TargetMetadata> ScrapePool::Metadata() const {
  std::lock_guard lock(mu_);
  std::vector<TargetMetadata> out;
  for (const auto& [hash, runner] : runners_) {
    const ScrapeLoop& loop = runner->loop();
    out.push_back({config_->job_name, loop.public_labels(), loop.Metadata()});
  }
  return out;
}

std::vector<TargetStatus> ScrapePool::DroppedTargets() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace argus::scrape
