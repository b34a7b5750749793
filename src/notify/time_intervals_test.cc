#include "notify/time_intervals.h"

#include <absl/time/civil_time.h>
#include <gtest/gtest.h>

namespace argus::notify {
namespace {

using Range = config::TimePeriod::Range;

Clock::time_point Utc(int y, int mo, int d, int h, int mi) {
  return absl::ToChronoTime(
      absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone()));
}

bool HaveZoneDatabase() {
  absl::TimeZone zone;
  return absl::LoadTimeZone("Europe/Berlin", &zone);
}

TEST(TimeIntervalsTest, PeriodsInTheirLocation) {
  if (!HaveZoneDatabase()) GTEST_SKIP() << "no time zone database (/usr/share/zoneinfo)";
  config::TimePeriod office;  // 09:00-17:00 on weekdays, Berlin time.
  office.times = {Range{9 * 60, 17 * 60}};
  office.weekdays = {Range{1, 5}};
  office.location = "Europe/Berlin";
  config::TimePeriod berlin_weekdays;
  berlin_weekdays.weekdays = {Range{1, 5}};
  berlin_weekdays.location = "Europe/Berlin";
  config::TimePeriod month_end;  // The last three days of each month, UTC.
  month_end.days_of_month = {Range{-3, -1}};
  config::TimePeriod some_years;  // Januaries of 2023 and 2024.
  some_years.months = {Range{1, 1}};
  some_years.years = {Range{2023, 2024}};
  config::TimePeriod first_days;  // Days 1 to 2, and a range past the end of a short month.
  first_days.days_of_month = {Range{1, 2}, Range{31, 31}};

  struct Case {
    std::string name;
    const config::TimePeriod* period;
    Clock::time_point at;
    bool want;
  };
  const Case cases[] = {
      {"summer: 07:30 UTC is 09:30 CEST", &office, Utc(2024, 7, 1, 7, 30), true},
      {"winter: 07:30 UTC is 08:30 CET", &office, Utc(2024, 1, 15, 7, 30), false},
      {"winter: 08:30 UTC is 09:30 CET", &office, Utc(2024, 1, 15, 8, 30), true},
      {"the end minute is out", &office, Utc(2024, 1, 15, 16, 0), false},
      {"the minute before it is in", &office, Utc(2024, 1, 15, 15, 59), true},
      {"Saturday", &office, Utc(2024, 7, 6, 9, 0), false},
      {"Sunday 23:30 UTC is Monday 01:30 in Berlin", &berlin_weekdays, Utc(2024, 7, 7, 23, 30),
       true},
      {"Friday 22:30 UTC is Saturday 00:30 in Berlin", &berlin_weekdays, Utc(2024, 7, 5, 22, 30),
       false},
      {"29 February of a leap year is among the last three", &month_end, Utc(2024, 2, 29, 12, 0),
       true},
      {"27 February of a leap year is too", &month_end, Utc(2024, 2, 27, 12, 0), true},
      {"26 February is not", &month_end, Utc(2024, 2, 26, 12, 0), false},
      {"31 January", &month_end, Utc(2024, 1, 31, 0, 0), true},
      {"January 2024", &some_years, Utc(2024, 1, 10, 0, 0), true},
      {"February 2024", &some_years, Utc(2024, 2, 10, 0, 0), false},
      {"January 2025", &some_years, Utc(2025, 1, 10, 0, 0), false},
      {"day 31 does not reach into the next month", &first_days, Utc(2024, 5, 1, 0, 0), true},
      {"day 3", &first_days, Utc(2024, 5, 3, 0, 0), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::TimeZone zone;
    ASSERT_TRUE(absl::LoadTimeZone(c.period->location, &zone));
    EXPECT_EQ(PeriodContains(*c.period, zone, absl::FromChrono(c.at)), c.want);
  }
}

TEST(TimeIntervalsTest, ContainsAnyByName) {
  if (!HaveZoneDatabase()) GTEST_SKIP() << "no time zone database (/usr/share/zoneinfo)";
  config::TimePeriod nights;
  nights.times = {Range{0, 6 * 60}};
  nights.location = "America/New_York";
  config::TimePeriod weekends;
  weekends.weekdays = {Range{0, 0}, Range{6, 6}};
  auto intervals = TimeIntervals::Make({{"nights", {nights}}, {"weekends", {weekends}}});
  ASSERT_TRUE(intervals.ok()) << intervals.status().message();
  // Wednesday 2024-07-03 09:00 UTC is 05:00 in New York (EDT).
  EXPECT_TRUE(*intervals->ContainsAny({"weekends", "nights"}, Utc(2024, 7, 3, 9, 0)));
  EXPECT_FALSE(*intervals->ContainsAny({"weekends", "nights"}, Utc(2024, 7, 3, 11, 0)));
  EXPECT_TRUE(*intervals->ContainsAny({"weekends"}, Utc(2024, 7, 6, 11, 0)));
  EXPECT_FALSE(*intervals->ContainsAny({}, Utc(2024, 7, 6, 11, 0)));

  auto unknown = intervals->ContainsAny({"holidays"}, Utc(2024, 7, 6, 11, 0));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(unknown.status().message(), "time interval holidays doesn't exist in config");
}

TEST(TimeIntervalsTest, UnknownZoneIsAnError) {
  config::TimePeriod p;
  p.location = "Mars/Olympus_Mons";
  auto intervals = TimeIntervals::Make({{"x", {p}}});
  ASSERT_FALSE(intervals.ok());
  EXPECT_EQ(intervals.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(intervals.status().message(),
            "time interval \"x\": unknown time zone \"Mars/Olympus_Mons\"");
}

}  // namespace
}  // namespace argus::notify
