// Alertmanager's time intervals (`time_intervals:` and the older `mute_time_intervals:`): named
// lists of periods, each of times of day, weekdays, days of the month, months, years and a zone.

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <span>

#include "config/notify_parts.h"

namespace argus::config {
namespace {

using Range = TimePeriod::Range;

constexpr std::string_view kWeekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday"};
constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Result<int> ParseInt(std::string_view text) {
  std::string_view digits = text.starts_with('+') ? text.substr(1) : text;
  int n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "strconv.Atoi: parsing \"{}\": invalid syntax", text);
  }
  return n;
}

// A member of a range: a number, or a name from `names` (numbered from `first`).
Result<int> Member(std::string_view text, std::span<const std::string_view> names, int first,
                   bool numbers_allowed, std::string_view what) {
  auto it = std::find(names.begin(), names.end(), text);
  if (it != names.end()) return first + static_cast<int>(it - names.begin());
  if (numbers_allowed) {
    auto n = ParseInt(text);
    if (n.ok() || names.empty()) return n;
  }
  return Status::Errorf(Status::Code::kInvalidInput, "{} is not a valid {}", text, what);
}

// "a:b" or "a", lower-cased, as two members.
Result<Range> ParseRange(const std::string& text, std::span<const std::string_view> names,
                         int first, bool numbers_allowed, std::string_view what) {
  std::string in = Lower(text);
  size_t colon = in.find(':');
  if (colon == std::string::npos) {
    ARGUS_ASSIGN_OR_RETURN(int n, Member(in, names, first, numbers_allowed, what));
    return Range{n, n};
  }
  if (in.find(':', colon + 1) != std::string::npos) {
    return Status::Errorf(Status::Code::kInvalidInput, "couldn't parse range {}, invalid format",
                          in);
  }
  ARGUS_ASSIGN_OR_RETURN(int begin,
                         Member(in.substr(0, colon), names, first, numbers_allowed, what));
  ARGUS_ASSIGN_OR_RETURN(int end,
                         Member(in.substr(colon + 1), names, first, numbers_allowed, what));
  return Range{begin, end};
}

Status Invalid(std::string message) {
  return Status::Error(std::move(message), Status::Code::kInvalidInput);
}

Result<Range> Weekdays(const std::string& text) {
  ARGUS_ASSIGN_OR_RETURN(Range r, ParseRange(text, kWeekdays, 0, false, "weekday"));
  if (r.begin > r.end) return Invalid("start day cannot be before end day");
  return r;
}

Result<Range> DaysOfMonth(const std::string& text) {
  ARGUS_ASSIGN_OR_RETURN(Range r, ParseRange(text, {}, 0, true, "day"));
  for (int day : {r.begin, r.end}) {
    if (day == 0 || day < -31 || day > 31) {
      return Invalid(fmt::format("{} is not a valid day of the month: out of range", day));
    }
  }
  if (r.begin < 0 && r.end > 0) return Invalid("end day must be negative if start day is negative");
  // Negative days count from the end of a month; compare them as in the shortest month.
  int begin = r.begin < 0 ? 28 + r.begin : r.begin;
  int end = r.end < 0 ? 28 + r.end : r.end;
  if (begin > end) {
    return Invalid(fmt::format("end day {} is always before start day {}", r.end, r.begin));
  }
  return r;
}

Result<Range> Months(const std::string& text) {
  ARGUS_ASSIGN_OR_RETURN(Range r, ParseRange(text, kMonths, 1, true, "month"));
  if (r.begin > r.end) {
    auto name = [](int m) { return m >= 1 && m <= 12 ? kMonths[m - 1] : std::string_view(""); };
    return Invalid(
        fmt::format("end month {} is before start month {}", name(r.end), name(r.begin)));
  }
  return r;
}

Result<Range> Years(const std::string& text) {
  ARGUS_ASSIGN_OR_RETURN(Range r, ParseRange(text, {}, 0, true, "year"));
  if (r.begin > r.end) {
    return Invalid(fmt::format("end year {} is before start year {}", r.end, r.begin));
  }
  return r;
}

// "HH:MM" from 00:00 to 24:00, in minutes.
Result<int> MinuteOfDay(const std::string& text) {
  bool valid = text == "24:00" || (text.size() == 5 && text[2] == ':' &&
                                   ((text[0] == '0' || text[0] == '1')
                                        ? std::isdigit(text[1])
                                        : (text[0] == '2' && text[1] >= '0' && text[1] <= '3')) &&
                                   text[3] >= '0' && text[3] <= '5' && std::isdigit(text[4]));
  if (!valid) return Invalid(fmt::format("couldn't parse timestamp {}, invalid format", text));
  return std::stoi(text.substr(0, 2)) * 60 + std::stoi(text.substr(3));
}

