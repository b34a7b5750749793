#include "notify/time_intervals.h"

#include <absl/time/civil_time.h>

#include <algorithm>

namespace argus::notify {
namespace {

using Ranges = std::vector<config::TimePeriod::Range>;

// Whether one of `ranges` holds `value`, ends included. An empty list holds every value.
bool InclusiveRangesHold(const Ranges& ranges, int value) {
  if (ranges.empty()) return true;
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const auto& r) { return value >= r.begin && value <= r.end; });
}

bool MinutesHold(const Ranges& ranges, int minute_of_day) {
  if (ranges.empty()) return true;
  return std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) {
    return minute_of_day >= r.begin && minute_of_day < r.end;
  });
}

// Days of the month, negative ones counted from the month's end (-1 is its last day), clamped
// to the month so that a range never reaches into the next one.
bool DaysOfMonthHold(const Ranges& ranges, absl::CivilSecond cs) {
  if (ranges.empty()) return true;
  const absl::CivilDay last_day = absl::CivilDay(absl::CivilMonth(cs) + 1) - 1;
  const int days = last_day.day();
  for (const auto& r : ranges) {
    int begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
    int end = r.end < 0 ? days + r.end + 1 : r.end;
    if (begin > days) continue;
    begin = std::clamp(begin, -days, days);
    end = std::clamp(end, -days, days);
    if (cs.day() >= begin && cs.day() <= end) return true;
  }
  return false;
}

// Go's numbering: Sunday is 0. Abseil's Weekday counts from Monday.
int GoWeekday(absl::CivilSecond cs) {
  return (static_cast<int>(absl::GetWeekday(absl::CivilDay(cs))) + 1) % 7;
}

}  // namespace

bool PeriodContains(const config::TimePeriod& period, absl::TimeZone zone, absl::Time t) {
  const absl::CivilSecond cs = zone.At(t).cs;
  return MinutesHold(period.times, cs.hour() * 60 + cs.minute()) &&
         DaysOfMonthHold(period.days_of_month, cs) &&
         InclusiveRangesHold(period.months, cs.month()) &&
         InclusiveRangesHold(period.weekdays, GoWeekday(cs)) &&
         InclusiveRangesHold(period.years, static_cast<int>(cs.year()));
}

Result<TimeIntervals> TimeIntervals::Make(const std::vector<config::TimeInterval>& intervals) {
  TimeIntervals out;
  for (const config::TimeInterval& interval : intervals) {
    std::vector<Period>& periods = out.intervals_[interval.name];
    for (const config::TimePeriod& p : interval.periods) {
      absl::TimeZone zone;
      if (p.location == "Local") {
        zone = absl::LocalTimeZone();
      } else if (!p.location.empty() && !absl::LoadTimeZone(p.location, &zone)) {
        return Status::Errorf(Status::Code::kInvalidInput,
                              "time interval \"{}\": unknown time zone \"{}\"", interval.name,
                              p.location);
      }
      periods.push_back(Period{p, zone});
    }
  }
  return out;
}

Result<bool> TimeIntervals::ContainsAny(const std::vector<std::string>& names,
                                        Clock::time_point t) const {
  const absl::Time at = absl::FromChrono(t);
  for (const std::string& name : names) {
    auto it = intervals_.find(name);
    if (it == intervals_.end()) {
      return Status::Errorf(Status::Code::kNotFound, "time interval {} doesn't exist in config",
                            name);
    }
    for (const Period& p : it->second) {
      if (PeriodContains(p.config, p.zone, at)) return true;
    }
  }
  return false;
}

}  // namespace argus::notify
