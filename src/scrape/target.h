#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "base/status.h"
#include "config/config.h"
#include "discovery/discoverer.h"
#include "model/labels.h"

namespace argus::scrape {

// The labels of a target, derived from what discovery found as Prometheus 2.42's PopulateLabels
// derives them: job, __scheme__, __metrics_path__, __scrape_interval__, __scrape_timeout__ and
// __param_<name> filled in where missing, relabel_configs applied, a default port added to an
// address without one, __meta_* labels removed, instance defaulting to __address__.
struct TargetLabels {
  model::Labels labels;      // Including the remaining __* labels that configure the scrape.
  model::Labels discovered;  // Before relabeling.
};

// Returns nullopt when relabeling dropped the target, or an error (no address, invalid address
// or label value) that says why the target cannot be scraped.
Result<std::optional<TargetLabels>> PopulateLabels(const model::Labels& discovered,
                                                   const config::ScrapeConfig& config);

// The labels every sample of the target gets: `labels` without the ones starting with "__".
model::Labels PublicLabels(const model::Labels& labels);

// The URL to scrape: __scheme__://__address____metrics_path__?__param_*.
std::string ScrapeUrl(const model::Labels& labels);

// The target's interval and timeout: __scrape_interval__ / __scrape_timeout__ if they parse,
// else the job's.
std::chrono::milliseconds TargetInterval(const model::Labels& labels,
                                         const config::ScrapeConfig& config);
std::chrono::milliseconds TargetTimeout(const model::Labels& labels,
                                        const config::ScrapeConfig& config);

}  // namespace argus::scrape
