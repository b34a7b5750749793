#include "tmpl/alertmanager_data.h"

#include <algorithm>
#include <memory>

#include "tmpl/funcs_go.h"

namespace argus::tmpl {
namespace {

constexpr std::string_view kAlertName = "alertname";

// Go's time.Time{}: January 1 of year 1, UTC.
absl::Time GoTime(absl::Time t) {
  if (t != absl::InfinitePast()) return t;
  return absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
}

std::shared_ptr<const MethodTable> StringsMethods();
std::shared_ptr<const MethodTable> PairsMethods();
std::shared_ptr<const MethodTable> KVMethods();

Value StringsValue(List items) { return Value::FromList(std::move(items), StringsMethods()); }

Result<std::string> OneString(std::string_view method, std::span<const Value> args) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount(method, args, 1));
  return StringArg(method, args, 0);
}

// Names or values of a list of pairs.
Value PairField(const Value& pairs, std::string_view field) {
  List out;
  for (const Value& pair : pairs.as_list()) out.push_back(pair.as_map().at(std::string(field)));
  return StringsValue(std::move(out));
}

std::string PairsString(const Value& pairs) {
  std::string out;
  for (const Value& pair : pairs.as_list()) {
    if (!out.empty()) out += ", ";
    out += pair.as_map().at("Name").as_string() + "=" + pair.as_map().at("Value").as_string();
  }
  return out;
}

// KV.SortedPairs: alertname first, then by name.
Value SortedPairs(const Value& kv) {
  List pairs;
  auto add = [&pairs](const std::string& name, const Value& value) {
    pairs.push_back(Value::Object("template.Pair", Map{{"Name", name}, {"Value", value}}));
  };
  const Map& entries = kv.as_map();
  auto alertname = entries.find(kAlertName);
  if (alertname != entries.end()) add(alertname->first, alertname->second);
  for (const auto& [name, value] : entries) {
    if (name != kAlertName) add(name, value);
  }
  return Value::FromList(std::move(pairs), PairsMethods());
}

Result<Value> NoArgs(std::string_view method, std::span<const Value> args, Value result) {
  ARGUS_RETURN_IF_ERROR(CheckArgCount(method, args, 0));
  return result;
}

std::shared_ptr<const MethodTable> StringsMethods() {
  static const auto methods = [] {
    auto m = std::make_shared<MethodTable>();
    (*m)["Join"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
      ARGUS_ASSIGN_OR_RETURN(std::string sep, OneString("Join", args));
      std::string out;
      for (const Value& item : self.as_list()) {
        if (&item != &self.as_list().front()) out += sep;
        if (item.kind() == Value::Kind::kString) out += item.as_string();
      }
      return Value(std::move(out));
    };
    return std::shared_ptr<const MethodTable>(std::move(m));
  }();
  return methods;
}

std::shared_ptr<const MethodTable> PairsMethods() {
  static const auto methods = [] {
    auto m = std::make_shared<MethodTable>();
    (*m)["Names"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("Names", args, PairField(self, "Name"));
    };
    (*m)["Values"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("Values", args, PairField(self, "Value"));
    };
    (*m)["String"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("String", args, Value(PairsString(self)));
    };
    return std::shared_ptr<const MethodTable>(std::move(m));
  }();
  return methods;
}

std::shared_ptr<const MethodTable> KVMethods() {
  static const auto methods = [] {
    auto m = std::make_shared<MethodTable>();
    (*m)["SortedPairs"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("SortedPairs", args, SortedPairs(self));
    };
    (*m)["Names"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("Names", args, PairField(SortedPairs(self), "Name"));
    };
    (*m)["Values"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("Values", args, PairField(SortedPairs(self), "Value"));
    };
    (*m)["String"] = [](const Value& self, std::span<const Value> args) {
      return NoArgs("String", args, Value(PairsString(SortedPairs(self))));
    };
    (*m)["Remove"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
      ARGUS_RETURN_IF_ERROR(CheckArgCount("Remove", args, 1));
      if (args[0].kind() != Value::Kind::kList) {
        return Status::Errorf("wrong type for value; expected []string; got {}",
                              args[0].TypeName());
      }
      Map kept = self.as_map();
      for (const Value& key : args[0].as_list()) {
        if (key.kind() != Value::Kind::kString) {
          return Status::Errorf("wrong type for value; expected string; got {}", key.TypeName());
        }
        kept.erase(key.as_string());
      }
      return Value::FromMap(std::move(kept), Value(""), KVMethods());
    };
    return std::shared_ptr<const MethodTable>(std::move(m));
  }();
  return methods;
}

