#include "scrape/metadata.h"

#include <absl/strings/string_view.h>

#include <algorithm>

namespace argus::scrape {
namespace {

// Prometheus keeps a family's metadata this many scrapes after its lines stopped coming.
constexpr uint64_t kKeepScrapes = 10;

void Assign(std::string* field, std::string_view value) {
  if (*field != value) field->assign(value);
}

}  // namespace

MetadataCache::Entry& MetadataCache::Touch(std::string_view family) {
  // Debian's Abseil has its own string_view, which heterogeneous look-up needs.
  auto it = entries_.find(absl::string_view(family.data(), family.size()));
  if (it == entries_.end()) it = entries_.emplace(std::string(family), Entry{}).first;
  it->second.last_scrape = scrape_;
  return it->second;
}

void MetadataCache::SetType(std::string_view family, model::MetricType type) {
  Touch(family).type = type;
}

void MetadataCache::SetHelp(std::string_view family, std::string_view help) {
  Assign(&Touch(family).help, help);
}

void MetadataCache::SetUnit(std::string_view family, std::string_view unit) {
  Assign(&Touch(family).unit, unit);
}

void MetadataCache::EndScrape() {
  absl::erase_if(entries_, [&](const auto& entry) {
    return scrape_ - entry.second.last_scrape > kKeepScrapes;
  });
  ++scrape_;
}

std::vector<MetricMetadata> MetadataCache::List() const {
  std::vector<MetricMetadata> out;
  out.reserve(entries_.size());
  for (const auto& [family, e] : entries_) out.push_back({family, e.type, e.help, e.unit});
  std::sort(out.begin(), out.end(),
            [](const MetricMetadata& a, const MetricMetadata& b) { return a.metric < b.metric; });
  return out;
}

}  // namespace argus::scrape
