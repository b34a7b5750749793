#include "tmpl/strconv.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/utf8.h"

namespace argus::tmpl {

std::string FormatFloat(double value, char format, int precision) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[512];
  if (precision >= 0) {
    char spec[8] = {'%', '.', '*', format, 0};
    int n = std::snprintf(buf, sizeof buf, spec, std::min(precision, 300), value);
    return std::string(buf, static_cast<size_t>(std::max(n, 0)));
  }
  if (format != 'g') {
    auto chars = format == 'e' ? std::chars_format::scientific : std::chars_format::fixed;
    auto result = std::to_chars(buf, buf + sizeof buf, value, chars);
    return std::string(buf, result.ptr);
  }
  // The shortest digits, in %e form when the exponent is below -4 or at least 6 (strconv's rule
  // for the shortest 'g', so that %v prints 1e+06).
  auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(result.ptr - buf));
  size_t e = sci.find('e');
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  if (exponent < -4 || exponent >= 6) return std::string(sci);
  result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  return std::string(buf, result.ptr);
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = Utf8SequenceLength(s.substr(i));
    if (len == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    if (len == 1) {
      switch (c) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '"':
          out += "\\\"";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += fmt::format("\\x{:02x}", c);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    uint32_t r = c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) r = (r << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    bool printable =
        !(r >= 0x80 && r < 0xA0) && r != 0xAD && r != 0x2028 && r != 0x2029 && r != 0xFEFF;
    if (printable) {
      out.append(s.substr(i, len));
    } else {
      out += r < 0x10000 ? fmt::format("\\u{:04x}", r) : fmt::format("\\U{:08x}", r);
    }
    i += len;
  }
  out.push_back('"');
  return out;
}

}  // namespace argus::tmpl
