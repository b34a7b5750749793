#include "scrape/scrape_metrics.h"

namespace argus::scrape {

ScrapeMetrics::ScrapeMetrics(MetricsRegistry& r)
    : scrapes(r.AddCounter("argus_scrapes_total", "Scrapes attempted.")),
      failed_scrapes(r.AddCounter("argus_scrape_failures_total",
                                  "Scrapes that failed (up=0): unreachable targets, bad "
                                  "responses, exceeded limits.")),
      exceeded_sample_limit(r.AddCounter("prometheus_target_scrapes_exceeded_sample_limit_total",
                                         "Total number of scrapes that hit the sample limit and "
                                         "were rejected.")),
      exceeded_body_size_limit(
          r.AddCounter("prometheus_target_scrapes_exceeded_body_size_limit_total",
                       "Total number of scrapes that hit the body size limit")),
      out_of_order(r.AddCounter("prometheus_target_scrapes_sample_out_of_order_total",
                                "Total number of samples rejected due to not being out of the "
                                "expected order.")),
      duplicate_timestamp(
          r.AddCounter("prometheus_target_scrapes_sample_duplicate_timestamp_total",
                       "Total number of samples rejected due to duplicate timestamps but "
                       "different values.")),
      out_of_bounds(r.AddCounter("prometheus_target_scrapes_sample_out_of_bounds_total",
                                 "Total number of samples rejected due to timestamp falling "
                                 "outside of the time bounds.")),
      pools_created(r.AddCounter("prometheus_target_scrape_pools_total",
                                 "Total number of scrape pool creation attempts.")),
      sync_failed(r.AddCounterFamily("prometheus_target_sync_failed_total",
                                     "Total number of target sync failures.", {"scrape_job"})),
      active_targets(r.AddGauge("argus_scrape_targets", "Targets being scraped.")) {}

}  // namespace argus::scrape
