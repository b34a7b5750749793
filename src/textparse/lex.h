#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace argus::textparse {

// Small lexical pieces shared by the parsers and the validator. All take views and allocate
// nothing unless they produce a string.

// Character classes of names, one table look-up each: names are most of what a parser scans.
enum CharClass : uint8_t {
  kNameStart = 1,        // [a-zA-Z_]
  kNameChar = 2,         // [a-zA-Z0-9_]
  kMetricNameStart = 4,  // [a-zA-Z_:]
  kMetricNameChar = 8,   // [a-zA-Z0-9_:]
};

inline constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    t[c] = (letter ? kNameStart | kMetricNameStart : 0) |
           (letter || digit ? kNameChar | kMetricNameChar : 0) |
           (c == ':' ? kMetricNameStart | kMetricNameChar : 0);
  }
  return t;
}();

inline bool Is(char c, CharClass cls) { return kCharClasses[static_cast<uint8_t>(c)] & cls; }
inline bool IsNameStart(char c) { return Is(c, kNameStart); }
inline bool IsNameChar(char c) { return Is(c, kNameChar); }
inline bool IsMetricNameStart(char c) { return Is(c, kMetricNameStart); }
inline bool IsMetricNameChar(char c) { return Is(c, kMetricNameChar); }

// Parses a float as Prometheus' parsers do: Go's strconv.ParseFloat limited to the forms before Go
// 1.13 (decimal with an optional sign, point and exponent; Inf, Infinity and NaN in any case; no
// hexadecimal, no underscores). The whole of `s` must be the number.
std::optional<double> ParseGoFloat(std::string_view s);

// Parses a base-10 int64 as Go's strconv.ParseInt(s, 10, 64): optional sign, digits only.
std::optional<int64_t> ParseGoInt(std::string_view s);

// Appends a label value or help text with its escapes decoded: \\ \" \n become \ " and a newline;
// any other backslash sequence is kept as it is.
void AppendUnescaped(std::string_view escaped, std::string* out);

// The length of the well-formed UTF-8 sequence at the start of `s` (no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0 when there is none.
inline size_t Utf8SequenceLength(std::string_view s) {
  if (s.empty()) return 0;
  auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t min;
  uint32_t cp;
  if ((c & 0xe0) == 0xc0) {
    n = 1, min = 0x80, cp = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    n = 2, min = 0x800, cp = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    n = 3, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() <= n) return 0;
  for (size_t i = 1; i <= n; ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n + 1;
}

// The 1-based line and column of `pos` in `buffer`, for error messages.
struct Position {
  size_t line;
  size_t column;
};
Position PositionOf(std::string_view buffer, size_t pos);

// Shows a token in an error message: quoted and cut short, with control characters and bytes
// that are not UTF-8 written as \xNN; or "end of input", "newline", "a NUL byte".
std::string Describe(std::string_view buffer, size_t pos);

}  // namespace argus::textparse

namespace argus::textparse {

// Whether `s` is a number as the OpenMetrics specification writes them: decimal digits with an
// optional point and exponent, and, when `allow_special`, NaN, Inf, +Inf and -Inf. Hexadecimal,
// underscores and other Go forms are not.
bool IsOpenMetricsNumber(std::string_view s, bool allow_special);

// The number of Unicode code points in UTF-8 text (continuation bytes are not counted).
size_t CodePoints(std::string_view s);

}  // namespace argus::textparse
