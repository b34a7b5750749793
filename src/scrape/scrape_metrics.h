#pragma once

#include "base/metrics.h"

namespace argus::scrape {

// What scraping counts for Argus' own /metrics, with Prometheus' names where it has them.
// Registered once per process; shared by every pool and loop. Thread-safe.
struct ScrapeMetrics {
  explicit ScrapeMetrics(MetricsRegistry& registry);

  Counter& scrapes;
  Counter& failed_scrapes;
  Counter& exceeded_sample_limit;
  Counter& exceeded_body_size_limit;
  Counter& out_of_order;
  Counter& duplicate_timestamp;
  Counter& out_of_bounds;
  Counter& pools_created;
  // Discovered targets that cannot be scraped (no address, a URL for an address), by scrape_job:
  // as in Prometheus they are logged and counted here, neither active nor dropped.
  CounterFamily& sync_failed;
  Gauge& active_targets;
};

}  // namespace argus::scrape
