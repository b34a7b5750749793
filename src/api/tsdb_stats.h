#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/querier.h"

namespace argus::api {

// What /api/v1/status/tsdb reports about the series the storage holds, in Prometheus' terms.
struct TsdbStats {
  struct Head {
    uint64_t num_series = 0;
    uint64_t num_label_pairs = 0;  // Distinct name=value pairs.
    uint64_t chunk_count = 0;      // 0 where the storage has no chunks.
    int64_t min_time = 0;          // Oldest and newest sample, in milliseconds.
    int64_t max_time = 0;
  };
  struct Entry {
    std::string name;
    uint64_t value = 0;
    bool operator==(const Entry&) const = default;
  };
  Head head;
  // Each list holds the `limit` largest entries, largest first, ties by name.
  std::vector<Entry> series_count_by_metric_name;
  std::vector<Entry> label_value_count_by_label_name;
  std::vector<Entry> memory_in_bytes_by_label_name;     // Bytes of the label's distinct values.
  std::vector<Entry> series_count_by_label_value_pair;  // "name=value".
};

// Computes the statistics with at most `limit` entries per list. The TSDB answers this from its
// index; TsdbStatsOf works over any storage. Must be thread-safe.
using TsdbStatsFunc = std::function<Result<TsdbStats>(size_t limit)>;

// Statistics of everything `storage` holds, by reading every series and sample once: correct for
// any storage, but slow for a large one. `storage` must outlive the function.
TsdbStatsFunc TsdbStatsOf(storage::Queryable& storage);

}  // namespace argus::api
