#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/labels.h"

namespace argus::api {

// Writes JSON into a std::string as the Prometheus HTTP API does (Go's encoding/json rules for
// strings, Prometheus' own rules for sample values and timestamps), straight from the values, with
// no tree in between. Commas are placed by the writer: a value or key that follows another at the
// same level gets one. The writer does not check nesting; callers keep Begin/End balanced.
//
// `*out` must outlive the writer, and is complete only after Flush or the writer's end. Not
// thread-safe.
class JsonWriter {
 public:
  // Appends to `*out` from its current end. The writer grows `*out` ahead of what it writes and
  // trims it back in Flush.
  explicit JsonWriter(std::string* out);
  ~JsonWriter() { Flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // An object key; the next call writes its value.
  void Key(std::string_view key);

  void String(std::string_view s);
  void Bool(bool b);
  void Int(int64_t i);
  // A JSON number as Go's encoding/json writes a float64 ("0.05", "1e-7", "1e+21"); non-finite
  // values, which JSON cannot hold, are written as 0.
  void Double(double d);
  // Text that is already JSON, such as a document another encoder produced.
  void Raw(std::string_view json);

  // A sample value as a JSON string, as Prometheus writes it: the shortest decimal that reads back
  // as `v`, in plain notation unless |v| < 1e-6 or |v| >= 1e21 ("1e-07", "1.5e+21"); "NaN",
  // "+Inf", "-Inf".
  void SampleValue(double v);
  // A timestamp in milliseconds as seconds with up to three decimals (1435781451.781).
  void Timestamp(int64_t t_ms);
  // A [timestamp, "value"] pair: one point of a vector, matrix or scalar.
  void Point(int64_t t_ms, double v);
  // A label set as an object of name: value, in label order.
  void Labels(const model::Labels& labels);

  // Trims `*out` to what was written, so that it can be read; writing may go on afterwards.
  // The destructor calls it.
  void Flush();

 private:
  // Makes room for `n` more bytes at pos_.
  void Reserve(size_t n) {
    if (static_cast<size_t>(end_ - pos_) < n) Grow(n);
  }
  void Grow(size_t n);
  // Writes the comma a value needs after another; needs one reserved byte.
  void Separate() {
    if (need_comma_) *pos_++ = ',';
    need_comma_ = true;
  }
  void Open(char c) {
    Reserve(2);
    Separate();
    *pos_++ = c;
    need_comma_ = false;
  }
  void Close(char c) {
    Reserve(1);
    *pos_++ = c;
    need_comma_ = true;
  }

  std::string& out_;
  char* pos_;  // Where the next byte goes, within out_.
  char* end_;  // The end of out_'s bytes.
  bool need_comma_ = false;
};

// Appends `s` as a JSON string literal with Go's escaping: quotes, backslashes and control
// characters, the HTML characters <, > and &, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

// Appends `t_ms` as a JSON timestamp (see JsonWriter::Timestamp).
void AppendTimestamp(std::string* out, int64_t t_ms);

// Appends `v` as Prometheus' JSON sample value without the quotes (see JsonWriter::SampleValue).
void AppendSampleValue(std::string* out, double v);

}  // namespace argus::api
