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
// `*out` must outlive the writer; the writer only appends to it. Not thread-safe.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(*out) {}

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

  std::string& out() { return out_; }

 private:
  void Open(char c) {
    Separate();
    out_ += c;
    need_comma_ = false;
  }
  void Close(char c) {
    out_ += c;
    need_comma_ = true;
  }
  void Separate() {
    if (need_comma_) out_ += ',';
    need_comma_ = true;
  }

  std::string& out_;
  bool need_comma_ = false;
};

// Appends `s` as a JSON string literal with Go's escaping: quotes, backslashes and control
// characters, the HTML characters <, > and &, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

// Appends `v` as Prometheus' JSON sample value without the quotes (see JsonWriter::SampleValue).
void AppendSampleValue(std::string* out, double v);

}  // namespace argus::api
