#include "model/duration.h"

#include <array>
#include <cctype>
#include <cstdint>

namespace argus::model {
namespace {

struct Unit {
  std::string_view name;
  int64_t millis;
};

// Largest first: a duration lists its units in this order, each at most once.
constexpr std::array<Unit, 7> kUnits = {{{"y", 365LL * 24 * 3600 * 1000},
                                         {"w", 7LL * 24 * 3600 * 1000},
                                         {"d", 24LL * 3600 * 1000},
                                         {"h", 3600LL * 1000},
                                         {"m", 60LL * 1000},
                                         {"s", 1000},
                                         {"ms", 1}}};

Status Invalid(std::string_view text) {
  return Status::Errorf(Status::Code::kInvalidInput, "invalid duration \"{}\"", text);
}

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  if (text == "0") return Duration(0);
  if (text.empty()) return Status::Error("empty duration string", Status::Code::kInvalidInput);
  int64_t total = 0;
  size_t next_unit = 0;  // Units before this one are used up.
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return Invalid(text);
    int64_t n = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (n > (INT64_MAX - 9) / 10) return Invalid(text);
      n = n * 10 + (text[i] - '0');
    }
    size_t start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(start, i - start);
    size_t u = next_unit;
    while (u < kUnits.size() && kUnits[u].name != unit) ++u;
    if (u == kUnits.size()) return Invalid(text);
    if (n > INT64_MAX / kUnits[u].millis || total > INT64_MAX - n * kUnits[u].millis) {
      return Status::Errorf(Status::Code::kInvalidInput, "duration \"{}\" is too long", text);
    }
    total += n * kUnits[u].millis;
    next_unit = u + 1;
  }
  return Duration(total);
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out += '-';
    ms = -ms;
  }
  for (const Unit& u : kUnits) {
    // Weeks are only used when the duration is a whole number of them, as Prometheus prints.
    if (u.name == "w" && ms % u.millis != 0) continue;
    if (ms >= u.millis) {
      out += std::to_string(ms / u.millis);
      out += u.name;
      ms %= u.millis;
    }
  }
  return out;
}

}  // namespace argus::model
