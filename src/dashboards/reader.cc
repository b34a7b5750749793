// Reads a dashboard file: the keys of docs/dashboards.md, their checks and defaults.
#include <absl/time/time.h>
#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "config/yaml_reader.h"
#include "dashboards/dashboard.h"
#include "dashboards/query_check.h"
#include "model/duration.h"

namespace argus::dashboards {
namespace {

using config::Diagnostics;
using config::MapReader;
using config::Present;

constexpr std::string_view kPanelTypes[] = {"timeseries", "stat",    "gauge", "bargauge",
                                            "table",      "heatmap", "text"};
constexpr std::string_view kVariableTypes[] = {"query", "custom", "interval"};
// Grafana's unit ids that the UI formats.
constexpr std::string_view kUnits[] = {"none",
                                       "short",
                                       "percent",
                                       "percentunit",
                                       "bytes",
                                       "decbytes",
                                       "bits",
                                       "decbits",
                                       "kbytes",
                                       "mbytes",
                                       "gbytes",
                                       "Bps",
                                       "bps",
                                       "binBps",
                                       "KBs",
                                       "MBs",
                                       "s",
                                       "ms",
                                       "us",
                                       "ns",
                                       "m",
                                       "h",
                                       "d",
                                       "dtdurations",
                                       "cores",
                                       "ops",
                                       "reqps",
                                       "rps",
                                       "wps",
                                       "iops",
                                       "opm",
                                       "rpm",
                                       "hertz",
                                       "celsius",
                                       "watt",
                                       "dateTimeAsIso",
                                       "dateTimeFromNow"};

template <size_t N>
bool OneOf(std::string_view value, const std::string_view (&set)[N]) {
  return std::find(std::begin(set), std::end(set), value) != std::end(set);
}

// Calls `read(node, path)` for each element of the list at `key`.
template <typename Fn>
void ForEach(MapReader& r, const char* key, Fn read) {
  YAML::Node list = r.Child(key);
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath(key), "expected a list");
  for (size_t i = 0; i < list.size(); ++i) read(list[i], r.ChildPath(key, i));
}

// Reads `key` into `*out` when present.
template <typename T>
void ReadOptional(MapReader& r, const char* key, std::optional<T>* out) {
  if (!Present(r.Child(key))) return;
  size_t errors = r.diagnostics().error_count();
  T value{};
  r.Read(key, &value);
  if (r.diagnostics().error_count() == errors) *out = value;
}

void Require(MapReader& r, const char* key, const std::string& value) {
  if (value.empty() && r.ok()) r.Fail(r.node(), r.ChildPath(key), "required");
}

// Fails at `key` when `status` is an error.
void Check(MapReader& r, const char* key, const Status& status) {
  if (!status.ok()) r.Fail(r.Child(key), r.ChildPath(key), status.message());
}

// Grafana's relative times ("now", "now-6h", "now-1d/d") or an RFC 3339 time.
bool IsTime(std::string_view text) {
  std::string_view rest = text;
  if (rest.starts_with("now")) {
    rest.remove_prefix(3);
    static const RE2 kRounding("/[smhdwMy]");
    std::string_view rounding;
    if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
      rounding = rest.substr(slash);
      rest = rest.substr(0, slash);
    }
    if (!rounding.empty() && !RE2::FullMatch(rounding, kRounding)) return false;
    if (rest.empty()) return true;
    if (rest[0] != '-' && rest[0] != '+') return false;
    return model::ParseDuration(rest.substr(1)).ok();
  }
  absl::Time t;
  std::string error;
  return absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &error);
}

bool IsColor(std::string_view color) {
  static const RE2 kColor("#[0-9a-fA-F]{6}|[a-z]+");
  return RE2::FullMatch(color, kColor);
}

