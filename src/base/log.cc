
#include "base/log.h"

#include <fmt/chrono.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <ctime>

#include "base/utf8.h"

namespace argus::log {
namespace {

std::atomic<Format> g_format{Format::kLogfmt};

spdlog::level::level_enum SpdlogLevel(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
  }
  return spdlog::level::err;
}

const char* LevelName(Level level) {
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  return kNames[static_cast<int>(level)];
}

// Appends `s` between double quotes, escaped as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 as U+FFFD. A quoted logfmt value is escaped the same way.
void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8SequenceLength(s.substr(i));
    if (n == 0) {
      out->append("\\ufffd");
      ++i;
      continue;
    }
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c == 0x7f) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    } else {
      out->append(s.data() + i, n);
    }
    i += n;
  }
  out->push_back('"');
}

// Whether a logfmt value must be quoted: it is empty or has a byte that would end or confuse it.
bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8SequenceLength(s.substr(i));
    if (n == 0 || c <= ' ' || c == '=' || c == '"' || c == '\\' || c == 0x7f) return true;
    i += n;
  }
  return false;
}

void AppendLogfmt(std::string* out, std::string_view key, std::string_view value) {
  if (!out->empty()) out->push_back(' ');
  out->append(key);
  out->push_back('=');
  if (NeedsQuotes(value)) {
    AppendQuoted(out, value);
  } else {
    out->append(value);
  }
}

void AppendJson(std::string* out, std::string_view key, std::string_view value) {
  if (out->size() > 1) out->push_back(',');
  AppendQuoted(out, key);
  out->push_back(':');
  AppendQuoted(out, value);
}

// The time in RFC 3339 with milliseconds, in UTC, as Prometheus' logs have it.
std::string Now() {
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  std::time_t seconds = ms / 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", utc, ms % 1000);
}

}  // namespace

bool ParseLevel(std::string_view text, Level* level) {
  if (text == "debug") {
    *level = Level::kDebug;
  } else if (text == "info") {
    *level = Level::kInfo;
  } else if (text == "warn" || text == "warning") {
    *level = Level::kWarn;
  } else if (text == "error") {
    *level = Level::kError;
  } else {
    return false;
  }
  return true;
}

bool ParseFormat(std::string_view text, Format* format) {
  if (text == "logfmt") {
    *format = Format::kLogfmt;
  } else if (text == "json") {
    *format = Format::kJson;
  } else {
    return false;
  }
  return true;
}

void Init(Level level, Format format) {
  g_format = format;
  auto logger = spdlog::get("argus");
  if (!logger) logger = spdlog::stderr_logger_mt("argus");
  logger->set_pattern("%v");
  logger->set_level(SpdlogLevel(level));
  spdlog::set_default_logger(logger);
}

bool Enabled(Level level) { return spdlog::default_logger_raw()->should_log(SpdlogLevel(level)); }

std::string FormatLine(Format format, std::string_view ts, Level level, std::string_view msg,
                       std::span<const Field> fields) {
  std::string line;
  auto append = format == Format::kJson ? AppendJson : AppendLogfmt;
  if (format == Format::kJson) line = "{";
  append(&line, "ts", ts);
  append(&line, "level", LevelName(level));
  append(&line, "msg", msg);
  for (const Field& f : fields) {
    if (f.present) append(&line, f.key, f.value);
  }
  if (format == Format::kJson) line += "}";
  return line;
}

void Write(Level level, std::string_view msg, std::span<const Field> fields) {
  if (!Enabled(level)) return;
  spdlog::default_logger_raw()->log(SpdlogLevel(level), "{}",
                                    FormatLine(g_format, Now(), level, msg, fields));
}

}  // namespace argus::log
