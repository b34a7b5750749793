#pragma once

// Pieces shared by the Alertmanager API v2 handlers: its time format, its parameters, and the
// JSON of its objects. Internal to src/api.

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/json_writer.h"
#include "base/status.h"
#include "http/server.h"
#include "model/alert.h"
#include "model/matcher.h"
#include "notify/dispatch_marker.h"
#include "notify/silence.h"

namespace argus::api::alertmanager {

// A time as the API's strfmt.DateTime writes it: RFC 3339 in UTC with milliseconds,
// "2023-11-14T22:13:20.000Z".
std::string FormatDateTime(int64_t t_ms);

// An error answer as Alertmanager's API gives one: the status, and the message as a JSON string.
void RespondError(http::Response* r, int status, std::string_view message);

// A boolean query parameter: `fallback` when absent; kInvalidInput unless "true" or "false".
Result<bool> BoolParam(const http::Request& req, std::string_view name, bool fallback);

// The `filter` parameters: one label matcher each, in Alertmanager's syntax (model::ParseMatcher:
// quoted or bare values, as amtool passes its arguments).
Result<std::vector<model::Matcher>> FilterParam(const http::Request& req);

// Alertmanager's matchFilterLabels: whether `filter` holds for `labels` (an alert's labels, or
// a silence's matchers as name: value). A matcher with an empty value is skipped where the
// label is present for a negative one and where it is absent for a positive one.
bool MatchesFilter(const std::vector<model::Matcher>& filter, const model::Labels& labels);

// Writes a gettableAlert.
void WriteAlert(JsonWriter& w, const model::Alert& alert, int64_t updated_at_ms,
                const std::vector<std::string>& receivers, const notify::AlertMuteStatus& status);

// Writes a gettableSilence, with its state at `now_ms`.
void WriteSilence(JsonWriter& w, const notify::Silence& silence, int64_t now_ms);

// Reads a label set object ({"name": "value", ...}); kInvalidInput naming `what`.
Result<model::Labels> ReadLabels(simdjson::dom::element e, std::string_view what);

// Reads an optional RFC 3339 time field of `object`: 0 when absent, empty, or Go's zero time
// (0001-01-01T00:00:00Z).
Result<int64_t> ReadTime(simdjson::dom::object object, std::string_view field);

}  // namespace argus::api::alertmanager
