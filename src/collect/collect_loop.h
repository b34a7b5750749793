#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "collect/collector.h"
#include "collect/sample_writer.h"
#include "scrape/metadata.h"
#include "scrape/scrape_loop.h"
#include "storage/appender.h"

namespace argus::collect {

// One collector as a target: each RunOnce is one collection, written in one transaction with the
// same synthetic series a scrape gets (up, scrape_duration_seconds, scrape_samples_scraped,
// scrape_series_added) under the target labels `target` (job and instance). Series that a
// collection no longer has, and every series on MarkStale, get staleness markers. Timestamps come
// from `clock`. `storage` and `clock` must outlive the loop. Thread-safe.
class CollectLoop {
 public:
  CollectLoop(std::unique_ptr<Collector> collector, model::Labels target,
              storage::Appendable& storage, const Clock& clock);

  // Collects once, now; does nothing after MarkStale.
  void RunOnce() ABSL_LOCKS_EXCLUDED(mu_);
  // Writes staleness markers for every series, synthetic ones included: the collector is gone,
  // and a collection that was about to start when it went does not bring the series back.
  void MarkStale() ABSL_LOCKS_EXCLUDED(mu_);

  // The last collection, as a scraped target's last scrape: unknown before the first.
  struct Health {
    scrape::Health state = scrape::Health::kUnknown;
    std::string last_error;
    int64_t last_collection_ms = 0;  // When it started.
    double last_duration_seconds = 0;
  };
  Health health() const ABSL_LOCKS_EXCLUDED(mu_);
  // The type and help of every metric family that the collector wrote so far (the synthetic
  // series have none, as for a scraped target), sorted by name.
  std::vector<scrape::MetricMetadata> Metadata() const ABSL_LOCKS_EXCLUDED(mu_);
  const model::Labels& target() const { return target_; }

 private:
  const std::unique_ptr<Collector> collector_;
  const model::Labels target_;
  storage::Appendable& storage_;
  const Clock& clock_;
  // Held through a whole collection, storage appends included: before the storage's locks.
  mutable absl::Mutex mu_;
  SampleWriter writer_ ABSL_GUARDED_BY(mu_);
  Health health_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace argus::collect
