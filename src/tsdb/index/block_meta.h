#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tsdb/index/ulid.h"

namespace argus::tsdb {

// A block's meta.json, in Prometheus' shape (docs/format/block.md). Times are milliseconds since
// the epoch; max_time is exclusive, as in Prometheus.
struct BlockMeta {
  struct Parent {
    Ulid ulid;
    int64_t min_time = 0;
    int64_t max_time = 0;
    bool operator==(const Parent&) const = default;
  };

  Ulid ulid;
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint64_t num_samples = 0;
  uint64_t num_series = 0;
  uint64_t num_chunks = 0;
  int compaction_level = 1;
  std::vector<Ulid> compaction_sources;  // The level-1 blocks this one holds the data of.
  std::vector<Parent> compaction_parents;
  int version = 1;

  bool operator==(const BlockMeta&) const = default;
};

// The JSON text of `meta`.
std::string EncodeBlockMeta(const BlockMeta& meta);
// Reads meta.json's text; kCorruption naming the field that is missing or malformed.
Result<BlockMeta> DecodeBlockMeta(std::string_view json);

}  // namespace argus::tsdb
