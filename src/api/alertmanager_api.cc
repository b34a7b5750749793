// Alertmanager's API v2: registration, alerts, groups, status and receivers.

#include "api/alertmanager_api.h"

#include <absl/container/flat_hash_map.h>
#include <re2/re2.h>

#include <algorithm>

#include "api/alertmanager_json.h"
#include "model/matcher.h"
#include "notify/render_data.h"

namespace argus::api {
namespace {

using alertmanager::RespondError;

// Which alerts a listing shows: Alertmanager's alertFilter and its receiver filter.
struct AlertFilter {
  bool active = true;
  bool silenced = true;
  bool inhibited = true;
  std::vector<model::Matcher> matchers;
  std::shared_ptr<const re2::RE2> receiver;  // Anchored; null: any.

  static Result<AlertFilter> Parse(const http::Request& req) {
    AlertFilter f;
    ARGUS_ASSIGN_OR_RETURN(f.active, alertmanager::BoolParam(req, "active", true));
    ARGUS_ASSIGN_OR_RETURN(f.silenced, alertmanager::BoolParam(req, "silenced", true));
    ARGUS_ASSIGN_OR_RETURN(f.inhibited, alertmanager::BoolParam(req, "inhibited", true));
    ARGUS_ASSIGN_OR_RETURN(f.matchers, alertmanager::FilterParam(req));
    if (std::string_view re = req.Param("receiver"); !re.empty()) {
      auto compiled = model::CompileAnchored(re);
      if (!compiled.ok()) {
        return Status::Errorf(Status::Code::kInvalidInput, "failed to parse receiver param: {}",
                              compiled.status().message());
      }
      f.receiver = *compiled;
    }
    return f;
  }

