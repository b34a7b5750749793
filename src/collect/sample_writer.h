#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "model/labels.h"
#include "model/metric_type.h"
#include "storage/appender.h"

namespace argus::collect {

using LabelPair = std::pair<std::string_view, std::string_view>;

// What a metric is, as its exporter documents it: node_exporter's and cAdvisor's names, types and
// help texts. The views must stay valid for the call that passes them. A series without help or
// type gets no metadata: a collector that describes its families with SampleWriter::Describe
// leaves them empty.
struct MetricDesc {
  std::string_view name;
  std::string_view help;
  model::MetricType type = model::MetricType::kGauge;
};

struct Metadata {
  std::string help;
  model::MetricType type = model::MetricType::kUnknown;
};

// Turns one collector's readings into samples of series labelled with the collector's target
// labels (job, instance), one collection at a time, as a scrape loop does for a scraped body: a
// series cache keyed by scope, then by metric name and label values (so that a look-up hashes a
// container's long labels once per container, not once per sample), with which a collection of
// known series builds no labels and allocates nothing; and staleness markers for series that a
// collection no longer has (a container that stopped, a disk that went away).
//
// Used by one thread at a time. Between Begin and End, the Appender passed to Begin must stay
// live; nothing is committed here.
class SampleWriter {
 public:
  explicit SampleWriter(model::Labels target) : target_(std::move(target)) {}

  // Starts a collection whose samples are stamped `t_ms`.
  void Begin(storage::Appender& app, int64_t t_ms);
  // Labels added to every following sample, until the next SetScope; `labels` must stay live
  // until then. Empty values are dropped, as everywhere in Prometheus.
  void SetScope(std::span<const LabelPair> labels) {
    scope_ = labels;
    scope_series_ = nullptr;
  }
  // Appends `v` for the series `metric{scope..., labels...}`. A sample that the storage rejects
  // (out of order after a clock step) is dropped; the series stays known.
  void Add(const MetricDesc& metric, std::span<const LabelPair> labels, double v);
  void Add(const MetricDesc& metric, std::initializer_list<LabelPair> labels, double v) {
    Add(metric, std::span<const LabelPair>(labels.begin(), labels.size()), v);
  }
  void Add(const MetricDesc& metric, double v) { Add(metric, std::span<const LabelPair>(), v); }
  // Records the help and type of metric family `family`, replacing what was known: for a
  // collector that learns them from what it reads, where a family's series may have other names
  // (a histogram's _bucket, _sum and _count).
  void Describe(const MetricDesc& family);
  // Ends the collection: every series that the previous collection had and this one did not gets
  // a staleness marker and leaves the cache.
  void End();
  // Marks every series of the last collection stale at `t_ms` and forgets them: the collector is
  // gone.
  void MarkAllStale(storage::Appender& app, int64_t t_ms);

  // Samples and new series of the current (or last) collection.
  size_t samples() const { return samples_; }
  size_t series_added() const { return added_; }
  // HELP and TYPE of every metric family written so far, by name.
  const absl::flat_hash_map<std::string, Metadata>& metadata() const { return metadata_; }

 private:
  struct Entry {
    storage::SeriesRef ref = 0;
    model::Labels labels;
    uint64_t generation = 0;  // The last collection that wrote it.
  };
  // A scope's series, by metric name and label values.
  using ScopeSeries = absl::flat_hash_map<std::string, Entry>;
  void AppendKey(std::string_view name, std::string_view value);
  model::Labels BuildLabels(const MetricDesc& metric, std::span<const LabelPair> labels);
  ScopeSeries& CurrentScope();

  const model::Labels target_;
  absl::flat_hash_map<std::string, ScopeSeries> cache_;  // By the scope's label pairs.
  ScopeSeries* scope_series_ = nullptr;                  // scope_'s, once looked up.
  absl::flat_hash_map<std::string, Metadata> metadata_;
  std::span<const LabelPair> scope_;
  storage::Appender* app_ = nullptr;
  int64_t t_ms_ = 0;
  uint64_t generation_ = 0;
  size_t samples_ = 0;
  size_t added_ = 0;
  std::string key_;  // Reused for every look-up.
  model::LabelsBuilder builder_;
};

}  // namespace argus::collect
