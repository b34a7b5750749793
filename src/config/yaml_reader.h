#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/duration.h"

namespace argus::config {

// What reading one file found wrong (errors) and what it accepted without acting on (warnings).
// Each reads "<source>:<line>:<column>: <path>: <message>", e.g.
//   prometheus.yml:7:5: scrape_configs[0].scrape_interval: invalid duration "5x"
// and both lists come out in the order of their positions in the file. `source` names the file in
// messages and must outlive the object.
class Diagnostics {
 public:
  // One error with its place apart, for callers that show them structured: 1-based line and
  // column (0 when the node has no position) and "<path>: <message>".
  struct Located {
    int line;
    int column;
    std::string message;
  };

  explicit Diagnostics(std::string_view source) : source_(source) {}

  void Error(const YAML::Node& node, std::string_view path, std::string_view message);
  void Warning(const YAML::Node& node, std::string_view path, std::string_view message);
  // Adds what reading another file found (its messages name that file) as if found at `at`, where
  // this file refers to it.
  void Include(const Diagnostics& other, const YAML::Node& at);

  size_t error_count() const { return errors_.size(); }
  std::vector<std::string> errors() const { return Sorted(errors_); }
  std::vector<std::string> warnings() const { return Sorted(warnings_); }
  // The errors, in the order of errors(), with their places apart.
  std::vector<Located> located_errors() const;
  std::string_view source() const { return source_; }

 private:
  struct Entry {
    int line;  // -1 for a node without a position.
    int column;
    std::string text;
    std::string message;  // The text without the source and position.
  };
  Entry At(const YAML::Node& node, std::string_view path, std::string_view message) const;
  static void SortByPosition(std::vector<Entry>* entries);
  static std::vector<std::string> Sorted(std::vector<Entry> entries);

  std::string_view source_;
  std::vector<Entry> errors_;
  std::vector<Entry> warnings_;
};

// Reads one YAML mapping field by field, remembering which keys were read so that Finish can
// report every unknown one. A value that does not read is an error in `diagnostics` and leaves
// its destination alone; reading goes on, so that one pass finds every error in the file.
// `diagnostics` must outlive the reader.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path, Diagnostics& diagnostics);

  // Each reads `key` into `out` if present and leaves `out` alone if absent or null.
  void Read(const char* key, std::string* out);
  void Read(const char* key, bool* out);
  void Read(const char* key, uint64_t* out);
  void Read(const char* key, int64_t* out);
  void Read(const char* key, double* out);
  void Read(const char* key, model::Duration* out);
  void ReadBytes(const char* key, uint64_t* out);  // "10MB", "512KiB", "1024"
  void Read(const char* key, std::vector<std::string>* out);

  // The node at `key` (null if absent) and its path, for nested sections.
  YAML::Node Child(const char* key);
  std::string ChildPath(const char* key) const;
  std::string ChildPath(const char* key, size_t index) const;
  // The key node of `key` (undefined if absent), to place a message at the key, not its value.
  YAML::Node Key(const char* key) const;

  // Records an error at `node`.
  void Fail(const YAML::Node& node, std::string_view path, std::string_view message);
  // Reports every key that no Read or Child asked for.
  void Finish();

  // Whether no error was recorded since this reader was made (in this mapping, its children or
  // anything read meanwhile): checks across fields run only on values that all read.
  bool ok() const { return diagnostics_.error_count() == errors_before_; }
  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }
  Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  // The scalar at `key`, or nullopt (absent, null, or an error recorded).
  std::optional<std::string> Scalar(const char* key);

  YAML::Node node_;
  std::string path_;
  Diagnostics& diagnostics_;
  size_t errors_before_;
  std::vector<std::string> read_;
};

// Whether `node` holds something: present and not null.
inline bool Present(const YAML::Node& node) { return node.IsDefined() && !node.IsNull(); }

}  // namespace argus::config
