#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/matcher.h"

namespace argus::api {

// Parsing of the Prometheus HTTP API's request parameters, with Prometheus' error messages. Every
// error is kInvalidInput, and the message is what the API returns as a "bad_data" error.

// The oldest and newest times the API can be asked about, in milliseconds: Prometheus' minTime
// and maxTime, the defaults of `start` and `end` where they are optional.
inline constexpr int64_t kMinTime = -9'223'309'901'257'974'000;
inline constexpr int64_t kMaxTime = 9'223'309'901'257'974'999;

// `invalid parameter "name": message`, kInvalidInput: how a bad parameter is reported.
Status InvalidParam(std::string_view name, std::string_view message);

// A time as Unix seconds (a float, rounded to milliseconds) or RFC 3339
// ("2015-07-01T20:10:51.781Z",
// "...+02:00"), in milliseconds. Fails with `cannot parse "x" to a valid timestamp`.
Result<int64_t> ParseTime(std::string_view text);

// A duration as float seconds ("15", "0.5") or a Prometheus duration ("1m30s"), in milliseconds.
// Fails with `cannot parse "x" to a valid duration`.
Result<int64_t> ParseDuration(std::string_view text);

// An optional time parameter: `fallback` when empty; otherwise ParseTime, an error reading
// `invalid parameter "start": invalid time value for 'start': cannot parse ...`.
Result<int64_t> ParseTimeParam(std::string_view name, std::string_view text, int64_t fallback);

// The `limit` parameter of series, labels, label values and queries: 0 (no limit) when empty;
// a negative or malformed one fails as `invalid parameter "limit": ...`.
Result<size_t> ParseLimitParam(std::string_view text);

// The match[] parameters: one matcher set per selector. A selector that does not parse, or whose
// matchers all match the empty string, fails; the message is not yet wrapped with the parameter.
Result<std::vector<std::vector<model::Matcher>>> ParseMatchers(
    const std::vector<std::string>& selectors);

}  // namespace argus::api
