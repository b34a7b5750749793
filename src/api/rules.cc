// /api/v1/rules and /api/v1/alerts, in the shapes of Prometheus 2.42.

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"
#include "base/rfc3339.h"

namespace argus::api {
namespace {

// A sample value as Go's strconv.FormatFloat(v, 'e', -1, 64): "1e+00", "1.5e-07".
std::string ExponentFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  auto end = std::to_chars(buffer, buffer + sizeof(buffer), v, std::chars_format::scientific).ptr;
  return std::string(buffer, end);
}

// A time as Go's JSON encoding of time.Time writes it; the zero time when `t_ms` is 0.
std::string JsonTime(int64_t t_ms) {
  return t_ms == 0 ? "0001-01-01T00:00:00Z" : FormatRfc3339(t_ms);
}

void WriteAlert(JsonWriter& w, const rules::AlertStatus& alert) {
  w.BeginObject();
  w.Key("labels");
  w.Labels(alert.labels);
  w.Key("annotations");
  w.Labels(alert.annotations);
  w.Key("state");
  w.String(rules::AlertStateName(alert.state));
  w.Key("activeAt");
  w.String(JsonTime(alert.active_at_ms));
  if (alert.keep_firing_since_ms != 0) {
    w.Key("keepFiringSince");
    w.String(JsonTime(alert.keep_firing_since_ms));
  }
  w.Key("value");
  w.String(ExponentFloat(alert.value));
  w.EndObject();
}

void WriteEvaluation(JsonWriter& w, const rules::RuleStatus& rule) {
  w.Key("health");
  w.String(rules::RuleHealthName(rule.health));
  if (!rule.last_error.empty()) {
    w.Key("lastError");
    w.String(rule.last_error);
  }
  w.Key("evaluationTime");
  w.Double(rule.evaluation_seconds);
  w.Key("lastEvaluation");
  w.String(JsonTime(rule.last_evaluation_ms));
}

void WriteRule(JsonWriter& w, const rules::RuleStatus& rule) {
  w.BeginObject();
  if (rule.alerting) {
    w.Key("state");
    w.String(rules::AlertStateName(rule.state));
  }
  w.Key("name");
  w.String(rule.name);
  w.Key("query");
  w.String(rule.query);
  if (rule.alerting) {
    w.Key("duration");
    w.Double(static_cast<double>(rule.for_ms) / 1000);
    w.Key("keepFiringFor");
    w.Double(static_cast<double>(rule.keep_firing_for_ms) / 1000);
    w.Key("labels");
    w.Labels(rule.labels);
    w.Key("annotations");
    w.Labels(rule.annotations);
    w.Key("alerts");
    w.BeginArray();
    for (const rules::AlertStatus& alert : rule.alerts) WriteAlert(w, alert);
    w.EndArray();
  } else if (!rule.labels.empty()) {
    w.Key("labels");
    w.Labels(rule.labels);
  }
  WriteEvaluation(w, rule);
  w.Key("type");
  w.String(rule.alerting ? "alerting" : "recording");
  w.EndObject();
}

bool RulesAvailable(const Sources& s, http::Response* r) {
  if (s.rule_groups) return true;
  RespondError(r, ErrorType::kUnavailable, "rules are not available");
  return false;
}

std::set<std::string> ParamSet(const http::Request& req, std::string_view name) {
  std::vector<std::string> values = req.Params(name);
  return {values.begin(), values.end()};
}

}  // namespace

void Rules(const Sources& s, const http::Request& req, http::Response* r) {
  if (!RulesAvailable(s, r)) return;
  std::string type(req.Param("type"));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!type.empty() && type != "alert" && type != "record") {
    return RespondBadData(r, InvalidParam("type", "not supported value \"" + type + "\""));
  }
  // Besides 2.42's type, the filters of later Prometheus versions; with any of them, groups
  // left without rules are left out.
  const std::set<std::string> names = ParamSet(req, "rule_name[]");
  const std::set<std::string> groups = ParamSet(req, "rule_group[]");
  const std::set<std::string> files = ParamSet(req, "file[]");
  const bool filtered = !names.empty() || !groups.empty() || !files.empty();
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  w.Key("groups");
  w.BeginArray();
  for (const rules::GroupStatus& group : s.rule_groups()) {
    if ((!groups.empty() && !groups.contains(group.name)) ||
        (!files.empty() && !files.contains(group.file))) {
      continue;
    }
    std::vector<const rules::RuleStatus*> selected;
    for (const rules::RuleStatus& rule : group.rules) {
      if ((rule.alerting && type == "record") || (!rule.alerting && type == "alert")) continue;
      if (!names.empty() && !names.contains(rule.name)) continue;
      selected.push_back(&rule);
    }
    if (filtered && selected.empty()) continue;
    w.BeginObject();
    w.Key("name");
    w.String(group.name);
    w.Key("file");
    w.String(group.file);
    w.Key("rules");
    w.BeginArray();
    for (const rules::RuleStatus* rule : selected) WriteRule(w, *rule);
    w.EndArray();
    w.Key("interval");
    w.Double(static_cast<double>(group.interval_ms) / 1000);
    w.Key("limit");
    w.Int(group.limit);
    w.Key("evaluationTime");
    w.Double(group.evaluation_seconds);
    w.Key("lastEvaluation");
    w.String(JsonTime(group.last_evaluation_ms));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out.Finish();
}

void Alerts(const Sources& s, const http::Request&, http::Response* r) {
  if (!RulesAvailable(s, r)) return;
  SuccessResponse out(r);
  JsonWriter& w = out.writer();
  w.BeginObject();
  w.Key("alerts");
  w.BeginArray();
  for (const rules::GroupStatus& group : s.rule_groups()) {
    for (const rules::RuleStatus& rule : group.rules) {
      for (const rules::AlertStatus& alert : rule.alerts) WriteAlert(w, alert);
    }
  }
  w.EndArray();
  w.EndObject();
  out.Finish();
}

}  // namespace argus::api
