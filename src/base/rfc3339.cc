#include "base/rfc3339.h"

#include <fmt/format.h>

#include <chrono>

namespace argus {

std::string FormatRfc3339(int64_t t_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds(t_ms)};
  auto days = floor<std::chrono::days>(t);
  year_month_day date(days);
  hh_mm_ss time(t - days);
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  time.hours().count(), time.minutes().count(), time.seconds().count());
  if (int64_t ms = time.subseconds().count(); ms != 0) {
    std::string fraction = fmt::format(".{:03}", ms);
    while (fraction.back() == '0') fraction.pop_back();
    out += fraction;
  }
  return out + "Z";
}

}  // namespace argus
