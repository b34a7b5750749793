#include "tmpl/go_time.h"

#include <array>
#include <cstdlib>

namespace argus::tmpl::internal {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

// Go's numbering: Sunday is 0. Abseil's Weekday counts from Monday.
int WeekdayIndex(absl::Weekday w) { return (static_cast<int>(w) + 1) % 7; }

std::string Zone(int offset_seconds, bool colon, bool with_seconds, bool z, bool hours_only) {
  if (z && offset_seconds == 0) return "Z";
  char sign = offset_seconds < 0 ? '-' : '+';
  int abs = std::abs(offset_seconds);
  std::string out = fmt::format("{}{:02d}", sign, abs / 3600);
  if (hours_only) return out;
  out += fmt::format("{}{:02d}", colon ? ":" : "", abs / 60 % 60);
  if (with_seconds) out += fmt::format("{}{:02d}", colon ? ":" : "", abs % 60);
  return out;
}

// Fractional seconds: `digits` of them; `trim` drops trailing zeros (and the separator when
// nothing is left), as Go's .999 layouts do.
std::string Fraction(int64_t nanos, size_t digits, bool trim, char separator) {
  std::string frac = fmt::format("{:09d}", nanos).substr(0, digits);
  if (trim) {
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (frac.empty()) return "";
  }
  return separator + frac;
}

Result<Value> NoArgs(std::span<const Value> args, Value result) {
  if (!args.empty()) return Status::Errorf("wrong number of args: want 0 got {}", args.size());
  return result;
}

Result<absl::Duration> DurationArg(std::span<const Value> args) {
  if (args.size() != 1) return Status::Errorf("wrong number of args: want 1 got {}", args.size());
  if (args[0].kind() == Value::Kind::kDuration) return args[0].as_duration();
  if (args[0].kind() == Value::Kind::kInt) return absl::Nanoseconds(args[0].as_int());
  return Status::Errorf("wrong type for value; expected time.Duration; got {}", args[0].TypeName());
}

Result<absl::Time> TimeArg(std::span<const Value> args) {
  if (args.size() != 1) return Status::Errorf("wrong number of args: want 1 got {}", args.size());
  if (args[0].kind() != Value::Kind::kTime) {
    return Status::Errorf("wrong type for value; expected time.Time; got {}", args[0].TypeName());
  }
  return args[0].as_time();
}

}  // namespace

