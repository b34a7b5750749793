#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/notify_config.h"
#include "config/yaml_reader.h"

namespace argus::config {

// The readers of the parts of the `notify:` section (notify_reader.cc puts them together). Each
// checks what it reads as Alertmanager 0.25 does, with Alertmanager's error texts, and reports to
// the diagnostics of its MapReader.

// Reads the route at `node` into `out`; the options it leaves unset are `parent`'s (nullptr for
// the root, whose defaults are Route's). Its children are read likewise.
void ReadRoute(const YAML::Node& node, const std::string& path, const Route* parent,
               Diagnostics& diagnostics, Route* out);

// Checks that every receiver and time interval the tree at `node` (read into `route`) names is
// one of `receivers` and `time_intervals`.
void CheckRouteReferences(const YAML::Node& node, const std::string& path, const Route& route,
                          const std::set<std::string>& receivers,
                          const std::set<std::string>& time_intervals, Diagnostics& diagnostics);

// Reads `inhibit_rules` of the mapping of `r`.
void ReadInhibitRules(MapReader& r, std::vector<InhibitRule>* out);

// Reads the list at `key` (time_intervals or mute_time_intervals) of the mapping of `r` and
// appends its intervals to `out`; a name already in `names` is an error, and each name read is
// added to it.
void ReadTimeIntervals(MapReader& r, const char* key, std::set<std::string>* names,
                       std::vector<TimeInterval>* out);

// Reads `receivers` of the mapping of `r`. `global_node` is the `global:` mapping (null when
// absent) from which integrations take what they do not set; `global` is what was read of it.
void ReadReceivers(MapReader& r, const YAML::Node& global_node, const NotifyGlobalConfig& global,
                   std::vector<Receiver>* out);

// A copy of the body at `body` (an alertmanager.yml mapping), with the values each integration
// takes from `global:` written into it and every secret replaced by "<secret>".
YAML::Node WithoutSecrets(const YAML::Node& body);

// Reads the URL at `key` of the mapping of `r` and checks it as Alertmanager does, unless it is
// a template.
void ReadUrl(MapReader& r, const char* key, std::string* out);

// Whether the mapping `node` sets `key` to something other than null or ""; a dotted key
// ("http_config.authorization") names a field of a nested mapping.
bool IsSet(const YAML::Node& node, std::string_view key);

}  // namespace argus::config
