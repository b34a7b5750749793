// The routing tree and inhibition rules of the `notify:` section, with Alertmanager's matchers:
// `match` (equality), `match_re` (anchored regexes) and `matchers` (Alertmanager's syntax).

#include <set>

#include "config/notify_parts.h"
#include "model/labels.h"
#include "model/matcher_syntax.h"

namespace argus::config {
namespace {

using model::Matcher;

// Reads the mapping of label names to values at `key` as matchers of `type`.
void ReadMatchMap(MapReader& r, const char* key, Matcher::Type type, std::vector<Matcher>* out) {
  YAML::Node node = r.Child(key);
  if (!Present(node)) return;
  std::string path = r.ChildPath(key);
  if (!node.IsMap()) return r.Fail(node, path, "expected a mapping of label names to values");
  for (const auto& entry : node) {
    std::string name = entry.first.Scalar();
    if (!model::IsValidLabelName(name)) {
      r.Fail(entry.first, path, fmt::format("invalid label name \"{}\"", name));
      continue;
    }
    bool is_regex = type == Matcher::Type::kRegexMatch;
    if (is_regex && !Present(entry.second)) {
      r.Fail(entry.first, path, fmt::format("invalid regexp value for \"{}\"", name));
      continue;
    }
    if (!entry.second.IsScalar() && Present(entry.second)) {
      r.Fail(entry.second, path + "." + name, "expected a single value");
      continue;
    }
    std::string value = Present(entry.second) ? entry.second.Scalar() : "";
    auto matcher = Matcher::Make(type, name, value);
    if (!matcher.ok()) {
      r.Fail(entry.second, path + "." + name, matcher.status().message());
      continue;
    }
    out->push_back(std::move(*matcher));
  }
}

// Reads the list of matchers in Alertmanager's syntax at `key`; one item may hold several.
void ReadMatcherList(MapReader& r, const char* key, std::vector<Matcher>* out) {
  std::vector<std::string> lines;
  r.Read(key, &lines);
  YAML::Node node = r.Child(key);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto matchers = model::ParseMatchers(lines[i]);
    if (!matchers.ok()) {
      r.Fail(node[i], r.ChildPath(key, i), matchers.status().message());
      continue;
    }
    for (Matcher& m : *matchers) out->push_back(std::move(m));
  }
}

// Reads `<prefix>match`, `<prefix>match_re` and `<prefix>matchers` into `out`.
void ReadAllMatchers(MapReader& r, const std::string& prefix, std::vector<Matcher>* out) {
  ReadMatchMap(r, (prefix + "match").c_str(), Matcher::Type::kEqual, out);
  ReadMatchMap(r, (prefix + "match_re").c_str(), Matcher::Type::kRegexMatch, out);
  ReadMatcherList(r, (prefix + "matchers").c_str(), out);
}

void ReadGroupBy(MapReader& r, const Route* parent, Route* route) {
  YAML::Node node = r.Child("group_by");
  if (!Present(node)) {
    if (parent) {
      route->group_by = parent->group_by;
      route->group_by_all = parent->group_by_all;
    }
    return;
  }
  std::vector<std::string> labels;
  r.Read("group_by", &labels);
  std::set<std::string> seen;
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    std::string path = r.ChildPath("group_by", i);
    if (label == "...") {
      route->group_by_all = true;
    } else if (!model::IsValidLabelName(label)) {
      r.Fail(node[i], path, fmt::format("invalid label name \"{}\" in group_by list", label));
    } else if (!seen.insert(label).second) {
      r.Fail(node[i], path, fmt::format("duplicated label \"{}\" in group_by", label));
    } else {
      route->group_by.push_back(label);
    }
  }
  if (route->group_by_all && !route->group_by.empty()) {
    r.Fail(node, r.ChildPath("group_by"),
           "cannot have wildcard group_by (`...`) and other labels at the same time");
  }
}

