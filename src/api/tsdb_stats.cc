#include "api/tsdb_stats.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <limits>

#include "api/params.h"

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

Result<TsdbStats> Compute(storage::Queryable& storage, size_t limit) {
  auto querier = storage.NewQuerier(kMinTime, kMaxTime);
  auto all = model::Matcher::Make(model::Matcher::Type::kRegexMatch, "__name__", ".+");
  if (!all.ok()) return all.status();
  auto set = querier->Select(std::span(&*all, 1));

  // Series per label pair: everything else follows from these.
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, uint64_t>> pairs;
  TsdbStats stats;
  stats.head.min_time = std::numeric_limits<int64_t>::max();
  stats.head.max_time = std::numeric_limits<int64_t>::min();
  while (set->Next()) {
    const storage::Series& series = set->At();
    ++stats.head.num_series;
    for (const auto& l : series.labels()) ++pairs[l.name][l.value];
    auto it = series.Iterator();
    while (it->Next()) {
      stats.head.min_time = std::min(stats.head.min_time, it->t());
      stats.head.max_time = std::max(stats.head.max_time, it->t());
    }
    ARGUS_RETURN_IF_ERROR(it->Err());
  }
  ARGUS_RETURN_IF_ERROR(set->Err());

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
    stats.head.num_label_pairs += values.size();
  }
  stats.series_count_by_metric_name = Top(std::move(by_metric), limit);
  stats.label_value_count_by_label_name = Top(std::move(value_counts), limit);
  stats.memory_in_bytes_by_label_name = Top(std::move(memory), limit);
  stats.series_count_by_label_value_pair = Top(std::move(by_pair), limit);
  return stats;
}

}  // namespace

TsdbStatsFunc TsdbStatsOf(storage::Queryable& storage) {
  return [&storage](size_t limit) { return Compute(storage, limit); };
}

}  // namespace argus::api
