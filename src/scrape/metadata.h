#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/labels.h"
#include "model/metric_type.h"

namespace argus::scrape {

// What a target said about one metric family in its TYPE, HELP and UNIT lines.
struct MetricMetadata {
  std::string metric;  // The family name, as the TYPE/HELP/UNIT line wrote it.
  model::MetricType type = model::MetricType::kUnknown;
  std::string help;
  std::string unit;
  bool operator==(const MetricMetadata&) const = default;
};

// The metadata of one target's metrics, for /api/v1/metadata and /api/v1/targets/metadata.
struct TargetMetadata {
  std::string job;
  model::Labels labels;  // The target's labels without the __* ones.
  std::vector<MetricMetadata> metadata;
};

// The metadata lines of one target's scrapes, as Prometheus' scrape cache keeps them: an entry
// stays while its lines keep coming, and for 10 successful scrapes after the last that had them.
// Lines that repeat what is known copy and allocate nothing. Not thread-safe: the scrape loop
// guards it.
class MetadataCache {
 public:
  void SetType(std::string_view family, model::MetricType type);
  void SetHelp(std::string_view family, std::string_view help);
  void SetUnit(std::string_view family, std::string_view unit);
  // Ends a successful scrape: forgets the entries that no scrape of the last 10 had.
  void EndScrape();

  // Every entry, sorted by family name.
  std::vector<MetricMetadata> List() const;

 private:
  struct Entry {
    model::MetricType type = model::MetricType::kUnknown;
    std::string help;
    std::string unit;
    uint64_t last_scrape = 0;
  };
  Entry& Touch(std::string_view family);

  absl::flat_hash_map<std::string, Entry> entries_;
  uint64_t scrape_ = 0;  // Successful scrapes so far.
};

}  // namespace argus::scrape