// Reads the interval at `key`, or takes `inherited`; zero is refused where Alertmanager does.
void ReadInterval(MapReader& r, const char* key, const model::Duration* inherited,
                  bool zero_allowed, model::Duration* out) {
  if (inherited) *out = *inherited;
  if (!Present(r.Child(key))) return;
  model::Duration d{-1};
  r.Read(key, &d);
  if (d.count() < 0) return;
  if (d.count() == 0 && !zero_allowed) {
    return r.Fail(r.Child(key), r.ChildPath(key), fmt::format("{} cannot be zero", key));
  }
  *out = d;
}

}  // namespace

void ReadRoute(const YAML::Node& node, const std::string& path, const Route* parent,
               Diagnostics& diagnostics, Route* out) {
  MapReader r(node, path, diagnostics);
  if (parent) out->receiver = parent->receiver;
  r.Read("receiver", &out->receiver);
  ReadGroupBy(r, parent, out);
  ReadAllMatchers(r, "", &out->matchers);
  r.Read("continue", &out->continue_matching);
  ReadInterval(r, "group_wait", parent ? &parent->group_wait : nullptr, true, &out->group_wait);
  ReadInterval(r, "group_interval", parent ? &parent->group_interval : nullptr, false,
               &out->group_interval);
  ReadInterval(r, "repeat_interval", parent ? &parent->repeat_interval : nullptr, false,
               &out->repeat_interval);
  r.Read("mute_time_intervals", &out->mute_time_intervals);
  r.Read("active_time_intervals", &out->active_time_intervals);
  YAML::Node children = r.Child("routes");
  r.Finish();
  if (!Present(children)) return;
  if (!children.IsSequence()) return r.Fail(children, r.ChildPath("routes"), "expected a list");
  for (size_t i = 0; i < children.size(); ++i) {
    Route child;
    ReadRoute(children[i], r.ChildPath("routes", i), out, diagnostics, &child);
    out->routes.push_back(std::move(child));
  }
}

void CheckRouteReferences(const YAML::Node& node, const std::string& path, const Route& route,
                          const std::set<std::string>& receivers,
                          const std::set<std::string>& time_intervals, Diagnostics& diagnostics) {
  if (!node.IsMap()) return;  // Reported by ReadRoute.
  MapReader r(node, path, diagnostics);
  YAML::Node receiver = r.Child("receiver");
  if (Present(receiver) && !receivers.contains(route.receiver)) {
    r.Fail(receiver, r.ChildPath("receiver"),
           fmt::format("undefined receiver \"{}\" used in route", route.receiver));
  }
  for (auto [key, names] : {std::pair{"active_time_intervals", &route.active_time_intervals},
                            {"mute_time_intervals", &route.mute_time_intervals}}) {
    for (size_t i = 0; i < names->size(); ++i) {
      if (time_intervals.contains((*names)[i])) continue;
      r.Fail(r.Child(key)[i], r.ChildPath(key, i),
             fmt::format("undefined time interval \"{}\" used in route", (*names)[i]));
    }
  }
  YAML::Node children = r.Child("routes");
  for (size_t i = 0; children.IsSequence() && i < route.routes.size(); ++i) {
    CheckRouteReferences(children[i], r.ChildPath("routes", i), route.routes[i], receivers,
                         time_intervals, diagnostics);
  }
}

void ReadInhibitRules(MapReader& parent, std::vector<InhibitRule>* out) {
  YAML::Node list = parent.Child("inhibit_rules");
  if (!Present(list)) return;
  if (!list.IsSequence()) {
    return parent.Fail(list, parent.ChildPath("inhibit_rules"), "expected a list");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader r(list[i], parent.ChildPath("inhibit_rules", i), parent.diagnostics());
    InhibitRule rule;
    ReadAllMatchers(r, "source_", &rule.source_matchers);
    ReadAllMatchers(r, "target_", &rule.target_matchers);
    r.Read("equal", &rule.equal);
    YAML::Node equal = r.Child("equal");
    for (size_t j = 0; j < rule.equal.size(); ++j) {
      if (model::IsValidLabelName(rule.equal[j])) continue;
      r.Fail(equal[j], r.ChildPath("equal", j),
             fmt::format("invalid label name \"{}\" in equal list", rule.equal[j]));
    }
    r.Finish();
    if (r.ok()) out->push_back(std::move(rule));
  }
}

}  // namespace argus::config
