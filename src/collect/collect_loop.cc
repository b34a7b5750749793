#include "collect/collect_loop.h"

#include <chrono>

#include "base/log.h"

namespace argus::collect {
namespace {

// The names Prometheus gives the synthetic series of a scrape.
constexpr MetricDesc kUp{"up", "Whether the last collection succeeded.", model::MetricType::kGauge};
constexpr MetricDesc kDuration{"scrape_duration_seconds", "How long the last collection took.",
                               model::MetricType::kGauge};
constexpr MetricDesc kSamples{"scrape_samples_scraped", "Samples that the last collection read.",
                              model::MetricType::kGauge};
constexpr MetricDesc kAdded{"scrape_series_added", "Series that the last collection added.",
                            model::MetricType::kGauge};

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
  if (status.ok() != health_.up || status.message() != health_.last_error) {
    if (status.ok()) {
      log::Info("Collector is up", {{"job", target_.Get("job")}});
    } else {
      log::Warn("Collector is down", {{"job", target_.Get("job")}, {"err", status.message()}});
    }
  }
  health_ = {status.ok(), status.message(), t};
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

}  // namespace argus::collect