void ReadTimes(MapReader& p, std::vector<Range>* out) {
  YAML::Node list = p.Child("times");
  if (!Present(list)) return;
  if (!list.IsSequence()) return p.Fail(list, p.ChildPath("times"), "expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader t(list[i], p.ChildPath("times", i), p.diagnostics());
    std::string start, end;
    t.Read("start_time", &start);
    t.Read("end_time", &end);
    t.Finish();
    if (!t.ok()) continue;
    if (start.empty() || end.empty()) {
      t.Fail(list[i], t.path(), "both start and end times must be provided");
      continue;
    }
    auto begin_minute = MinuteOfDay(start);
    auto end_minute = MinuteOfDay(end);
    Status status = !begin_minute.ok() ? begin_minute.status() : end_minute.status();
    if (status.ok() && *begin_minute >= *end_minute) {
      status = Invalid("start time cannot be equal or greater than end time");
    }
    if (!status.ok()) {
      t.Fail(list[i], t.path(), status.message());
      continue;
    }
    out->push_back({*begin_minute, *end_minute});
  }
}

void ReadRanges(MapReader& p, const char* key, Result<Range> (*parse)(const std::string&),
                std::vector<Range>* out) {
  std::vector<std::string> texts;
  p.Read(key, &texts);
  for (size_t i = 0; i < texts.size(); ++i) {
    auto range = parse(texts[i]);
    if (!range.ok()) {
      p.Fail(p.Child(key)[i], p.ChildPath(key, i), range.status().message());
      continue;
    }
    out->push_back(*range);
  }
}

// Whether `name` is a zone Argus can load, as Go's time.LoadLocation would.
bool IsKnownZone(const std::string& name) {
  if (name == "UTC" || name == "Local" || name.empty()) return true;
  if (name.starts_with('/') || name.find("..") != std::string::npos) return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / name, ec);
}

TimePeriod ReadPeriod(const YAML::Node& node, const std::string& path, Diagnostics& diagnostics) {
  MapReader p(node, path, diagnostics);
  TimePeriod period;
  ReadTimes(p, &period.times);
  ReadRanges(p, "weekdays", Weekdays, &period.weekdays);
  ReadRanges(p, "days_of_month", DaysOfMonth, &period.days_of_month);
  ReadRanges(p, "months", Months, &period.months);
  ReadRanges(p, "years", Years, &period.years);
  p.Read("location", &period.location);
  if (period.location.empty()) period.location = "UTC";
  if (!IsKnownZone(period.location)) {
    p.Fail(p.Child("location"), p.ChildPath("location"),
           fmt::format("unknown time zone {}", period.location));
  }
  p.Finish();
  return period;
}

}  // namespace

void ReadTimeIntervals(MapReader& r, const char* key, std::set<std::string>* names,
                       std::vector<TimeInterval>* out) {
  YAML::Node list = r.Child(key);
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath(key), "expected a list");
  bool mute = std::string_view(key) == "mute_time_intervals";
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader t(list[i], r.ChildPath(key, i), r.diagnostics());
    if (!Present(list[i])) {
      t.Fail(list[i], t.path(),
             mute ? "missing name in mute time interval" : "missing name in time interval");
    }
    if (!list[i].IsMap()) continue;  // Else reported by the reader.
    TimeInterval interval;
    t.Read("name", &interval.name);
    YAML::Node periods = t.Child("time_intervals");
    if (Present(periods) && !periods.IsSequence()) {
      t.Fail(periods, t.ChildPath("time_intervals"), "expected a list");
    } else if (Present(periods)) {
      for (size_t j = 0; j < periods.size(); ++j) {
        interval.periods.push_back(
            ReadPeriod(periods[j], t.ChildPath("time_intervals", j), r.diagnostics()));
      }
    }
    t.Finish();
    if (interval.name.empty()) {
      t.Fail(list[i], t.path(),
             mute ? "missing name in mute time interval" : "missing name in time interval");
      continue;
    }
    if (!names->insert(interval.name).second) {
      t.Fail(
          t.Child("name"), t.ChildPath("name"),
          fmt::format("{}time interval \"{}\" is not unique", mute ? "mute " : "", interval.name));
      continue;
    }
    out->push_back(std::move(interval));
  }
}

}  // namespace argus::config
