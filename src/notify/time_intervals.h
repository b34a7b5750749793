#pragma once

#include <absl/time/time.h>

#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "config/notify_config.h"

namespace argus::notify {

// The configuration's time_intervals, by name, for a route's mute_time_intervals and
// active_time_intervals: Alertmanager's timeinterval.ContainsTime. Each period is judged in its
// own location, taken from the system's time zone database (/usr/share/zoneinfo, through
// Abseil's cctz: the standard library here has no std::chrono::locate_zone), so that
// "09:00-17:00 in Europe/Berlin" follows daylight saving time. "Local" is the process' zone.
// Immutable once made; thread-safe.
class TimeIntervals {
 public:
  TimeIntervals() = default;
  // Loads the locations; kInvalidInput naming the interval and the zone that does not exist.
  static Result<TimeIntervals> Make(const std::vector<config::TimeInterval>& intervals);

  // Whether `t` lies in one of the periods of one of the intervals `names`. kNotFound naming
  // an interval that the configuration does not have.
  Result<bool> ContainsAny(const std::vector<std::string>& names, Clock::time_point t) const;

 private:
  struct Period {
    config::TimePeriod config;
    absl::TimeZone zone;
  };
  std::map<std::string, std::vector<Period>, std::less<>> intervals_;
};

// Whether `t`, seen in `zone`, lies in `period`: each of its non-empty lists has a range that
// holds the time (times: minutes of the day, end excluded; the others inclusive, days of the
// month counted from the month's end when negative).
bool PeriodContains(const config::TimePeriod& period, absl::TimeZone zone, absl::Time t);

}  // namespace argus::notify
