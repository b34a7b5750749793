#pragma once

#include <fmt/format.h>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace argus::log {

// Argus logs one line per event on stderr, as Prometheus does, in logfmt (the default):
//   ts=2026-11-25T02:00:00.000Z level=info msg="Block written" block=01HF… series=1021
// or, with --log.format=json, as one JSON object per line:
//   {"ts":"2026-11-25T02:00:00.000Z","level":"info","msg":"Block written","block":"01HF…"}
// Call sites give the message and the fields; this file does every quoting and escaping: a logfmt
// value with a space, '=', a quote, a control character or nothing in it is quoted, with quotes,
// backslashes and control characters escaped as in JSON strings.
//
//   log::Info("Completed loading of configuration file", {{"filename", path}});
//   log::Error("Compaction failed", {{"err", status.message()}});

enum class Level { kDebug, kInfo, kWarn, kError };
enum class Format { kLogfmt, kJson };

// One key and its value. Values of any type fmt can format are accepted and formatted at once; an
// empty optional leaves the field out of the line.
struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  template <typename T>
  Field(std::string_view k, const T& v) : key(k), value(fmt::format("{}", v)) {}
  template <typename T>
  Field(std::string_view k, const std::optional<T>& v)
      : key(k), value(v ? fmt::format("{}", *v) : ""), present(v.has_value()) {}
  std::string_view key;
  std::string value;
  bool present = true;
};

// The level for a --log.level value: debug, info, warn (or warning), error. False for any other.
bool ParseLevel(std::string_view text, Level* level);
// The format for a --log.format value: logfmt or json. False for any other.
bool ParseFormat(std::string_view text, Format* format);

// Logs from now on at `level` and above, in `format`, on stderr.
void Init(Level level, Format format);

// Whether a line at `level` would be written; for fields that cost something to compute.
bool Enabled(Level level);

// Writes one line if `level` is enabled.
void Write(Level level, std::string_view msg, std::span<const Field> fields);
inline void Write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  Write(level, msg, std::span<const Field>(fields.begin(), fields.size()));
}

// The line Write writes, without the newline; `ts` is the timestamp's text.
std::string FormatLine(Format format, std::string_view ts, Level level, std::string_view msg,
                       std::span<const Field> fields);

inline void Debug(std::string_view msg, std::initializer_list<Field> fields = {}) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, msg, fields);
}
inline void Info(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kInfo, msg, fields);
}
inline void Warn(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kWarn, msg, fields);
}
inline void Error(std::string_view msg, std::initializer_list<Field> fields = {}) {
  Write(Level::kError, msg, fields);
}

}  // namespace argus::log
