#include "api/params.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>

#include "model/duration.h"
#include "promql/engine.h"
#include "promql/parser/printer_util.h"

namespace argus::api {
namespace {

using Code = Status::Code;

// Go's strconv.ParseFloat for the decimal forms clients send ("1435781451.781", "+1e3", "-5").
std::optional<double> ParseFloat(std::string_view s) {
  if (s.starts_with('+')) s.remove_prefix(1);
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Reads exactly `n` digits at `*pos` of `s`.
std::optional<int> Digits(std::string_view s, size_t* pos, size_t n) {
  if (*pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  return v;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// RFC 3339 as Go's time.Parse(time.RFC3339Nano) takes it: "2006-01-02T15:04:05.999999999Z07:00",
// the fraction optional, the zone "Z" or "+hh:mm"/"-hh:mm".
std::optional<int64_t> ParseRfc3339(std::string_view s) {
  size_t pos = 0;
  auto year = Digits(s, &pos, 4);
  if (!year || !Expect(s, &pos, '-')) return std::nullopt;
  auto month = Digits(s, &pos, 2);
  if (!month || !Expect(s, &pos, '-')) return std::nullopt;
  auto day = Digits(s, &pos, 2);
  if (!day || !Expect(s, &pos, 'T')) return std::nullopt;
  auto hour = Digits(s, &pos, 2);
  if (!hour || !Expect(s, &pos, ':')) return std::nullopt;
  auto minute = Digits(s, &pos, 2);
  if (!minute || !Expect(s, &pos, ':')) return std::nullopt;
  auto second = Digits(s, &pos, 2);
  if (!second) return std::nullopt;
  int64_t millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++digits) {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int offset_minutes = 0;
  if (Expect(s, &pos, 'Z')) {
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos++] == '-' ? -1 : 1;
    auto zh = Digits(s, &pos, 2);
    if (!zh || !Expect(s, &pos, ':')) return std::nullopt;
    auto zm = Digits(s, &pos, 2);
    if (!zm || *zh > 23 || *zm > 59) return std::nullopt;
    offset_minutes = sign * (*zh * 60 + *zm);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(*month),
                                   std::chrono::day(*day)};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  int64_t seconds = days * 86400 + *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

}  // namespace

Status InvalidParam(std::string_view name, std::string_view message) {
  return Status::Errorf(Code::kInvalidInput, "invalid parameter {}: {}", promql::GoQuote(name),
                        message);
}

Result<int64_t> ParseTime(std::string_view text) {
  if (auto f = ParseFloat(text)) {
    // Prometheus splits off the fraction and rounds it to milliseconds.
    double whole = 0;
    double fraction = std::modf(*f, &whole);
    if (std::isfinite(*f) && std::fabs(whole) <= static_cast<double>(kMaxTime / 1000)) {
      return static_cast<int64_t>(whole) * 1000 + std::llround(fraction * 1000);
    }
  } else if (auto t = ParseRfc3339(text)) {
    return *t;
  } else if (text == "-292273086-05-16T16:47:06Z") {  // minTime as Go formats it.
    return kMinTime;
  } else if (text == "292277025-08-18T07:12:54.999999999Z") {  // maxTime.
    return kMaxTime;
  }
  return Status::Errorf(Code::kInvalidInput, "cannot parse {} to a valid timestamp",
                        promql::GoQuote(text));
}

Result<int64_t> ParseDuration(std::string_view text) {
  if (auto f = ParseFloat(text)) {
    double ms = *f * 1000;
    // Go keeps durations in nanoseconds; beyond int64 of those it overflows.
    if (!(std::fabs(ms) <= 9.223372036854775e12)) {
      return Status::Errorf(Code::kInvalidInput,
                            "cannot parse {} to a valid duration. It overflows int64",
                            promql::GoQuote(text));
    }
    return static_cast<int64_t>(ms);
  }
  if (auto d = model::ParseDuration(text); d.ok()) return d->count();
  return Status::Errorf(Code::kInvalidInput, "cannot parse {} to a valid duration",
                        promql::GoQuote(text));
}

Result<int64_t> ParseTimeParam(std::string_view name, std::string_view text, int64_t fallback) {
  if (text.empty()) return fallback;
  auto t = ParseTime(text);
  if (!t.ok()) {
    return InvalidParam(name,
                        fmt::format("invalid time value for '{}': {}", name, t.status().message()));
  }
  return t;
}

Result<size_t> ParseLimitParam(std::string_view text) {
  if (text.empty()) return size_t{0};
  int64_t limit = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return InvalidParam(
        "limit", fmt::format("strconv.Atoi: parsing {}: invalid syntax", promql::GoQuote(text)));
  }
  if (limit < 0) {
    return InvalidParam("limit", "limit must be non-negative");
  }
  return static_cast<size_t>(limit);
}

Result<std::vector<std::vector<model::Matcher>>> ParseMatchers(
    const std::vector<std::string>& selectors) {
  std::vector<std::vector<model::Matcher>> sets;
  for (const auto& selector : selectors) {
    ARGUS_ASSIGN_OR_RETURN(std::vector<model::Matcher> matchers,
                           promql::ParseMetricSelector(selector));
    bool selective = false;
    for (const auto& m : matchers) selective = selective || !m.Matches("");
    if (!selective) {
      return Status::Error("match[] must contain at least one non-empty matcher",
                           Code::kInvalidInput);
    }
    sets.push_back(std::move(matchers));
  }
  return sets;
}

}  // namespace argus::api
