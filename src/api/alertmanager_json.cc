#include "api/alertmanager_json.h"

#include <absl/time/time.h>

#include "api/params.h"
#include "model/matcher_syntax.h"
#include "notify/render_data.h"

namespace argus::api::alertmanager {

std::string FormatDateTime(int64_t t_ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(t_ms), absl::UTCTimeZone());
}

void RespondError(http::Response* r, int status, std::string_view message) {
  r->status = status;
  r->content_type = "application/json";
  r->body.clear();
  JsonWriter w(&r->body);
  w.String(message);
}

Result<bool> BoolParam(const http::Request& req, std::string_view name, bool fallback) {
  if (req.params.find(std::string(name)) == req.params.end()) return fallback;
  std::string_view value = req.Param(name);
  if (value == "true") return true;
  if (value == "false") return false;
  return Status::Errorf(Status::Code::kInvalidInput, "{} in query should be a boolean: \"{}\"",
                        name, value);
}

Result<std::vector<model::Matcher>> FilterParam(const http::Request& req) {
  std::vector<model::Matcher> out;
  for (const std::string& filter : req.Params("filter")) {
    ARGUS_ASSIGN_OR_RETURN(model::Matcher m, model::ParseMatcher(filter));
    out.push_back(std::move(m));
  }
  return out;
}

bool MatchesFilter(const std::vector<model::Matcher>& filter, const model::Labels& labels) {
  for (const model::Matcher& m : filter) {
    const bool present = labels.Has(m.name());
    const bool negative = m.type() == model::Matcher::Type::kNotEqual ||
                          m.type() == model::Matcher::Type::kRegexNoMatch;
    if (m.value().empty() && present == negative) continue;
    if (!m.Matches(labels.Get(m.name()))) return false;
  }
  return true;
}

void WriteAlert(JsonWriter& w, const model::Alert& alert, int64_t updated_at_ms,
                const std::vector<std::string>& receivers, const notify::AlertMuteStatus& status) {
  w.BeginObject();
  w.Key("annotations");
  w.Labels(alert.annotations);
  w.Key("endsAt");
  w.String(FormatDateTime(alert.ends_at_ms));
  w.Key("fingerprint");
  w.String(notify::FormatFingerprint(notify::AlertFingerprint(alert.labels)));
  w.Key("receivers");
  w.BeginArray();
  for (const std::string& name : receivers) {
    w.BeginObject();
    w.Key("name");
    w.String(name);
    w.EndObject();
  }
  w.EndArray();
  w.Key("startsAt");
  w.String(FormatDateTime(alert.starts_at_ms));
  w.Key("status");
  w.BeginObject();
  for (auto [key, ids] : {std::pair{"inhibitedBy", &status.inhibited_by},
                          std::pair{"silencedBy", &status.silenced_by}}) {
    w.Key(key);
    w.BeginArray();
    for (const std::string& id : *ids) w.String(id);
    w.EndArray();
  }
  w.Key("state");
  w.String(status.State());
  w.EndObject();
  w.Key("updatedAt");
  w.String(FormatDateTime(updated_at_ms));
  if (!alert.generator_url.empty()) {
    w.Key("generatorURL");
    w.String(alert.generator_url);
  }
  w.Key("labels");
  w.Labels(alert.labels);
  w.EndObject();
}

void WriteSilence(JsonWriter& w, const notify::Silence& silence, int64_t now_ms) {
  w.BeginObject();
  w.Key("id");
  w.String(silence.id);
  w.Key("status");
  w.BeginObject();
  w.Key("state");
  w.String(notify::SilenceStateName(notify::StateAt(silence, now_ms)));
  w.EndObject();
  w.Key("updatedAt");
  w.String(FormatDateTime(silence.updated_at_ms));
  w.Key("comment");
  w.String(silence.comment);
  w.Key("createdBy");
  w.String(silence.created_by);
  w.Key("endsAt");
  w.String(FormatDateTime(silence.ends_at_ms));
  w.Key("matchers");
  w.BeginArray();
  for (const model::Matcher& m : silence.matchers) {
    using Type = model::Matcher::Type;
    w.BeginObject();
    w.Key("isEqual");
    w.Bool(m.type() == Type::kEqual || m.type() == Type::kRegexMatch);
    w.Key("isRegex");
    w.Bool(m.type() == Type::kRegexMatch || m.type() == Type::kRegexNoMatch);
    w.Key("name");
    w.String(m.name());
    w.Key("value");
    w.String(m.value());
    w.EndObject();
  }
  w.EndArray();
  w.Key("startsAt");
  w.String(FormatDateTime(silence.starts_at_ms));
  w.EndObject();
}

Result<model::Labels> ReadLabels(simdjson::dom::element e, std::string_view what) {
  simdjson::dom::object object;
  if (e.get(object) != simdjson::SUCCESS) {
    return Status::Errorf(Status::Code::kInvalidInput, "{} must be an object", what);
  }
  std::vector<model::Label> labels;
  for (auto [key, value] : object) {
    std::string_view text;
    if (value.get(text) != simdjson::SUCCESS) {
      return Status::Errorf(Status::Code::kInvalidInput, "{}: value of {} must be a string", what,
                            key);
    }
    labels.push_back(model::Label{std::string(key), std::string(text)});
  }
  return model::Labels::FromUnsorted(std::move(labels));
}

Result<int64_t> ReadTime(simdjson::dom::object object, std::string_view field) {
  simdjson::dom::element e;
  if (object[field].get(e) != simdjson::SUCCESS || e.is_null()) return int64_t{0};
  std::string_view text;
  if (e.get(text) != simdjson::SUCCESS) {
    return Status::Errorf(Status::Code::kInvalidInput, "{} must be a string", field);
  }
  if (text.empty()) return int64_t{0};
  auto t = ParseTime(text);
  if (!t.ok()) {
    return Status::Errorf(Status::Code::kInvalidInput, "{}: {}", field, t.status().message());
  }
  // Go's zero time, which clients such as amtool send for a time they leave unset.
  constexpr int64_t kGoZeroTime = -62'135'596'800'000;
  return *t == kGoZeroTime ? 0 : *t;
}

}  // namespace argus::api::alertmanager
