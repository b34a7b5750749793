// Alertmanager's API v2: silences.

#include <algorithm>
#include <tuple>

#include "api/alertmanager_api.h"
#include "api/alertmanager_json.h"

namespace argus::api {
namespace {

using alertmanager::RespondError;
using notify::Silence;
using notify::SilenceState;

// The silence's id: the last segment of /api/v2/silence/{id}.
std::string_view IdOf(const http::Request& req) {
  std::string_view path = req.path;
  return path.substr(path.rfind('/') + 1);
}

// Alertmanager's checkSilenceMatchesFilterLabels: the filter judges the silence's matchers as
// the labels name: value (the pattern, for regexes).
bool MatchesFilter(const Silence& silence, const std::vector<model::Matcher>& filter) {
  std::vector<model::Label> labels;
  for (const model::Matcher& m : silence.matchers) labels.push_back({m.name(), m.value()});
  return alertmanager::MatchesFilter(filter, model::Labels::FromUnsorted(std::move(labels)));
}

// Alertmanager's order: active ones ending soonest first, then pending ones starting soonest,
// then expired ones that ended last first.
void SortSilences(std::vector<Silence>& silences, int64_t now_ms) {
  auto rank = [&](const Silence& s) {
    switch (notify::StateAt(s, now_ms)) {
      case SilenceState::kActive:
        return std::tuple(0, s.ends_at_ms);
      case SilenceState::kPending:
        return std::tuple(1, s.starts_at_ms);
      case SilenceState::kExpired:
        return std::tuple(2, -s.ends_at_ms);
    }
    return std::tuple(3, int64_t{0});
  };
  std::stable_sort(silences.begin(), silences.end(),
                   [&](const Silence& a, const Silence& b) { return rank(a) < rank(b); });
}

Result<model::Matcher> ReadMatcher(simdjson::dom::element e) {
  std::string_view name, value;
  bool is_regex = false, is_equal = true;
  if (e["name"].get(name) != simdjson::SUCCESS || e["value"].get(value) != simdjson::SUCCESS ||
      e["isRegex"].get(is_regex) != simdjson::SUCCESS) {
    return Status::Error("a matcher needs name, value and isRegex", Status::Code::kInvalidInput);
  }
  bool given;
  if (e["isEqual"].get(given) == simdjson::SUCCESS) is_equal = given;
  using Type = model::Matcher::Type;
  const Type type = is_regex ? (is_equal ? Type::kRegexMatch : Type::kRegexNoMatch)
                             : (is_equal ? Type::kEqual : Type::kNotEqual);
  return model::Matcher::Make(type, std::string(name), std::string(value));
}

Result<Silence> ReadSilence(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  simdjson::padded_string padded(body);
  if (parser.parse(padded).get(object) != simdjson::SUCCESS) {
    return Status::Error("body must be a JSON object", Status::Code::kInvalidInput);
  }
  Silence s;
  std::string_view text;
  if (object["id"].get(text) == simdjson::SUCCESS) s.id = text;
  if (object["createdBy"].get(text) == simdjson::SUCCESS) s.created_by = text;
  if (object["comment"].get(text) == simdjson::SUCCESS) s.comment = text;
  ARGUS_ASSIGN_OR_RETURN(s.starts_at_ms, alertmanager::ReadTime(object, "startsAt"));
  ARGUS_ASSIGN_OR_RETURN(s.ends_at_ms, alertmanager::ReadTime(object, "endsAt"));
  simdjson::dom::array matchers;
  if (object["matchers"].get(matchers) != simdjson::SUCCESS) {
    return Status::Error("matchers in body is required", Status::Code::kInvalidInput);
  }
  for (simdjson::dom::element e : matchers) {
    ARGUS_ASSIGN_OR_RETURN(model::Matcher m, ReadMatcher(e));
    s.matchers.push_back(std::move(m));
  }
  return s;
}

}  // namespace

void GetSilences(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  auto filter = alertmanager::FilterParam(req);
  if (!filter.ok()) return RespondError(r, 400, filter.status().message());
  const int64_t now_ms = s.clock->NowMillis();
  std::vector<Silence> silences = s.silences->List();
  std::erase_if(silences, [&](const Silence& sil) { return !MatchesFilter(sil, *filter); });
  SortSilences(silences, now_ms);
  r->status = 200;
  r->content_type = "application/json";
  r->body.clear();
  JsonWriter w(&r->body);
  w.BeginArray();
  for (const Silence& silence : silences) alertmanager::WriteSilence(w, silence, now_ms);
  w.EndArray();
}

void PostSilences(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  auto silence = ReadSilence(req.body);
  if (!silence.ok()) return RespondError(r, 400, silence.status().message());
  if (silence->starts_at_ms >= silence->ends_at_ms) {
    return RespondError(r, 400, "Failed to create silence: start time must be before end time");
  }
  if (silence->ends_at_ms < s.clock->NowMillis()) {
    return RespondError(r, 400, "Failed to create silence: end time can't be in the past");
  }
  auto id = s.silences->Set(std::move(*silence));
  if (!id.ok()) {
    const bool not_found = id.status().code() == Status::Code::kNotFound;
    return RespondError(r, not_found ? 404 : 400, id.status().message());
  }
  r->status = 200;
  r->content_type = "application/json";
  r->body.clear();
  JsonWriter w(&r->body);
  w.BeginObject();
  w.Key("silenceID");
  w.String(*id);
  w.EndObject();
}

void GetSilence(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  std::optional<Silence> silence = s.silences->Get(IdOf(req));
  if (!silence) {
    r->status = 404;
    r->body.clear();
    return;
  }
  r->status = 200;
  r->content_type = "application/json";
  r->body.clear();
  JsonWriter w(&r->body);
  alertmanager::WriteSilence(w, *silence, s.clock->NowMillis());
}

void DeleteSilence(const AlertmanagerSources& s, const http::Request& req, http::Response* r) {
  Status expired = s.silences->Expire(IdOf(req));
  r->body.clear();
  if (expired.code() == Status::Code::kNotFound) {
    r->status = 404;
  } else if (!expired.ok()) {
    RespondError(r, 500, expired.message());
  } else {
    r->status = 200;
  }
}

}  // namespace argus::api
