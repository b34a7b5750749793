#include "api/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include "base/utf8.h"

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

// Writes the escape of an ASCII byte that JSON or Go's HTML safety wants escaped.
char* WriteEscaped(char* p, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
    case '"':
    case '\\':
      *p++ = static_cast<char>(c);
      return p;
    case '\n':
      *p++ = 'n';
      return p;
    case '\r':
      *p++ = 'r';
      return p;
    case '\t':
      *p++ = 't';
      return p;
    default:
      p = std::copy_n("u00", 3, p);
      *p++ = kHex[c >> 4];
      *p++ = kHex[c & 0xF];
      return p;
  }
}

// The most bytes WriteString writes for `s`: every byte escaped as \u00XX, and the quotes.
size_t MaxStringBytes(std::string_view s) { return 6 * s.size() + 2; }

// Writes `s` as a JSON string literal with Go's escaping (see AppendJsonString).
char* WriteString(char* p, std::string_view s) {
  *p++ = '"';
  size_t start = 0;  // The first byte not yet copied.
  auto copy = [&](size_t end) {
    std::memcpy(p, s.data() + start, end - start);
    p += end - start;
  };
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!kSpecial[c]) {
      ++i;
      continue;
    }
    copy(i);
    if (c < 0x80) {
      p = WriteEscaped(p, c);
      start = ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(s.substr(i));
    // U+2028 and U+2029 end lines in JavaScript; Go escapes them.
    bool line_separator = n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                          (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8;
    if (line_separator) {
      p = std::copy_n(s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029", 6, p);
      i += 3;
    } else if (n == 0) {
      p = std::copy_n("\\ufffd", 6, p);
      ++i;
    } else {
      p = std::copy_n(s.data() + i, n, p);
      i += n;
    }
    start = i;
  }
  copy(s.size());
  *p++ = '"';
  return p;
}

// The longest sample value: fixed notation of a double below 1e21 with all its digits.
constexpr size_t kMaxSampleValue = 400;

// Writes the sample value without quotes; needs kMaxSampleValue bytes.
char* WriteSampleValue(char* p, double v) {
  if (std::isnan(v)) return std::copy_n("NaN", 3, p);
  if (std::isinf(v)) return std::copy_n(v > 0 ? "+Inf" : "-Inf", 4, p);
  double abs = std::fabs(v);
  auto format = abs != 0 && (abs < 1e-6 || abs >= 1e21) ? std::chars_format::scientific
                                                        : std::chars_format::fixed;
  return std::to_chars(p, p + kMaxSampleValue, v, format).ptr;
}

// Writes the timestamp; needs kMaxTimestamp bytes. Integer arithmetic, as Prometheus does: exact,
// and faster than formatting a double.
constexpr size_t kMaxTimestamp = 32;
char* WriteTimestamp(char* p, int64_t t_ms) {
  uint64_t t = static_cast<uint64_t>(t_ms);
  if (t_ms < 0) {
    *p++ = '-';
    t = -t;
  }
  p = std::to_chars(p, p + 24, t / 1000).ptr;
  if (uint64_t fraction = t % 1000; fraction != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + fraction / 100);
    *p++ = static_cast<char>('0' + fraction / 10 % 10);
    *p++ = static_cast<char>('0' + fraction % 10);
  }
  return p;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  JsonWriter w(out);
  w.String(s);
}

void AppendTimestamp(std::string* out, int64_t t_ms) {
  char buf[kMaxTimestamp];
  out->append(buf, WriteTimestamp(buf, t_ms));
}

void AppendSampleValue(std::string* out, double v) {
  char buf[kMaxSampleValue];
  out->append(buf, WriteSampleValue(buf, v));
}

JsonWriter::JsonWriter(std::string* out)
    : out_(*out), pos_(out_.data() + out_.size()), end_(pos_) {}

void JsonWriter::Grow(size_t n) {
  // In steps that stay in cache (the string zeroes what it adds, and each byte is then written
  // once more) and small for small documents; the string's own growth keeps reallocations
  // logarithmic.
  size_t used = pos_ - out_.data();
  size_t step = std::clamp<size_t>(used / 8, 4 << 10, 256 << 10);
  out_.resize(used + std::max(n, step));
  pos_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

void JsonWriter::Flush() {
  out_.resize(pos_ - out_.data());
  pos_ = end_ = out_.data() + out_.size();
}

void JsonWriter::Key(std::string_view key) {
  Reserve(MaxStringBytes(key) + 2);
  Separate();
  pos_ = WriteString(pos_, key);
  *pos_++ = ':';
  need_comma_ = false;
}

void JsonWriter::String(std::string_view s) {
  Reserve(MaxStringBytes(s) + 1);
  Separate();
  pos_ = WriteString(pos_, s);
}

void JsonWriter::Bool(bool b) {
  Reserve(6);
  Separate();
  pos_ = b ? std::copy_n("true", 4, pos_) : std::copy_n("false", 5, pos_);
}

void JsonWriter::Int(int64_t i) {
  Reserve(24);
  Separate();
  pos_ = std::to_chars(pos_, pos_ + 21, i).ptr;
}

void JsonWriter::Double(double d) {
  Reserve(kMaxSampleValue + 1);
  Separate();
  char* begin = pos_;
  pos_ = WriteSampleValue(pos_, std::isfinite(d) ? d : 0);
  // Go writes exponents without a leading zero: 1e-07 becomes 1e-7.
  char* e = std::find(begin, pos_, 'e');
  if (pos_ - e == 4 && e[2] == '0') {
    e[2] = e[3];
    --pos_;
  }
}

void JsonWriter::Raw(std::string_view json) {
  Reserve(json.size() + 1);
  Separate();
  pos_ = std::copy(json.begin(), json.end(), pos_);
}

void JsonWriter::SampleValue(double v) {
  Reserve(kMaxSampleValue + 3);
  Separate();
  *pos_++ = '"';
  pos_ = WriteSampleValue(pos_, v);
  *pos_++ = '"';
}

void JsonWriter::Timestamp(int64_t t_ms) {
  Reserve(kMaxTimestamp + 1);
  Separate();
  pos_ = WriteTimestamp(pos_, t_ms);
}

void JsonWriter::Point(int64_t t_ms, double v) {
  // The hot path of range queries: one reservation per point.
  Reserve(kMaxTimestamp + kMaxSampleValue + 8);
  Separate();
  *pos_++ = '[';
  pos_ = WriteTimestamp(pos_, t_ms);
  *pos_++ = ',';
  *pos_++ = '"';
  pos_ = WriteSampleValue(pos_, v);
  *pos_++ = '"';
  *pos_++ = ']';
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
