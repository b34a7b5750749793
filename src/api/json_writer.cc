#include "api/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

namespace argus::api {
namespace {

// Bytes that a JSON string cannot hold as they are, or that start a multi-byte UTF-8 sequence.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  for (int c = 0x80; c < 0x100; ++c) t[c] = true;
  t['"'] = t['\\'] = t['<'] = t['>'] = t['&'] = true;
  return t;
}();

// The length of the valid UTF-8 sequence at the start of `s` (which starts with a byte >= 0x80),
// or 0 when it is not one.
size_t Utf8SequenceLength(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  auto continuation = [&](size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  unsigned char b = byte(0);
  if (b >= 0xC2 && b <= 0xDF) return continuation(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (b == 0xE0 && byte(1) < 0xA0) return 0;   // Overlong.
    if (b == 0xED && byte(1) >= 0xA0) return 0;  // Surrogate halves.
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (b == 0xF0 && byte(1) < 0x90) return 0;   // Overlong.
    if (b == 0xF4 && byte(1) >= 0x90) return 0;  // Beyond U+10FFFF.
    return 4;
  }
  return 0;
}

void AppendEscaped(std::string* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      *out += "\\\"";
      return;
    case '\\':
      *out += "\\\\";
      return;
    case '\n':
      *out += "\\n";
      return;
    case '\r':
      *out += "\\r";
      return;
    case '\t':
      *out += "\\t";
      return;
    default:
      *out += "\\u00";
      *out += kHex[c >> 4];
      *out += kHex[c & 0xF];
  }
}

template <typename T>
void AppendChars(std::string* out, T value) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, r.ptr);
}

// The longest sample value: fixed notation of a double below 1e21 with all its digits.
constexpr size_t kMaxSampleValue = 400;

// Writes the sample value into `buf` (kMaxSampleValue bytes); returns its length.
size_t WriteSampleValue(char* buf, double v) {
  if (std::isnan(v)) return std::copy_n("NaN", 3, buf) - buf;
  if (std::isinf(v)) return std::copy_n(v > 0 ? "+Inf" : "-Inf", 4, buf) - buf;
  double abs = std::fabs(v);
  auto format = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? std::chars_format::scientific
                                                        : std::chars_format::fixed;
  return std::to_chars(buf, buf + kMaxSampleValue, v, format).ptr - buf;
}

// Writes the timestamp into `buf` (32 bytes); returns its length. Integer arithmetic, as
// Prometheus does: exact, and faster than formatting a double.
size_t WriteTimestamp(char* buf, int64_t t_ms) {
  char* p = buf;
  uint64_t t = static_cast<uint64_t>(t_ms);
  if (t_ms < 0) {
    *p++ = '-';
    t = -t;
  }
  p = std::to_chars(p, buf + 32, t / 1000).ptr;
  if (uint64_t fraction = t % 1000; fraction != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + fraction / 100);
    *p++ = static_cast<char>('0' + fraction / 10 % 10);
    *p++ = static_cast<char>('0' + fraction % 10);
  }
  return p - buf;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  // Most label names and values need no escaping: copy them whole.
  size_t plain = 0;
  while (plain < s.size() && !kSpecial[static_cast<unsigned char>(s[plain])]) ++plain;
  if (plain == s.size()) {
    size_t n = out->size();
    out->resize(n + s.size() + 2);
    char* p = out->data() + n;
    *p = '"';
    std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  *out += '"';
  size_t start = 0;  // The first byte not yet copied.
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!kSpecial[c]) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(s.substr(i));
      // U+2028 and U+2029 end lines in JavaScript; Go escapes them.
      bool line_separator = n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                            (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8;
      if (n > 0 && !line_separator) {
        i += n;
        continue;
      }
      out->append(s.data() + start, i - start);
      if (line_separator) {
        *out += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
        i += 3;
      } else {
        *out += "\\ufffd";
        ++i;
      }
      start = i;
      continue;
    }
    out->append(s.data() + start, i - start);
    AppendEscaped(out, c);
    start = ++i;
  }
  out->append(s.data() + start, s.size() - start);
  *out += '"';
}

void AppendSampleValue(std::string* out, double v) {
  char buf[kMaxSampleValue];
  out->append(buf, WriteSampleValue(buf, v));
}

void JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(&out_, key);
  out_ += ':';
  need_comma_ = false;
}

void JsonWriter::String(std::string_view s) {
  Separate();
  AppendJsonString(&out_, s);
}

void JsonWriter::Bool(bool b) {
  Separate();
  out_ += b ? "true" : "false";
}

void JsonWriter::Int(int64_t i) {
  Separate();
  AppendChars(&out_, i);
}

void JsonWriter::Double(double d) {
  Separate();
  if (!std::isfinite(d)) d = 0;
  size_t begin = out_.size();
  AppendSampleValue(&out_, d);
  // Go writes exponents without a leading zero: 1e-07 becomes 1e-7.
  size_t e = out_.find('e', begin);
  if (e != std::string::npos && e + 2 < out_.size() && out_[e + 2] == '0') out_.erase(e + 2, 1);
}

void JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
}

void JsonWriter::SampleValue(double v) {
  Separate();
  out_ += '"';
  AppendSampleValue(&out_, v);
  out_ += '"';
}

void JsonWriter::Timestamp(int64_t t_ms) {
  Separate();
  char buf[32];
  out_.append(buf, WriteTimestamp(buf, t_ms));
}

void JsonWriter::Point(int64_t t_ms, double v) {
  Separate();
  // The hot path of range queries: one append per point.
  char buf[480];
  char* p = buf;
  *p++ = '[';
  p += WriteTimestamp(p, t_ms);
  *p++ = ',';
  *p++ = '"';
  p += WriteSampleValue(p, v);
  *p++ = '"';
  *p++ = ']';
  out_.append(buf, p);
}

void JsonWriter::Labels(const model::Labels& labels) {
  BeginObject();
  for (const auto& l : labels) {
    Key(l.name);
    String(l.value);
  }
  EndObject();
}

}  // namespace argus::api
