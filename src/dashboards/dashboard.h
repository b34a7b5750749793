#pragma once

// Dashboards as files (docs/dashboards.md is the contract): a dashboard's YAML read into a
// Dashboard, every key checked and every default filled in, and written back as JSON with the
// same keys, for the UI.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace argus::dashboards {

// What is wrong with a file, where: `line` and `column` are 1-based, 0 when not known.
struct FileError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  // "file:line:column: message", or "file: message" without a position.
  std::string ToString() const;
  bool operator==(const FileError&) const = default;
};

struct Variable {
  std::string name;
  std::string label;  // The name if the file has none.
  std::string type;   // query | custom | interval
  std::string query;  // type query: label_values(SELECTOR, LABEL) or label_values(LABEL).
  std::string regex;
  bool multi = false;
  bool include_all = false;
  std::string all_value;
  std::vector<std::string> values;  // type custom and interval.
  std::string default_value;        // `default` in the file.
  bool operator==(const Variable&) const = default;
};

struct Threshold {
  double value = 0;
  std::string color;
  bool operator==(const Threshold&) const = default;
};

struct Link {
  std::string title;
  std::string url;
  bool operator==(const Link&) const = default;
};

struct Query {
  std::string expr;
  std::string legend;
  bool instant = false;
  bool operator==(const Query&) const = default;
};

struct Panel {
  std::string title;
  std::string description;
  std::string type = "timeseries";
  int64_t width = 12;
  int64_t height = 8;
  std::string unit = "short";
  std::optional<int64_t> decimals;
  std::optional<double> min;
  std::optional<double> max;
  bool stack = false;
  std::vector<Threshold> thresholds;
  std::vector<Link> links;
  std::vector<Query> queries;
  std::string text;
  bool operator==(const Panel&) const = default;
};

struct Row {
  std::string title;
  bool collapsed = false;
  std::vector<Panel> panels;
  bool operator==(const Row&) const = default;
};

struct Dashboard {
  std::string title;
  std::string uid;
  std::string description;
  std::vector<std::string> tags;
  std::string refresh;  // A duration; empty: no auto-refresh.
  std::string time_from = "now-1h";
  std::string time_to = "now";
  std::vector<Variable> variables;
  std::vector<Row> rows;
  bool operator==(const Dashboard&) const = default;
};

// A dashboard read from a file, or every error found in it.
struct ParsedDashboard {
  std::optional<Dashboard> dashboard;
  std::vector<FileError> errors;  // In the file's order; empty when `dashboard` is set.
};

// Reads the dashboard `yaml`, named `source` in errors (its file name without ".yml"/".yaml" is
// the uid when the file has none), and checks it as docs/dashboards.md says: every key known and
// of its type, the uid's characters, variables defined before use, variables' and panels' queries
// parse once every variable is replaced by a sample value, known units and panel types, ascending
// thresholds. A YAML syntax error is the only error reported.
ParsedDashboard ParseDashboard(std::string_view yaml, std::string_view source);

// The dashboard as a JSON object with the keys of the file, defaults included; optional values
// that are not set (decimals, min, max) are left out.
std::string ToJson(const Dashboard& dashboard);

}  // namespace argus::dashboards
