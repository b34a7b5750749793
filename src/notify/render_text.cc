#include "notify/render_text.h"

#include <algorithm>
#include <chrono>

#include "base/rfc3339.h"
#include "base/utf8.h"
#include "model/duration.h"

namespace argus::notify {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";              // U+2026

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string ToValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    size_t n = Utf8SequenceLength(s);
    if (n == 0) {
      out += kReplacementCharacter;
      n = 1;
    } else {
      out += s.substr(0, n);
    }
    s.remove_prefix(n);
  }
  return out;
}

size_t CountRunes(std::string_view s) {
  size_t runes = 0;
  for (char c : s) runes += !IsContinuationByte(c);
  return runes;
}

std::string TruncateRunes(std::string_view s, size_t max_runes) {
  if (CountRunes(s) <= max_runes) return std::string(s);
  size_t keep = max_runes <= 3 ? max_runes : max_runes - 1;  // Room for the ellipsis.
  size_t end = 0;
  for (size_t runes = 0; end < s.size(); ++end) {
    if (!IsContinuationByte(s[end]) && runes++ == keep) break;
  }
  std::string out(s.substr(0, end));
  if (max_runes > 3) out += kEllipsis;
  return out;
}

std::string HumanDuration(int64_t ms) {
  using namespace std::chrono;
  // Keeps the two largest units: a minute's seconds or a day's minutes are noise in a message.
  milliseconds d(std::max<int64_t>(ms, 0));
  if (d < minutes(1)) {
    d = floor<seconds>(d);
  } else if (d < hours(24)) {
    d = floor<minutes>(d);
  } else {
    d = floor<hours>(d);
  }
  return model::FormatDuration(d);
}

std::string HumanTime(int64_t t_ms) {
  std::string rfc3339 = FormatRfc3339(t_ms - ((t_ms % 1000) + 1000) % 1000);  // "...T10:20:00Z"
  rfc3339[10] = ' ';
  rfc3339.pop_back();
  return rfc3339 + " UTC";
}

}  // namespace argus::notify
