#include "collect/collect_loop.h"

#include <algorithm>
#include <chrono>

#include "base/log.h"

namespace argus::collect {
namespace {

// The names Prometheus gives the synthetic series of a scrape; no help or type, since a scraped
// target's metadata does not describe them either.
constexpr MetricDesc kUp{"up", {}, model::MetricType::kUnknown};
constexpr MetricDesc kDuration{"scrape_duration_seconds", {}, model::MetricType::kUnknown};
constexpr MetricDesc kSamples{"scrape_samples_scraped", {}, model::MetricType::kUnknown};
constexpr MetricDesc kAdded{"scrape_series_added", {}, model::MetricType::kUnknown};

}  // namespace

CollectLoop::CollectLoop(std::unique_ptr<Collector> collector, model::Labels target,
                         storage::Appendable& storage, const Clock& clock)
    : collector_(std::move(collector)),
      target_(target),
      storage_(storage),
      clock_(clock),
      writer_(std::move(target)) {}

void CollectLoop::RunOnce() {
  absl::MutexLock lock(&mu_);
  if (stopped_) return;
  int64_t t = clock_.NowMillis();
  auto start = std::chrono::steady_clock::now();
  auto app = storage_.NewAppender();
  writer_.Begin(*app, t);
  Status status = collector_->Collect(writer_);
  size_t samples = writer_.samples();
  size_t added = writer_.series_added();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writer_.SetScope({});
  writer_.Add(kUp, status.ok() ? 1 : 0);
  writer_.Add(kDuration, seconds);
  writer_.Add(kSamples, static_cast<double>(samples));
  writer_.Add(kAdded, static_cast<double>(added));
  writer_.End();
  Status committed = app->Commit();
  if (!committed.ok()) {
    log::Error("Cannot store a collection",
               {{"job", target_.Get("job")}, {"err", committed.message()}});
  }
  scrape::Health state = status.ok() ? scrape::Health::kUp : scrape::Health::kDown;
  if (state != health_.state || status.message() != health_.last_error) {
    if (status.ok()) {
      log::Info("Collector is up", {{"job", target_.Get("job")}});
    } else {
      log::Warn("Collector is down", {{"job", target_.Get("job")}, {"err", status.message()}});
    }
  }
  health_ = {state, status.message(), t, seconds};
}

void CollectLoop::MarkStale() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  auto app = storage_.NewAppender();
  writer_.MarkAllStale(*app, clock_.NowMillis());
  (void)app->Commit();
}

CollectLoop::Health CollectLoop::health() const {
  absl::MutexLock lock(&mu_);
  return health_;
}

std::vector<scrape::MetricMetadata> CollectLoop::Metadata() const {
  std::vector<scrape::MetricMetadata> out;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [name, m] : writer_.metadata()) out.push_back({name, m.type, m.help, ""});
  }
  std::ranges::sort(out, {}, &scrape::MetricMetadata::metric);
  return out;
}

}  // namespace argus::collect
