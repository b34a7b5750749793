#pragma once

// The dashboards a server serves: the built-in ones and the user's files, each checked, with
// the errors of those that were left out.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded_file.h"
#include "dashboards/dashboard.h"

namespace argus::dashboards {

// The built-in dashboards (the repository's dashboards/*.yml), named "dashboards/<file>".
std::span<const EmbeddedFile> EmbeddedDashboards();

// What `source` says of a built-in dashboard.
inline constexpr std::string_view kBuiltInSource = "built-in";

struct CatalogEntry {
  Dashboard dashboard;
  std::string source;  // kBuiltInSource, or the file's path.
};

// Dashboards by uid, in the order they were added. Not thread-safe; built once per reload.
class Catalog {
 public:
  // Parses `yaml` (named `file` in errors) and adds it, or records its errors: those of
  // ParseDashboard, or that its uid is taken by a dashboard added before.
  void Add(std::string_view yaml, std::string_view file, std::string_view source);
  // Reads the file at `path` (its own source) and adds it, or records that it cannot be read.
  void AddFile(const std::string& path);

  // The dashboard with `uid`, or nullptr.
  const CatalogEntry* Find(std::string_view uid) const;
  const std::vector<CatalogEntry>& dashboards() const { return dashboards_; }
  const std::vector<FileError>& errors() const { return errors_; }

 private:
  std::vector<CatalogEntry> dashboards_;
  std::vector<FileError> errors_;
};

// A catalog of the built-in dashboards and those in `files` (paths), each read from disk.
Catalog LoadCatalog(const std::vector<std::string>& files);

}  // namespace argus::dashboards