  bool Shows(const notify::AlertMuteStatus& status, const model::Labels& labels) const {
    if (!active && status.State() == "active") return false;
    if (!silenced && !status.silenced_by.empty()) return false;
    if (!inhibited && !status.inhibited_by.empty()) return false;
    return alertmanager::MatchesFilter(matchers, labels);
  }
  bool ShowsReceiver(std::string_view name) const {
    return receiver == nullptr || re2::RE2::FullMatch(name, *receiver);
  }
};

// The dispatcher in force, or a 503.
std::shared_ptr<notify::Dispatcher> DispatcherOr503(const AlertmanagerSources& s,
                                                    http::Response* r) {
  std::shared_ptr<notify::Dispatcher> d = s.dispatcher ? s.dispatcher() : nullptr;
  if (d == nullptr) RespondError(r, 503, "the notifier is not configured");
  return d;
}

void RespondJson(http::Response* r, std::string body) {
  r->status = 200;
  r->content_type = "application/json";
  r->body = std::move(body);
}

}  // namespace

AlertmanagerApiMetrics::AlertmanagerApiMetrics(MetricsRegistry& registry)
    : AlertmanagerApiMetrics(
          registry.AddCounterFamily("alertmanager_alerts_received_total",
                                    "The total number of received alerts.", {"status", "version"}),
          registry.AddCounterFamily("alertmanager_alerts_invalid_total",
                                    "The total number of received alerts that were invalid.",
                                    {"version"})) {}

// Only the children of API v2: Argus has no v1.
AlertmanagerApiMetrics::AlertmanagerApiMetrics(CounterFamily& received, CounterFamily& invalid)
    : firing_(received.WithLabels({"firing", "v2"})),
      resolved_(received.WithLabels({"resolved", "v2"})),
      invalid_(invalid.WithLabels({"v2"})) {}

void GetAlerts(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  auto filter = AlertFilter::Parse(req);
  if (!filter.ok()) return RespondError(r, 400, filter.status().message());
  auto d = DispatcherOr503(s, r);
  if (d == nullptr) return;
  const int64_t now_ms = s.clock->NowMillis();
  std::vector<notify::StoredAlert> alerts = s.alerts->List();
  // By fingerprint, as Alertmanager sorts them (the same order as its 16 hex digits).
  std::sort(alerts.begin(), alerts.end(), [](const auto& a, const auto& b) {
    return notify::AlertFingerprint(a.alert.labels) < notify::AlertFingerprint(b.alert.labels);
  });
  std::string body;
  {
    JsonWriter w(&body);
    w.BeginArray();
    for (const notify::StoredAlert& a : alerts) {
      if (a.alert.ends_at_ms != 0 && a.alert.ends_at_ms < now_ms) continue;
      const notify::AlertMuteStatus status = d->StatusOf(a.alert.labels);
      if (!filter->Shows(status, a.alert.labels)) continue;
      std::vector<std::string> receivers = d->ReceiversOf(a.alert.labels);
      if (!std::any_of(receivers.begin(), receivers.end(),
                       [&](const std::string& n) { return filter->ShowsReceiver(n); })) {
        continue;
      }
      alertmanager::WriteAlert(w, a.alert, a.updated_at_ms, receivers, status);
    }
    w.EndArray();
  }
  RespondJson(r, std::move(body));
}

void PostAlerts(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  auto d = DispatcherOr503(s, r);
  if (d == nullptr) return;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  simdjson::padded_string padded(req.body);
  if (parser.parse(padded).get(array) != simdjson::SUCCESS) {
    return RespondError(r, 400, "body must be a JSON array of alerts");
  }
  std::vector<model::Alert> alerts;
  for (simdjson::dom::element e : array) {
    simdjson::dom::object object;
    simdjson::dom::element labels;
    if (e.get(object) != simdjson::SUCCESS || object["labels"].get(labels) != simdjson::SUCCESS) {
      return RespondError(r, 400, "labels in body is required");
    }
    model::Alert alert;
    auto read = [&]() -> Status {
      ARGUS_ASSIGN_OR_RETURN(alert.labels, alertmanager::ReadLabels(labels, "labels"));
      simdjson::dom::element annotations;
      if (object["annotations"].get(annotations) == simdjson::SUCCESS && !annotations.is_null()) {
        ARGUS_ASSIGN_OR_RETURN(alert.annotations,
                               alertmanager::ReadLabels(annotations, "annotations"));
      }
      ARGUS_ASSIGN_OR_RETURN(alert.starts_at_ms, alertmanager::ReadTime(object, "startsAt"));
      ARGUS_ASSIGN_OR_RETURN(alert.ends_at_ms, alertmanager::ReadTime(object, "endsAt"));
      std::string_view url;
      if (object["generatorURL"].get(url) == simdjson::SUCCESS) alert.generator_url = url;
      return Status::Ok();
    };
    if (Status st = read(); !st.ok()) return RespondError(r, 400, st.message());
    alerts.push_back(std::move(alert));
  }
  if (s.metrics != nullptr) {
    const int64_t now_ms = s.clock->NowMillis();
    for (const model::Alert& alert : alerts) {
      s.metrics->CountReceived(notify::ResolvedAt(alert, now_ms));
    }
  }
  size_t invalid = 0;
  Status put = d->PutAlerts(std::move(alerts), &invalid);
  if (s.metrics != nullptr) s.metrics->CountInvalid(invalid);
  if (!put.ok()) return RespondError(r, 400, put.message());
  r->status = 200;
  r->body.clear();
}

void GetAlertGroups(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  auto filter = AlertFilter::Parse(req);
  if (!filter.ok()) return RespondError(r, 400, filter.status().message());
  auto d = DispatcherOr503(s, r);
  if (d == nullptr) return;
  const int64_t now_ms = s.clock->NowMillis();
  // The groups and alerts shown, and for each alert the receivers of the groups it is shown in.
  std::vector<notify::AlertGroupView> groups = d->Groups();
  absl::flat_hash_map<uint64_t, std::vector<std::string>> receivers;
  absl::flat_hash_map<uint64_t, notify::AlertMuteStatus> statuses;
  for (notify::AlertGroupView& group : groups) {
    if (!filter->ShowsReceiver(group.receiver)) {
      group.alerts.clear();
      continue;
    }
    std::erase_if(group.alerts, [&](const notify::StoredAlert& a) {
      if (a.alert.ends_at_ms != 0 && a.alert.ends_at_ms < now_ms) return true;
      const uint64_t fp = a.alert.labels.Hash();
      auto status = statuses.find(fp);
      if (status == statuses.end())
        status = statuses.emplace(fp, d->StatusOf(a.alert.labels)).first;
      if (!filter->Shows(status->second, a.alert.labels)) return true;
      receivers[fp].push_back(group.receiver);
      return false;
    });
  }
  for (auto& [fp, names] : receivers) std::sort(names.begin(), names.end());
  std::string body;
  {
    JsonWriter w(&body);
    w.BeginArray();
    for (const notify::AlertGroupView& group : groups) {
      if (group.alerts.empty()) continue;
      w.BeginObject();
      w.Key("alerts");
      w.BeginArray();
      for (const notify::StoredAlert& a : group.alerts) {
        const uint64_t fp = a.alert.labels.Hash();
        alertmanager::WriteAlert(w, a.alert, a.updated_at_ms, receivers[fp], statuses[fp]);
      }
      w.EndArray();
      w.Key("labels");
      w.Labels(group.labels);
      w.Key("receiver");
      w.BeginObject();
      w.Key("name");
      w.String(group.receiver);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  RespondJson(r, std::move(body));
}

void GetStatus(const AlertmanagerSources& s, const http::Request&, http::Response* r) {
  std::shared_ptr<const config::NotifyConfig> config = s.config ? s.config() : nullptr;
  std::string body;
  {
    JsonWriter w(&body);
    w.BeginObject();
    w.Key("cluster");
    w.BeginObject();
    w.Key("peers");
    w.BeginArray();
    w.EndArray();
    w.Key("status");
    w.String("disabled");
    w.EndObject();
    w.Key("config");
    w.BeginObject();
    w.Key("original");
    w.String(config ? config->original : "");
    w.EndObject();
    w.Key("uptime");
    w.String(alertmanager::FormatDateTime(s.start_time_ms));
    w.Key("versionInfo");
    w.BeginObject();
    for (auto [key, value] : {std::pair{"branch", &s.build.branch},
                              {"buildDate", &s.build.build_date},
                              {"buildUser", &s.build.build_user},
                              {"goVersion", &s.build.toolchain},
                              {"revision", &s.build.revision},
                              {"version", &s.build.version}}) {
      w.Key(key);
      w.String(*value);
    }
    w.EndObject();
    w.EndObject();
  }
  RespondJson(r, std::move(body));
}

void GetReceivers(const AlertmanagerSources& s, const http::Request&, http::Response* r) {
  std::shared_ptr<const config::NotifyConfig> config = s.config ? s.config() : nullptr;
  std::string body;
  {
    JsonWriter w(&body);
    w.BeginArray();
    if (config) {
      for (const config::Receiver& receiver : config->receivers) {
        w.BeginObject();
        w.Key("name");
        w.String(receiver.name);
        w.EndObject();
      }
    }
    w.EndArray();
  }
  RespondJson(r, std::move(body));
}

void RegisterAlertmanagerRoutes(AlertmanagerSources sources, http::Router* router) {
  auto shared = std::make_shared<const AlertmanagerSources>(std::move(sources));
  using Func = void (*)(const AlertmanagerSources&, const http::Request&, http::Response*);
  auto handle = [&](std::string method, std::string path, Func f) {
    router->Handle(
        std::move(method), std::move(path),
        [shared, f](const http::Request& req, http::Response* r) { f(*shared, req, r); });
  };
  handle("GET", "/api/v2/alerts", GetAlerts);
  handle("POST", "/api/v2/alerts", PostAlerts);
  handle("GET", "/api/v2/alerts/groups", GetAlertGroups);
  handle("GET", "/api/v2/silences", GetSilences);
  handle("POST", "/api/v2/silences", PostSilences);
  handle("GET", "/api/v2/silence/*", GetSilence);
  handle("DELETE", "/api/v2/silence/*", DeleteSilence);
  handle("GET", "/api/v2/status", GetStatus);
  handle("GET", "/api/v2/receivers", GetReceivers);
}

}  // namespace argus::api
