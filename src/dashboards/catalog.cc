#include "dashboards/catalog.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace argus::dashboards {

void Catalog::Add(std::string_view yaml, std::string_view file, std::string_view source) {
  ParsedDashboard parsed = ParseDashboard(yaml, file);
  if (!parsed.dashboard) {
    for (FileError& error : parsed.errors) errors_.push_back(std::move(error));
    return;
  }
  if (const CatalogEntry* taken = Find(parsed.dashboard->uid)) {
    errors_.push_back({std::string(file), 0, 0,
                       fmt::format("uid: \"{}\" is already the uid of {} dashboard \"{}\"",
                                   parsed.dashboard->uid, taken->source, taken->dashboard.title)});
    return;
  }
  dashboards_.push_back({std::move(*parsed.dashboard), std::string(source)});
}

void Catalog::AddFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors_.push_back({path, 0, 0, fmt::format("cannot read: {}", std::strerror(errno))});
    return;
  }
  std::string text(std::istreambuf_iterator<char>(in), {});
  Add(text, path, path);
}

const CatalogEntry* Catalog::Find(std::string_view uid) const {
  for (const CatalogEntry& entry : dashboards_) {
    if (entry.dashboard.uid == uid) return &entry;
  }
  return nullptr;
}

Catalog LoadCatalog(const std::vector<std::string>& files) {
  Catalog catalog;
  for (const EmbeddedFile& file : EmbeddedDashboards()) {
    catalog.Add(file.content, file.name, kBuiltInSource);
  }
  for (const std::string& path : files) catalog.AddFile(path);
  return catalog;
}

}  // namespace argus::dashboards
