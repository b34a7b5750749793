#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/duration.h"

namespace argus::config {

// Reads one YAML mapping field by field, remembering which keys were read so that Finish can
// report the first unknown one. Every error names the source, line, column and key path:
//   prometheus.yml:7:5: scrape_configs[0].scrape_interval: invalid duration "5x"
// The first error sticks; later reads are skipped.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path, std::string_view source, Status* status);

  // Each reads `key` into `out` if present and leaves `out` alone if absent or null.
  void Read(const char* key, std::string* out);
  void Read(const char* key, bool* out);
  void Read(const char* key, uint64_t* out);
  void Read(const char* key, model::Duration* out);
  void ReadBytes(const char* key, uint64_t* out);  // "10MB", "512KiB", "1024"
  void Read(const char* key, std::vector<std::string>* out);

  // The node at `key` (null if absent) and its path, for nested sections.
  YAML::Node Child(const char* key);
  std::string ChildPath(const char* key) const;
  std::string ChildPath(const char* key, size_t index) const;

  // Fails with the error at `node`.
  void Fail(const YAML::Node& node, std::string_view path, std::string_view message);
  // Reports the first key that no Read or Child asked for.
  void Finish();

  bool ok() const { return status_->ok(); }
  std::string_view source() const { return source_; }
  Status* status() const { return status_; }

 private:
  // The scalar at `key`, or nullopt (absent, null, or an error recorded).
  std::optional<std::string> Scalar(const char* key);

  YAML::Node node_;
  std::string path_;
  std::string_view source_;
  Status* status_;
  std::vector<std::string> read_;
};

// Formats "<source>:<line>:<column>: <path>: <message>" for `node`'s position.
Status ErrorAt(std::string_view source, const YAML::Node& node, std::string_view path,
               std::string_view message);

}  // namespace argus::config
