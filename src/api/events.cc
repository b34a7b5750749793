// /api/v1/events: records events (POST) and lists them (GET) for the UI's annotations.

#include <simdjson.h>

#include "api/handlers.h"
#include "api/params.h"
#include "api/response.h"

namespace argus::api {
namespace {

using Code = Status::Code;

Status BadField(std::string_view field, std::string_view what) {
  return Status::Errorf(Code::kInvalidInput, "{} {}", field, what);
}

Result<std::string> GetString(simdjson::dom::element value, std::string_view field) {
  std::string_view s;
  if (value.get(s) != simdjson::SUCCESS) return BadField(field, "must be a string");
  return std::string(s);
}

Result<model::Labels> GetLabels(simdjson::dom::element value) {
  simdjson::dom::object object;
  if (value.get(object) != simdjson::SUCCESS) {
    return BadField("labels", "must be an object of label names and string values");
  }
  std::vector<model::Label> labels;
  for (auto [name, label_value] : object) {
    std::string_view text;
    if (label_value.get(text) != simdjson::SUCCESS) {
      return Status::Errorf(Code::kInvalidInput, "labels: the value of \"{}\" must be a string",
                            name);
    }
    labels.push_back({std::string(name), std::string(text)});
  }
  return model::Labels::FromUnsorted(std::move(labels));
}

// RFC 3339 or Unix seconds, as a string or as a number: the forms of the API's time parameters.
Result<int64_t> GetTime(simdjson::dom::element value) {
  std::string text;
  if (std::string_view s; value.get(s) == simdjson::SUCCESS) {
    text = s;
  } else if (double seconds; value.get(seconds) == simdjson::SUCCESS) {
    text = fmt::format("{}", seconds);
  } else {
    return BadField("time", "must be an RFC 3339 time or Unix seconds");
  }
  auto t = ParseTime(text);
  if (!t.ok()) return t.status().Wrap("time");
  return t;
}

// The event of a POST body; the time is `now_ms` when the body has none. Errors are kInvalidInput
// and name the field.
Result<events::Event> ParseEvent(std::string_view body, int64_t now_ms) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(simdjson::padded_string(body)).get(root); error) {
    return Status::Errorf(Code::kInvalidInput, "the body is not JSON: {}",
                          simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get(object) != simdjson::SUCCESS) {
    return Status::Error("the body must be a JSON object", Code::kInvalidInput);
  }
  events::Event event;
  event.time_ms = now_ms;
  for (auto [key, value] : object) {
    if (key == "kind") {
      ARGUS_ASSIGN_OR_RETURN(event.kind, GetString(value, "kind"));
    } else if (key == "labels") {
      ARGUS_ASSIGN_OR_RETURN(event.labels, GetLabels(value));
    } else if (key == "text") {
      ARGUS_ASSIGN_OR_RETURN(event.text, GetString(value, "text"));
    } else if (key == "link") {
      ARGUS_ASSIGN_OR_RETURN(event.link, GetString(value, "link"));
    } else if (key == "time") {
      ARGUS_ASSIGN_OR_RETURN(event.time_ms, GetTime(value));
    } else {
      return Status::Errorf(Code::kInvalidInput,
                            "unknown field \"{}\": an event has kind, labels, text, link and time",
                            key);
    }
  }
  ARGUS_RETURN_IF_ERROR(events::Validate(event));
  return event;
}

void WriteEvent(JsonWriter& w, const events::Event& event) {
  w.BeginObject();
  w.Key("time");
  w.Timestamp(event.time_ms);
  w.Key("kind");
  w.String(event.kind);
  w.Key("labels");
  w.Labels(event.labels);
  w.Key("text");
  w.String(event.text);
  if (!event.link.empty()) {
    w.Key("link");
    w.String(event.link);
  }
  w.EndObject();
}

bool Available(const Sources& s, http::Response* r) {
  bool available = s.record_event && s.query_events;
  if (!available) RespondError(r, ErrorType::kUnavailable, "events are not available");
  return available;
}

}  // namespace

void RecordEvent(const Sources& s, const http::Request& req, http::Response* r) {
  if (!Available(s, r)) return;
  if (req.body.size() > kMaxEventBodyBytes) {
    return RespondError(r, ErrorType::kTooLarge,
                        fmt::format("the body is {} bytes long; an event takes at most {}",
                                    req.body.size(), kMaxEventBodyBytes));
  }
  auto event = ParseEvent(req.body, s.clock->NowMillis());
  if (!event.ok()) {
    return RespondError(r, ErrorType::kBadData, "invalid event: " + event.status().message());
  }
  if (Status recorded = s.record_event(*event); !recorded.ok()) {
    return recorded.code() == Code::kInvalidInput
               ? RespondError(r, ErrorType::kBadData, "invalid event: " + recorded.message())
               : RespondError(r, ErrorType::kInternal, recorded.message());
  }
  SuccessResponse out(r);
  WriteEvent(out.writer(), *event);
  out.Finish();
}

void ListEvents(const Sources& s, const http::Request& req, http::Response* r) {
  if (!Available(s, r)) return;
  auto start = ParseTimeParam("start", req.Param("start"), kMinTime);
  if (!start.ok()) return RespondBadData(r, start.status());
  auto end = ParseTimeParam("end", req.Param("end"), kMaxTime);
  if (!end.ok()) return RespondBadData(r, end.status());
  if (*end < *start) {
    return RespondBadData(r, InvalidParam("end", "end timestamp must not be before start time"));
  }
  auto selectors = ParseMatchers(req.Params("match[]"));
  if (!selectors.ok()) {
    return RespondBadData(r, InvalidParam("match[]", selectors.status().message()));
  }
  auto events = s.query_events(*start, *end, *selectors);
  if (!events.ok()) return RespondError(r, ErrorType::kInternal, events.status().message());
  SuccessResponse out(r, events->size() * 128);
  out.writer().BeginArray();
  for (const events::Event& event : *events) WriteEvent(out.writer(), event);
  out.writer().EndArray();
  out.Finish();
}

}  // namespace argus::api