std::string FormatGoTime(absl::Time t, absl::TimeZone zone, std::string_view layout) {
  absl::TimeZone::CivilInfo info = zone.At(t);
  const absl::CivilSecond& cs = info.cs;
  int64_t nanos = absl::ToInt64Nanoseconds(info.subsecond);
  int hour12 = cs.hour() % 12 == 0 ? 12 : cs.hour() % 12;
  std::string out;
  size_t i = 0;
  auto starts = [&](std::string_view token) { return layout.substr(i, token.size()) == token; };
  auto take = [&](std::string_view token, const std::string& text) {
    if (!starts(token)) return false;
    out += text;
    i += token.size();
    return true;
  };
  while (i < layout.size()) {
    char c = layout[i];
    if ((c == '.' || c == ',') && i + 1 < layout.size() &&
        (layout[i + 1] == '0' || layout[i + 1] == '9')) {
      char digit = layout[i + 1];
      size_t end = i + 1;
      while (end < layout.size() && layout[end] == digit) ++end;
      bool is_number_after = end < layout.size() && layout[end] >= '0' && layout[end] <= '9';
      if (!is_number_after) {
        out += Fraction(nanos, std::min<size_t>(end - i - 1, 9), digit == '9', c);
        i = end;
        continue;
      }
    }
    if (take("January", std::string(kMonths[static_cast<size_t>(cs.month() - 1)])) ||
        take("Jan", std::string(kMonths[static_cast<size_t>(cs.month() - 1)].substr(0, 3))) ||
        take("Monday",
             std::string(kWeekdays[static_cast<size_t>(WeekdayIndex(absl::GetWeekday(cs)))])) ||
        take("Mon",
             std::string(kWeekdays[static_cast<size_t>(WeekdayIndex(absl::GetWeekday(cs)))].substr(
                 0, 3))) ||
        take("MST", info.zone_abbr) || take("2006", fmt::format("{:04d}", cs.year())) ||
        take("-07:00:00", Zone(info.offset, true, true, false, false)) ||
        take("-070000", Zone(info.offset, false, true, false, false)) ||
        take("-07:00", Zone(info.offset, true, false, false, false)) ||
        take("-0700", Zone(info.offset, false, false, false, false)) ||
        take("-07", Zone(info.offset, false, false, false, true)) ||
        take("Z07:00:00", Zone(info.offset, true, true, true, false)) ||
        take("Z070000", Zone(info.offset, false, true, true, false)) ||
        take("Z07:00", Zone(info.offset, true, false, true, false)) ||
        take("Z0700", Zone(info.offset, false, false, true, false)) ||
        take("Z07", Zone(info.offset, false, false, true, true)) ||
        take("002", fmt::format("{:03d}", absl::GetYearDay(cs))) ||
        take("01", fmt::format("{:02d}", cs.month())) ||
        take("02", fmt::format("{:02d}", cs.day())) || take("03", fmt::format("{:02d}", hour12)) ||
        take("04", fmt::format("{:02d}", cs.minute())) ||
        take("05", fmt::format("{:02d}", cs.second())) ||
        take("06", fmt::format("{:02d}", cs.year() % 100)) ||
        take("15", fmt::format("{:02d}", cs.hour())) ||
        take("_2", fmt::format("{:2d}", cs.day())) || take("PM", cs.hour() >= 12 ? "PM" : "AM") ||
        take("pm", cs.hour() >= 12 ? "pm" : "am") || take("1", std::to_string(cs.month())) ||
        take("2", std::to_string(cs.day())) || take("3", std::to_string(hour12)) ||
        take("4", std::to_string(cs.minute())) || take("5", std::to_string(cs.second()))) {
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string GoTimeString(absl::Time t, absl::TimeZone zone) {
  return FormatGoTime(t, zone, "2006-01-02 15:04:05.999999999 -0700 MST");
}

std::string GoDurationString(absl::Duration d) {
  int64_t ns = absl::ToInt64Nanoseconds(d);
  if (ns == 0) return "0s";
  bool negative = ns < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  // The fraction of `u` below `unit`, trailing zeros dropped, with its dot.
  auto fraction = [](uint64_t value, uint64_t unit, int digits) {
    std::string frac = fmt::format("{:0{}d}", value % unit, digits);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac.empty() ? std::string() : "." + frac;
  };
  std::string out;
  if (u < 1000) {
    out = fmt::format("{}ns", u);
  } else if (u < 1000000) {
    out = fmt::format("{}{}µs", u / 1000, fraction(u, 1000, 3));
  } else if (u < 1000000000) {
    out = fmt::format("{}{}ms", u / 1000000, fraction(u, 1000000, 6));
  } else {
    uint64_t seconds = u / 1000000000;
    out = fmt::format("{}{}s", seconds % 60, fraction(u, 1000000000, 9));
    if (seconds >= 60) {
      out = fmt::format("{}m", seconds / 60 % 60) + out;
      if (seconds >= 3600) out = fmt::format("{}h", seconds / 3600) + out;
    }
  }
  return negative ? "-" + out : out;
}

namespace {

MethodTable MakeTimeMethods() {
  MethodTable methods;
  MethodTable* m = &methods;
  auto civil = [](const Value& self) { return self.time_zone().At(self.as_time()).cs; };
  (*m)["Format"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    if (args.size() != 1 || args[0].kind() != Value::Kind::kString) {
      return Status::Error("Format takes one string (a layout)");
    }
    return Value(FormatGoTime(self.as_time(), self.time_zone(), args[0].as_string()));
  };
  (*m)["String"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(GoTimeString(self.as_time(), self.time_zone())));
  };
  (*m)["Unix"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(absl::ToUnixSeconds(self.as_time())));
  };
  (*m)["UnixMilli"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(absl::ToUnixMillis(self.as_time())));
  };
  (*m)["UnixNano"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(absl::ToUnixNanos(self.as_time())));
  };
  (*m)["UTC"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value::Time(self.as_time()));
  };
  (*m)["Local"] = (*m)["UTC"];
  (*m)["Year"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(static_cast<int64_t>(civil(self).year())));
  };
  (*m)["Month"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(kMonths[static_cast<size_t>(civil(self).month() - 1)]));
  };
  (*m)["Day"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(civil(self).day()));
  };
  (*m)["Hour"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(civil(self).hour()));
  };
  (*m)["Minute"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(civil(self).minute()));
  };
  (*m)["Second"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(civil(self).second()));
  };
  (*m)["Weekday"] = [civil](const Value& self, std::span<const Value> args) {
    return NoArgs(
        args, Value(kWeekdays[static_cast<size_t>(WeekdayIndex(absl::GetWeekday(civil(self))))]));
  };
  (*m)["Add"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Duration d, DurationArg(args));
    return Value::Time(self.as_time() + d, self.time_zone());
  };
  (*m)["Sub"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args));
    return Value::Duration(self.as_time() - t);
  };
  (*m)["Before"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args));
    return Value(self.as_time() < t);
  };
  (*m)["After"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args));
    return Value(self.as_time() > t);
  };
  (*m)["Equal"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Time t, TimeArg(args));
    return Value(self.as_time() == t);
  };
  return methods;
}

MethodTable MakeDurationMethods() {
  MethodTable methods;
  MethodTable* m = &methods;
  auto unit = [](absl::Duration unit) {
    return [unit](const Value& self, std::span<const Value> args) {
      return NoArgs(args, Value(absl::FDivDuration(self.as_duration(), unit)));
    };
  };
  (*m)["Hours"] = unit(absl::Hours(1));
  (*m)["Minutes"] = unit(absl::Minutes(1));
  (*m)["Seconds"] = unit(absl::Seconds(1));
  (*m)["Milliseconds"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(absl::ToInt64Milliseconds(self.as_duration())));
  };
  (*m)["Nanoseconds"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(absl::ToInt64Nanoseconds(self.as_duration())));
  };
  (*m)["String"] = [](const Value& self, std::span<const Value> args) {
    return NoArgs(args, Value(GoDurationString(self.as_duration())));
  };
  (*m)["Round"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Duration m, DurationArg(args));
    if (m <= absl::ZeroDuration()) return self;
    absl::Duration d = self.as_duration();
    absl::Duration r = d % m;
    if (d < absl::ZeroDuration()) r = -r;
    absl::Duration down = d < absl::ZeroDuration() ? d + r : d - r;
    bool up = r + r >= m;
    return Value::Duration(up ? (d < absl::ZeroDuration() ? down - m : down + m) : down);
  };
  (*m)["Truncate"] = [](const Value& self, std::span<const Value> args) -> Result<Value> {
    ARGUS_ASSIGN_OR_RETURN(absl::Duration m, DurationArg(args));
    if (m <= absl::ZeroDuration()) return self;
    return Value::Duration(self.as_duration() - self.as_duration() % m);
  };
  return methods;
}

}  // namespace

const MethodTable* TimeMethods() {
  static const MethodTable methods = MakeTimeMethods();
  return &methods;
}

const MethodTable* DurationMethods() {
  static const MethodTable methods = MakeDurationMethods();
  return &methods;
}

}  // namespace argus::tmpl::internal
