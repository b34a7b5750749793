#include "textparse/lex.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace argus::textparse {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == y;
         });
}

}  // namespace

std::optional<double> ParseGoFloat(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) return std::nullopt;
  double v;
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    v = std::numeric_limits<double>::infinity();
  } else if (EqualsIgnoreCase(body, "nan")) {
    v = std::numeric_limits<double>::quiet_NaN();
    return v;  // Go ignores the sign of NaN.
  } else {
    // Decimal only: digits, an optional point, an optional exponent. Prometheus keeps to the
    // float forms of Go before 1.13, so hexadecimal and underscores are rejected.
    char first = body[0];
    if (!(first >= '0' && first <= '9') && first != '.') return std::nullopt;
    auto [end, ec] =
        std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
    if (end != body.data() + body.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
      // Go returns ±Inf or 0 with an error for out-of-range values; Prometheus rejects them.
      return std::nullopt;
    }
    if (ec != std::errc()) return std::nullopt;
  }
  return negative ? -v : v;
}

std::optional<int64_t> ParseGoInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  size_t start = s[0] == '+' ? 1 : 0;
  if (start == s.size()) return std::nullopt;
  int64_t v;
  auto [end, ec] = std::from_chars(s.data() + start, s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

void AppendUnescaped(std::string_view escaped, std::string* out) {
  for (size_t i = 0; i < escaped.size(); ++i) {
    char c = escaped[i];
    if (c == '\\' && i + 1 < escaped.size()) {
      char n = escaped[i + 1];
      if (n == '\\' || n == '"') {
        *out += n;
        ++i;
        continue;
      }
      if (n == 'n') {
        *out += '\n';
        ++i;
        continue;
      }
    }
    *out += c;
  }
}

Position PositionOf(std::string_view buffer, size_t pos) {
  pos = std::min(pos, buffer.size());
  size_t line = 1 + std::count(buffer.begin(), buffer.begin() + pos, '\n');
  size_t line_start = buffer.rfind('\n', pos == 0 ? 0 : pos - 1);
  line_start = (line_start == std::string_view::npos || pos == 0) ? 0 : line_start + 1;
  if (pos > 0 && buffer[pos - 1] == '\n') line_start = pos;
  return {line, pos - line_start + 1};
}

std::string Describe(std::string_view buffer, size_t pos) {
  if (pos >= buffer.size()) return "end of input";
  if (buffer[pos] == '\n') return "newline";
  if (buffer[pos] == '\0') return "a NUL byte";
  size_t end = pos;
  while (end < buffer.size() && end - pos < 20 && buffer[end] != '\n' && buffer[end] != ' ') ++end;
  if (end == pos) end = pos + 1;
  std::string shown = "\"";
  for (size_t i = pos; i < end;) {
    auto c = static_cast<unsigned char>(buffer[i]);
    size_t n = c >= 0x80 ? Utf8SequenceLength(buffer.substr(i, end - i)) : 1;
    if (n == 0 || c < 0x20 || c == 0x7f) {
      shown += fmt::format("\\x{:02x}", c);
      ++i;
    } else {
      shown += buffer.substr(i, n);
      i += n;
    }
  }
  return shown + "\"";
}

}  // namespace argus::textparse

namespace argus::textparse {

bool IsOpenMetricsNumber(std::string_view s, bool allow_special) {
  if (allow_special && (s == "NaN" || s == "Inf" || s == "+Inf" || s == "-Inf")) return true;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exponent = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exponent;
    if (exponent == 0) return false;
  }
  return i == s.size();
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

}  // namespace argus::textparse