Variable ReadVariable(const YAML::Node& node, std::string path, Diagnostics& d,
                      SampleValues* samples) {
  MapReader r(node, std::move(path), d);
  Variable v;
  r.Read("name", &v.name);
  r.Read("label", &v.label);
  r.Read("type", &v.type);
  r.Read("query", &v.query);
  r.Read("regex", &v.regex);
  r.Read("multi", &v.multi);
  r.Read("include_all", &v.include_all);
  r.Read("all_value", &v.all_value);
  r.Read("values", &v.values);
  r.Read("default", &v.default_value);
  r.Finish();
  Require(r, "name", v.name);
  Require(r, "type", v.type);
  if (!r.ok()) return v;
  static const RE2 kName("[a-zA-Z_][a-zA-Z0-9_]*");
  if (!RE2::FullMatch(v.name, kName) || v.name.starts_with("__")) {
    r.Fail(r.Child("name"), r.ChildPath("name"),
           fmt::format("\"{}\" is not a variable name ([a-zA-Z_][a-zA-Z0-9_]*, no leading __)",
                       v.name));
  } else if (samples->contains(v.name)) {
    r.Fail(r.Child("name"), r.ChildPath("name"), fmt::format("variable {} repeated", v.name));
  }
  if (v.label.empty()) v.label = v.name;
  if (!OneOf(v.type, kVariableTypes)) {
    r.Fail(r.Child("type"), r.ChildPath("type"),
           fmt::format("unknown variable type \"{}\" (query, custom or interval)", v.type));
  } else if (v.type == "query") {
    Require(r, "query", v.query);
    if (!v.query.empty()) Check(r, "query", CheckVariableQuery(v.query, *samples));
  } else {
    if (v.values.empty() && r.ok()) r.Fail(r.node(), r.ChildPath("values"), "required");
    if (!v.query.empty()) r.Fail(r.Child("query"), r.ChildPath("query"), "only for type query");
  }
  if (v.type == "interval") {
    for (size_t i = 0; i < v.values.size(); ++i) {
      if (!model::ParseDuration(v.values[i]).ok()) {
        r.Fail(r.Child("values")[i], r.ChildPath("values", i),
               fmt::format("invalid duration \"{}\"", v.values[i]));
      }
    }
  }
  if (!v.regex.empty()) {
    RE2 regex(v.regex, RE2::Quiet);
    if (!regex.ok()) r.Fail(r.Child("regex"), r.ChildPath("regex"), regex.error());
  }
  (*samples)[v.name] = SampleValue(v);
  return v;
}

Panel ReadPanel(const YAML::Node& node, std::string path, Diagnostics& d,
                const SampleValues& samples) {
  MapReader r(node, std::move(path), d);
  Panel p;
  r.Read("title", &p.title);
  r.Read("description", &p.description);
  r.Read("type", &p.type);
  r.Read("width", &p.width);
  r.Read("height", &p.height);
  r.Read("unit", &p.unit);
  ReadOptional(r, "decimals", &p.decimals);
  ReadOptional(r, "min", &p.min);
  ReadOptional(r, "max", &p.max);
  r.Read("stack", &p.stack);
  r.Read("text", &p.text);
  ForEach(r, "thresholds", [&](const YAML::Node& n, std::string at) {
    MapReader t(n, std::move(at), d);
    Threshold threshold;
    if (!Present(t.Child("value"))) t.Fail(n, t.ChildPath("value"), "required");
    t.Read("value", &threshold.value);
    t.Read("color", &threshold.color);
    t.Finish();
    if (!IsColor(threshold.color)) {
      t.Fail(t.Child("color"), t.ChildPath("color"),
             fmt::format("\"{}\" is not a colour name or #rrggbb", threshold.color));
    }
    if (!p.thresholds.empty() && threshold.value <= p.thresholds.back().value && t.ok()) {
      t.Fail(t.Child("value"), t.ChildPath("value"), "thresholds must ascend");
    }
    p.thresholds.push_back(std::move(threshold));
  });
  ForEach(r, "links", [&](const YAML::Node& n, std::string at) {
    MapReader l(n, std::move(at), d);
    Link link;
    l.Read("title", &link.title);
    l.Read("url", &link.url);
    l.Finish();
    Require(l, "title", link.title);
    Require(l, "url", link.url);
    p.links.push_back(std::move(link));
  });
  ForEach(r, "queries", [&](const YAML::Node& n, std::string at) {
    MapReader q(n, std::move(at), d);
    Query query;
    q.Read("expr", &query.expr);
    q.Read("legend", &query.legend);
    q.Read("instant", &query.instant);
    q.Finish();
    Require(q, "expr", query.expr);
    if (!query.expr.empty()) Check(q, "expr", CheckExpr(query.expr, samples));
    p.queries.push_back(std::move(query));
  });
  r.Finish();
  Require(r, "title", p.title);
  if (!OneOf(p.type, kPanelTypes)) {
    r.Fail(r.Child("type"), r.ChildPath("type"), fmt::format("unknown panel type \"{}\"", p.type));
  }
  if (!OneOf(p.unit, kUnits)) {
    r.Fail(r.Child("unit"), r.ChildPath("unit"), fmt::format("unknown unit \"{}\"", p.unit));
  }
  if (p.width < 1 || p.width > 24) {
    r.Fail(r.Child("width"), r.ChildPath("width"), "must be from 1 to 24 columns");
  }
  if (p.height < 1) r.Fail(r.Child("height"), r.ChildPath("height"), "must be at least 1");
  if (p.decimals && *p.decimals < 0) {
    r.Fail(r.Child("decimals"), r.ChildPath("decimals"), "must not be negative");
  }
  return p;
}

