#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/metrics.h"
#include "collect/collector.h"
#include "model/labels.h"

namespace argus::collect {

// Argus' own metrics, exactly as /metrics serves them, collected in-process rather than scraped
// over HTTP: the series are there whatever address the server listens on, and nothing else that
// listens on some port is mistaken for it. Each collection renders `registry` in the text format
// and reads it back with the exposition parser; families' types and help texts come from its TYPE
// and HELP lines. Fails only if that text does not parse. `registry` must outlive the collector.
// Used by one thread at a time.
class SelfCollector final : public Collector {
 public:
  explicit SelfCollector(const MetricsRegistry& registry) : registry_(registry) {}
  Status Collect(SampleWriter& out) override;

 private:
  // Forgets the help and type of the previous family if `family` is another.
  void StartFamily(std::string_view family);

  const MetricsRegistry& registry_;
  // Reused from one collection to the next, so that a collection allocates little once they
  // have grown.
  std::string text_;
  std::string family_;  // Of the latest TYPE or HELP line.
  std::string help_;
  model::MetricType type_ = model::MetricType::kUnknown;
  model::LabelsBuilder labels_;
  std::vector<LabelPair> pairs_;
};

}  // namespace argus::collect
