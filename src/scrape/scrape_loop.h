#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "scrape/fetcher.h"
#include "scrape/metadata.h"
#include "scrape/scrape_metrics.h"
#include "scrape/target.h"
#include "storage/appender.h"
#include "textparse/parser.h"

namespace argus::scrape {

enum class Health { kUnknown, kUp, kDown };

// A snapshot of one target for the API and the targets page.
struct TargetStatus {
  model::Labels labels;      // Including __* labels.
  model::Labels discovered;  // Before relabeling.
  std::string url;
  Health health = Health::kUnknown;
  std::string last_error;
  int64_t last_scrape_ms = 0;
  double last_duration_seconds = 0;
  std::chrono::milliseconds interval{0};
  std::chrono::milliseconds timeout{0};
};

// How far a scrape's start may stray from its slot (the previous start plus the interval) and
// still be recorded at the slot, as Prometheus 2.42 does with --scrape.timestamp-tolerance=2ms:
// regular timestamps compress to almost nothing.
inline constexpr int64_t kScrapeTimestampToleranceMs = 2;

// The timestamp to record for a scrape that started at `now_ms` when the previous one was
// recorded at `previous_ms` (0: none): the slot when within the tolerance and the interval is
// over 100 times the tolerance, else `now_ms`.
int64_t AlignedScrapeTime(int64_t now_ms, int64_t previous_ms, std::chrono::milliseconds interval);

// The targets of one job (scrape pool).
struct JobTargets {
  std::string job;
  std::vector<TargetStatus> active;
  std::vector<TargetStatus> dropped;
};

// Turns what one target's scrapes fetched into samples, as Prometheus 2.42's scrape loop does:
// parse by Content-Type, target labels (honor_labels), metric_relabel_configs, limits, one
// transaction per scrape, the synthetic up/scrape_* series, and staleness markers for series that
// disappear. It keeps a cache keyed by the raw series text, so a scrape that sees known series
// decodes and relabels nothing. Scheduling is the pool's: this class only reports. Thread-safe.
class ScrapeLoop {
 public:
  ScrapeLoop(TargetLabels target, std::shared_ptr<const config::ScrapeConfig> config,
             storage::Appendable& storage, ScrapeMetrics& metrics);

  // Records a scrape that started at `start_ms` (wall clock) and took `duration_seconds`.
  void Report(int64_t start_ms, double duration_seconds, Result<Fetched> fetched);

  // Writes staleness markers at `t_ms` for every series of the last successful scrape and for
  // the synthetic series: the target is gone.
  void MarkStale(int64_t t_ms);

  TargetStatus Status() const;
  // The TYPE, HELP and UNIT lines of recent scrapes, sorted by family name.
  std::vector<MetricMetadata> Metadata() const;
  const model::Labels& public_labels() const { return public_labels_; }
  const std::string& url() const { return url_; }
  std::chrono::milliseconds interval() const { return interval_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  // A series as the target wrote it, known by a 128-bit hash of its text: the label set itself
  // lives only in the storage, which finds the series by its ref. At a million series this keeps
  // the cache at a few dozen bytes per series.
  struct SeriesKey {
    uint64_t low, high;
    bool operator==(const SeriesKey&) const = default;
    template <typename H>
    friend H AbslHashValue(H h, const SeriesKey& k) {
      return H::combine(std::move(h), k.low, k.high);
    }
  };
  struct CacheEntry {
    storage::SeriesRef ref = 0;  // 0 until the storage accepted a sample of it.
    uint64_t last_seen = 0;      // The last successful scrape (iteration) that had it; 0: none.
    bool dropped = false;        // By metric relabeling.
    bool seen_now = false;       // In the scrape being appended.
  };
  struct Counts {
    double scraped = 0;
    double kept = 0;
    double added = 0;
  };

  argus::Status AppendBody(storage::Appender& app, const Fetched& fetched, int64_t t,
                           Counts* counts) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Decodes, checks and relabels the parser's current series into *labels; sets entry->dropped
  // when metric relabeling drops it.
  argus::Status DecodeSeries(const textparse::Parser& parser, CacheEntry* entry,
                             model::Labels* labels) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Appends the parser's current sample; decodes its labels when the storage needs them.
  argus::Status AppendSample(storage::Appender& app, const textparse::Parser& parser,
                             CacheEntry* entry, model::Labels* labels, int64_t t, Counts* counts)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Ends a scrape in the cache: series seen now stay (unless `all`); the others leave it, with a
  // staleness marker if the last successful scrape had them.
  void AppendStaleMarkers(storage::Appender& app, int64_t t, bool all)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void AppendReport(storage::Appender& app, int64_t t, bool up, double duration,
                    const Counts& counts) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  argus::Status CheckLimits(const model::Labels& labels) const;

  std::shared_ptr<const config::ScrapeConfig> config_;
  storage::Appendable& storage_;
  ScrapeMetrics& metrics_;
  const TargetLabels target_;
  const model::Labels public_labels_;
  const std::string url_;
  const std::chrono::milliseconds interval_;
  const std::chrono::milliseconds timeout_;

  mutable absl::Mutex mu_;
  absl::flat_hash_map<SeriesKey, CacheEntry> cache_ ABSL_GUARDED_BY(mu_);
  MetadataCache metadata_ ABSL_GUARDED_BY(mu_);
  uint64_t iteration_ ABSL_GUARDED_BY(mu_) = 0;  // One per successful scrape.
  std::array<model::Labels, 5> report_labels_;
  std::array<storage::SeriesRef, 5> report_refs_ ABSL_GUARDED_BY(mu_){};
  bool reported_ ABSL_GUARDED_BY(mu_) = false;
  Health health_ ABSL_GUARDED_BY(mu_) = Health::kUnknown;
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  int64_t last_scrape_ms_ ABSL_GUARDED_BY(mu_) = 0;
  double last_duration_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace argus::scrape