Row ReadRow(const YAML::Node& node, std::string path, Diagnostics& d, const SampleValues& samples) {
  MapReader r(node, std::move(path), d);
  Row row;
  r.Read("title", &row.title);
  r.Read("collapsed", &row.collapsed);
  ForEach(r, "panels", [&](const YAML::Node& n, std::string at) {
    row.panels.push_back(ReadPanel(n, std::move(at), d, samples));
  });
  r.Finish();
  return row;
}

void ReadRoot(const YAML::Node& root, std::string_view source, Diagnostics& d, Dashboard* out) {
  MapReader r(root, "", d);
  r.Read("title", &out->title);
  r.Read("uid", &out->uid);
  r.Read("description", &out->description);
  r.Read("tags", &out->tags);
  r.Read("refresh", &out->refresh);
  if (YAML::Node time = r.Child("time"); Present(time)) {
    MapReader t(time, r.ChildPath("time"), d);
    t.Read("from", &out->time_from);
    t.Read("to", &out->time_to);
    t.Finish();
    for (const char* key : {"from", "to"}) {
      const std::string& value = std::string_view(key) == "from" ? out->time_from : out->time_to;
      if (t.ok() && !IsTime(value)) {
        t.Fail(t.Child(key), t.ChildPath(key),
               fmt::format("\"{}\" is neither now[-duration][/unit] nor RFC 3339", value));
      }
    }
  }
  SampleValues samples = BuiltinSamples();
  ForEach(r, "variables", [&](const YAML::Node& n, std::string at) {
    out->variables.push_back(ReadVariable(n, std::move(at), d, &samples));
  });
  ForEach(r, "rows", [&](const YAML::Node& n, std::string at) {
    out->rows.push_back(ReadRow(n, std::move(at), d, samples));
  });
  r.Finish();
  if (!r.ok()) return;
  if (out->title.empty()) r.Fail(root, "title", "required");
  if (out->uid.empty()) out->uid = std::filesystem::path(source).stem().string();
  static const RE2 kUid("[a-z0-9-]+");
  if (!RE2::FullMatch(out->uid, kUid)) {
    r.Fail(Present(r.Child("uid")) ? r.Child("uid") : root, "uid",
           fmt::format("\"{}\" is not a uid ([a-z0-9-]+)", out->uid));
  }
  if (!out->refresh.empty() && !model::ParseDuration(out->refresh).ok()) {
    r.Fail(r.Child("refresh"), "refresh", fmt::format("invalid duration \"{}\"", out->refresh));
  }
}

FileError AtMark(std::string_view source, const YAML::Exception& e) {
  return {std::string(source), e.mark.line + 1, e.mark.column + 1, e.msg};
}

}  // namespace

std::string FileError::ToString() const {
  if (line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

ParsedDashboard ParseDashboard(std::string_view yaml, std::string_view source) {
  ParsedDashboard parsed;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    parsed.errors.push_back(AtMark(source, e));
    return parsed;
  }
  Diagnostics diagnostics(source);
  Dashboard dashboard;
  std::optional<FileError> gave_up;
  try {
    if (!root.IsMap()) {
      diagnostics.Error(root, "<document>", "expected a mapping");
    } else {
      ReadRoot(root, source, diagnostics, &dashboard);
    }
  } catch (const YAML::Exception& e) {
    gave_up = AtMark(source, e);  // A node yaml-cpp could not convert.
  }
  for (auto& e : diagnostics.located_errors()) {
    parsed.errors.push_back(
        {std::string(source), std::max(e.line, 0), std::max(e.column, 0), std::move(e.message)});
  }
  if (gave_up) parsed.errors.push_back(std::move(*gave_up));
  if (parsed.errors.empty()) parsed.dashboard = std::move(dashboard);
  return parsed;
}

}  // namespace argus::dashboards