std::shared_ptr<const MethodTable> AlertsMethods() {
  static const auto methods = [] {
    auto m = std::make_shared<MethodTable>();
    auto with_status = [](std::string status) {
      return [status](const Value& self, std::span<const Value> args) -> Result<Value> {
        ARGUS_RETURN_IF_ERROR(CheckArgCount(status == "firing" ? "Firing" : "Resolved", args, 0));
        List out;
        for (const Value& alert : self.as_list()) {
          const Value& s = alert.as_map().at("Status");
          if (s.kind() == Value::Kind::kString && s.as_string() == status) out.push_back(alert);
        }
        return Value::FromList(std::move(out));
      };
    };
    (*m)["Firing"] = with_status("firing");
    (*m)["Resolved"] = with_status("resolved");
    return std::shared_ptr<const MethodTable>(std::move(m));
  }();
  return methods;
}

// The labels of `sets` that all of them share.
model::Labels Common(const std::vector<const model::Labels*>& sets) {
  if (sets.empty()) return {};
  std::vector<model::Label> common(sets[0]->begin(), sets[0]->end());
  for (const model::Labels* set : sets) {
    std::erase_if(common, [set](const model::Label& l) { return set->Get(l.name) != l.value; });
  }
  return model::Labels::FromUnsorted(std::move(common));
}

// Go's regexp.QuoteMeta.
std::string QuoteMeta(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

Value AlertmanagerKV(const model::Labels& labels) { return Value::FromLabels(labels, KVMethods()); }

Value AlertmanagerAlertValue(const AlertmanagerAlert& alert) {
  return Value::Object("template.Alert", Map{{"Status", alert.status},
                                             {"Labels", AlertmanagerKV(alert.labels)},
                                             {"Annotations", AlertmanagerKV(alert.annotations)},
                                             {"StartsAt", Value::Time(GoTime(alert.starts_at))},
                                             {"EndsAt", Value::Time(GoTime(alert.ends_at))},
                                             {"GeneratorURL", alert.generator_url},
                                             {"Fingerprint", alert.fingerprint}});
}

Value AlertmanagerDataValue(const AlertmanagerData& data) {
  List alerts;
  alerts.reserve(data.alerts.size());
  for (const AlertmanagerAlert& alert : data.alerts)
    alerts.push_back(AlertmanagerAlertValue(alert));
  return Value::Object("template.Data",
                       Map{{"Receiver", data.receiver},
                           {"Status", data.status},
                           {"Alerts", Value::FromList(std::move(alerts), AlertsMethods())},
                           {"GroupLabels", AlertmanagerKV(data.group_labels)},
                           {"CommonLabels", AlertmanagerKV(data.common_labels)},
                           {"CommonAnnotations", AlertmanagerKV(data.common_annotations)},
                           {"ExternalURL", data.external_url}});
}

AlertmanagerData MakeAlertmanagerData(std::string_view receiver, const model::Labels& group_labels,
                                      std::span<const model::Alert> alerts, int64_t now_ms,
                                      std::string_view external_url) {
  AlertmanagerData data;
  data.receiver = QuoteMeta(receiver);
  data.status = "resolved";
  data.group_labels = group_labels;
  data.external_url = std::string(external_url);
  std::vector<const model::Labels*> labels;
  std::vector<const model::Labels*> annotations;
  for (const model::Alert& alert : alerts) {
    AlertmanagerAlert& a = data.alerts.emplace_back();
    bool resolved = alert.ends_at_ms != 0 && alert.ends_at_ms <= now_ms;
    a.status = resolved ? "resolved" : "firing";
    if (!resolved) data.status = "firing";
    a.labels = alert.labels;
    a.annotations = alert.annotations;
    if (alert.starts_at_ms != 0) a.starts_at = absl::FromUnixMillis(alert.starts_at_ms);
    if (alert.ends_at_ms != 0) a.ends_at = absl::FromUnixMillis(alert.ends_at_ms);
    a.generator_url = alert.generator_url;
    a.fingerprint = LabelsFingerprint(alert.labels);
    labels.push_back(&alert.labels);
    annotations.push_back(&alert.annotations);
  }
  data.common_labels = Common(labels);
  data.common_annotations = Common(annotations);
  return data;
}

std::string LabelsFingerprint(const model::Labels& labels) {
  constexpr uint64_t kOffset = 14695981039346656037ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = kOffset;
  auto add = [&hash](std::string_view s) {
    for (unsigned char c : s) {
      hash ^= c;
      hash *= kPrime;
    }
  };
  for (const model::Label& label : labels) {
    add(label.name);
    add("\xff");
    add(label.value);
    add("\xff");
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace argus::tmpl
