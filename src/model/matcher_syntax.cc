#include "model/matcher_syntax.h"

#include <cctype>
#include <optional>
#include <string>

namespace argus::model {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsNameStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool IsNameChar(char c) { return IsNameStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

// The operator at the start of `s` and its length; `=~` is tried before `=`.
std::optional<std::pair<Matcher::Type, size_t>> Operator(std::string_view s) {
  if (s.starts_with("=~")) return std::pair(Matcher::Type::kRegexMatch, 2);
  if (s.starts_with("!=")) return std::pair(Matcher::Type::kNotEqual, 2);
  if (s.starts_with("!~")) return std::pair(Matcher::Type::kRegexNoMatch, 2);
  if (s.starts_with("=")) return std::pair(Matcher::Type::kEqual, 1);
  return std::nullopt;
}

Status Invalid(std::string_view what, std::string_view text) {
  return Status::Errorf(Status::Code::kInvalidInput, "{}: {}", what, text);
}

// Undoes the escapes of a matcher's value. A backslash before anything but n, " or \ is kept,
// as is one at the very end; a quote is allowed only as the last character of a quoted value.
Result<std::string> Unescape(std::string_view raw) {
  std::string_view original = raw;
  bool quoted = raw.starts_with('"');
  if (quoted) raw.remove_prefix(1);
  std::string value;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      char next = raw[++i];
      if (next == 'n') {
        value += '\n';
      } else if (next == '"' || next == '\\') {
        value += next;
      } else {
        value += '\\';
        value += next;
      }
    } else if (c == '"') {
      if (!quoted || i + 1 < raw.size()) {
        return Invalid("matcher value contains unescaped double quote", original);
      }
      quoted = false;
    } else {
      value += c;
    }
  }
  if (quoted) return Invalid("matcher value contains unescaped double quote", original);
  return value;
}

}  // namespace

Result<Matcher> ParseMatcher(std::string_view text) {
  std::string_view s = Trim(text);
  size_t name_end = 0;
  if (s.empty() || !IsNameStart(s[0])) return Invalid("bad matcher format", text);
  while (name_end < s.size() && IsNameChar(s[name_end])) ++name_end;
  std::string_view name = s.substr(0, name_end);
  std::string_view rest = Trim(s.substr(name_end));
  auto op = Operator(rest);
  if (!op) return Invalid("bad matcher format", text);
  ARGUS_ASSIGN_OR_RETURN(std::string value, Unescape(Trim(rest.substr(op->second))));
  return Matcher::Make(op->first, std::string(name), std::move(value));
}

Result<std::vector<Matcher>> ParseMatchers(std::string_view text) {
  if (text.starts_with('{')) text.remove_prefix(1);
  if (text.ends_with('}')) text.remove_suffix(1);
  // Split at commas outside quotes; a quote after a backslash does not open or close.
  std::vector<std::string_view> parts;
  bool in_quotes = false, escaped = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == ',' && !in_quotes) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
      continue;
    }
    if (c == '"') {
      if (!escaped) in_quotes = !in_quotes;
      escaped = false;
    } else if (c == '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
  }
  if (std::string_view last = Trim(text.substr(start)); !last.empty()) parts.push_back(last);
  std::vector<Matcher> matchers;
  for (std::string_view part : parts) {
    ARGUS_ASSIGN_OR_RETURN(Matcher m, ParseMatcher(part));
    matchers.push_back(std::move(m));
  }
  return matchers;
}

}  // namespace argus::model
