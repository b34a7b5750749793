#include "notify/render_template.h"

#include <absl/time/time.h>
#include <glob.h>

#include <algorithm>

namespace argus::notify {
namespace {

using tmpl::Value;

// Go's zero time.Time: what Alertmanager shows as the end of an alert that still fires.
constexpr int64_t kGoZeroTimeSeconds = -62135596800;

Value GoTime(int64_t t_ms) {
  return Value::Time(t_ms == 0 ? absl::FromUnixSeconds(kGoZeroTimeSeconds)
                               : absl::FromUnixMillis(t_ms));
}

// A label set's names in Alertmanager's order: alertname first, then by name.
std::vector<std::string> SortedNames(const tmpl::Map& kv) {
  std::vector<std::string> names;
  for (const auto& [name, value] : kv) names.push_back(name);  // Sorted by the map.
  auto alertname = std::find(names.begin(), names.end(), "alertname");
  if (alertname != names.end()) std::rotate(names.begin(), alertname, alertname + 1);
  return names;
}

std::shared_ptr<const tmpl::MethodTable> PairsMethods() {
  static const auto methods = [] {
    auto table = std::make_shared<tmpl::MethodTable>();
    for (std::string_view field : {"Name", "Value"}) {
      (*table)[std::string(field) + "s"] = [field](const Value& self,
                                                   std::span<const Value>) -> Result<Value> {
        std::vector<std::string> items;
        for (const Value& pair : self.as_list()) {
          items.push_back(pair.as_map().find(field)->second.as_string());
        }
        return Value::FromStrings(items);
      };
    }
    return table;
  }();
  return methods;
}

Value Kv(const tmpl::Map& entries);

std::shared_ptr<const tmpl::MethodTable> KvMethods() {
  static const auto methods = [] {
    auto table = std::make_shared<tmpl::MethodTable>();
    (*table)["SortedPairs"] = [](const Value& self, std::span<const Value>) -> Result<Value> {
      tmpl::List pairs;
      for (const std::string& name : SortedNames(self.as_map())) {
        pairs.push_back(Value::Object(
            "template.Pair", {{"Name", name}, {"Value", self.as_map().find(name)->second}}));
      }
      return Value::FromList(std::move(pairs), PairsMethods());
    };
    (*table)["Names"] = [](const Value& self, std::span<const Value>) -> Result<Value> {
      return Value::FromStrings(SortedNames(self.as_map()));
    };
    (*table)["Values"] = [](const Value& self, std::span<const Value>) -> Result<Value> {
      std::vector<std::string> values;
      for (const std::string& name : SortedNames(self.as_map())) {
        values.push_back(self.as_map().find(name)->second.as_string());
      }
      return Value::FromStrings(values);
    };
    (*table)["Remove"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
      if (args.size() != 1 || args[0].kind() != Value::Kind::kList) {
        return Status::Error("Remove wants one list of label names", Status::Code::kInvalidInput);
      }
      tmpl::Map kept = self.as_map();
      for (const Value& name : args[0].as_list()) {
        if (name.kind() == Value::Kind::kString) kept.erase(name.as_string());
      }
      return Kv(kept);
    };
    return table;
  }();
  return methods;
}

// Go's map[string]string with Alertmanager's KV methods.
Value Kv(const tmpl::Map& entries) { return Value::FromMap(entries, Value(""), KvMethods()); }

Value Kv(const model::Labels& labels) { return Value::FromLabels(labels, KvMethods()); }

std::shared_ptr<const tmpl::MethodTable> AlertsMethods() {
  static const auto methods = [] {
    auto table = std::make_shared<tmpl::MethodTable>();
    for (AlertStatus status : {AlertStatus::kFiring, AlertStatus::kResolved}) {
      std::string name = status == AlertStatus::kFiring ? "Firing" : "Resolved";
      (*table)[name] = [status](const Value& self, std::span<const Value>) -> Result<Value> {
        tmpl::List kept;
        for (const Value& alert : self.as_list()) {
          if (alert.as_map().find("Status")->second.as_string() == AlertStatusName(status)) {
            kept.push_back(alert);
          }
        }
        return Value::FromList(std::move(kept));
      };
    }
    return table;
  }();
  return methods;
}

Value AlertValue(const RenderAlert& a) {
  const model::Alert& alert = *a.alert;
  return Value::Object(
      "template.Alert",
      {{"Status", AlertStatusName(a.status)},
       {"Labels", Kv(alert.labels)},
       {"Annotations", Kv(alert.annotations)},
       {"StartsAt", GoTime(alert.starts_at_ms)},
       {"EndsAt", GoTime(a.status == AlertStatus::kResolved ? alert.ends_at_ms : 0)},
       {"GeneratorURL", alert.generator_url},
       {"Fingerprint", FormatFingerprint(a.fingerprint)}});
}

bool MatchesAFile(const std::string& pattern) {
  glob_t matches;
  bool found = ::glob(pattern.c_str(), 0, nullptr, &matches) == 0 && matches.gl_pathc > 0;
  ::globfree(&matches);
  return found;
}

}  // namespace

NotificationTemplates::NotificationTemplates() {
  Status parsed = set_.Parse("default.tmpl", DefaultText());
  CHECK(parsed.ok());
}

Result<std::shared_ptr<const NotificationTemplates>> NotificationTemplates::Load(
    const std::vector<std::string>& template_files) {
  std::shared_ptr<NotificationTemplates> templates(new NotificationTemplates());
  for (const std::string& pattern : template_files) {
    // As in Alertmanager, a pattern may match nothing yet: files may come later.
    if (!MatchesAFile(pattern)) continue;
    ARGUS_RETURN_IF_ERROR(templates->set_.ParseGlob(pattern));
  }
  return std::shared_ptr<const NotificationTemplates>(std::move(templates));
}

std::shared_ptr<const NotificationTemplates> NotificationTemplates::Defaults() {
  static const std::shared_ptr<const NotificationTemplates> defaults(new NotificationTemplates());
  return defaults;
}

Result<std::string> NotificationTemplates::Expand(std::string_view text,
                                                  const tmpl::Value& data) const {
  return set_.ExecuteText(text, data);
}

tmpl::Value TemplateData(const RenderData& data) {
  tmpl::List alerts;
  for (const RenderAlert& a : data.alerts) alerts.push_back(AlertValue(a));
  return Value::Object("template.Data",
                       {{"Receiver", data.receiver},
                        {"Status", AlertStatusName(data.status)},
                        {"Alerts", Value::FromList(std::move(alerts), AlertsMethods())},
                        {"GroupLabels", Kv(data.group_labels)},
                        {"CommonLabels", Kv(data.common_labels)},
                        {"CommonAnnotations", Kv(data.common_annotations)},
                        {"ExternalURL", data.external_url}});
}

}  // namespace argus::notify
