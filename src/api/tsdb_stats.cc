#include "api/tsdb_stats.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>

#include "model/labels.h"

namespace argus::api {
namespace {

std::vector<TsdbStats::Entry> Top(std::vector<TsdbStats::Entry> entries, size_t limit) {
  auto larger = [](const TsdbStats::Entry& a, const TsdbStats::Entry& b) {
    return a.value != b.value ? a.value > b.value : a.name < b.name;
  };
  size_t n = std::min(limit, entries.size());
  std::partial_sort(entries.begin(), entries.begin() + n, entries.end(), larger);
  entries.resize(n);
  return entries;
}

}  // namespace

void FillCardinality(const LabelPairCounts& pairs, size_t limit, TsdbStats* stats) {
  std::vector<TsdbStats::Entry> by_metric, value_counts, memory, by_pair;
  for (const auto& [name, values] : pairs) {
    value_counts.push_back({name, values.size()});
    uint64_t bytes = 0;
    for (const auto& [value, count] : values) {
      bytes += value.size();
      by_pair.push_back({name + "=" + value, count});
      if (name == model::kMetricName) by_metric.push_back({value, count});
    }
    memory.push_back({name, bytes});
    stats->head.num_label_pairs += values.size();
  }
  stats->series_count_by_metric_name = Top(std::move(by_metric), limit);
  stats->label_value_count_by_label_name = Top(std::move(value_counts), limit);
  stats->memory_in_bytes_by_label_name = Top(std::move(memory), limit);
  stats->series_count_by_label_value_pair = Top(std::move(by_pair), limit);
}

}  // namespace argus::api
