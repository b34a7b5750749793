#include "tmpl/literal.h"

#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace argus::tmpl::internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void AppendUtf8(std::string* out, uint32_t r) {
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

Result<Value> ParseNumber(const std::string& text) {
  std::string digits = text;
  digits.erase(std::remove(digits.begin(), digits.end(), '_'), digits.end());
  std::string_view body = digits;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower(body);
  absl::AsciiStrToLower(&lower);
  bool hex = lower.size() > 1 && lower[0] == '0' && lower[1] == 'x';
  bool is_float =
      hex ? lower.find('p') != std::string::npos : lower.find_first_of(".e") != std::string::npos;
  if (!is_float) {
    int base = 10;
    std::string_view magnitude = lower;
    if (lower.size() > 1 && lower[0] == '0') {
      base = lower[1] == 'x' ? 16 : lower[1] == 'o' ? 8 : lower[1] == 'b' ? 2 : 8;
      magnitude.remove_prefix(base == 8 && lower[1] != 'o' ? 1 : 2);
    }
    uint64_t u = 0;
    bool ok = !magnitude.empty();
    for (char c : magnitude) {
      int d = absl::ascii_isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : 99;
      if (d >= base || u > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
        ok = false;
        break;
      }
      u = u * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    }
    if (ok && u <= static_cast<uint64_t>(INT64_MAX) + (negative ? 1 : 0)) {
      return Value(negative ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u));
    }
    if (!ok && base != 10) return Status::Errorf("illegal number syntax: \"{}\"", text);
  }
  double d = 0;
  if (hex) {
    char* end = nullptr;
    d = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) {
      return Status::Errorf("illegal number syntax: \"{}\"", text);
    }
    return Value(d);
  }
  if (!absl::SimpleAtod(digits, &d) || std::isnan(d) || std::isinf(d) ||
      !(absl::ascii_isdigit(body.empty() ? 'x' : body.back()) || body.back() == '.')) {
    return Status::Errorf("illegal number syntax: \"{}\"", text);
  }
  return Value(d);
}

Result<std::string> UnquoteGo(std::string_view quoted) {
  auto bad = [] { return Status::Error("invalid syntax", Status::Code::kInvalidInput); };
  if (quoted.size() < 2) return bad();
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= body.size()) return bad();
    char e = body[i + 1];
    i += 2;
    switch (e) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\'':
      case '"':
        if (e != quoted[0]) return bad();
        out.push_back(e);
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + digits > body.size()) return bad();
        uint32_t r = 0;
        for (size_t k = 0; k < digits; ++k) {
          int d = HexDigit(body[i + k]);
          if (d < 0) return bad();
          r = r * 16 + static_cast<uint32_t>(d);
        }
        i += digits;
        if (e == 'x') {
          out.push_back(static_cast<char>(r));
        } else {
          if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) return bad();
          AppendUtf8(&out, r);
        }
        break;
      }
      default: {
        if (e < '0' || e > '7' || i + 2 > body.size()) return bad();
        uint32_t r = static_cast<uint32_t>(e - '0');
        for (size_t k = 0; k < 2; ++k) {
          char d = body[i + k];
          if (d < '0' || d > '7') return bad();
          r = r * 8 + static_cast<uint32_t>(d - '0');
        }
        if (r > 255) return bad();
        i += 2;
        out.push_back(static_cast<char>(r));
      }
    }
  }
  if (quoted[0] == '\'' && out.empty()) return bad();
  return out;
}

}  // namespace argus::tmpl::internal
