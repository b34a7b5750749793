#include "dashboards/query_check.h"

#include <absl/strings/ascii.h>

#include "promql/parser/parser.h"

namespace argus::dashboards {
namespace {

bool IsNameChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

bool IsLabelName(std::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(s.front())) s.remove_prefix(1);
  while (!s.empty() && absl::ascii_isspace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

SampleValues BuiltinSamples() {
  return {
      {"__interval", "1m"}, {"__rate_interval", "4m"}, {"__range", "1h"}, {"__range_s", "3600"}};
}

std::string SampleValue(const Variable& variable) {
  if (!variable.default_value.empty()) return variable.default_value;
  if (!variable.values.empty()) return variable.values.front();
  return variable.type == "interval" ? "1m" : "sample";
}

Result<std::string> Substitute(std::string_view text, const SampleValues& samples) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i++];
      continue;
    }
    size_t start = i + 1, end = start;
    bool braced = text[start] == '{';
    if (braced) {
      end = text.find('}', start);
      if (end == std::string_view::npos) {
        return Status::Errorf(Status::Code::kInvalidInput, "unclosed ${{ at offset {}", i);
      }
      ++start;
    } else {
      while (end < text.size() && IsNameChar(text[end])) ++end;
    }
    std::string_view name = text.substr(start, end - start);
    if (name.empty() || (!braced && absl::ascii_isdigit(name[0]))) {
      out += text[i++];
      continue;
    }
    auto it = samples.find(name);
    if (it == samples.end()) {
      return Status::Errorf(Status::Code::kInvalidInput, "unknown variable ${}", name);
    }
    out += it->second;
    i = braced ? end + 1 : end;
  }
  return out;
}

Status CheckExpr(std::string_view expr, const SampleValues& samples) {
  ARGUS_ASSIGN_OR_RETURN(std::string query, Substitute(expr, samples));
  auto parsed = promql::ParseExpr(query);
  if (!parsed.ok()) {
    return Status::Errorf(Status::Code::kInvalidInput, "{} (as \"{}\")", parsed.status().message(),
                          query);
  }
  return Status::Ok();
}

Status CheckVariableQuery(std::string_view query, const SampleValues& samples) {
  ARGUS_ASSIGN_OR_RETURN(std::string text, Substitute(query, samples));
  std::string_view inner = Trim(text);
  constexpr std::string_view kPrefix = "label_values(";
  if (!inner.starts_with(kPrefix) || !inner.ends_with(')')) {
    return Status::Error("expected label_values(SELECTOR, LABEL) or label_values(LABEL)",
                         Status::Code::kInvalidInput);
  }
  inner = inner.substr(kPrefix.size(), inner.size() - kPrefix.size() - 1);
  size_t comma = inner.rfind(',');
  std::string_view label = Trim(comma == std::string_view::npos ? inner : inner.substr(comma + 1));
  if (!IsLabelName(label)) {
    return Status::Errorf(Status::Code::kInvalidInput, "\"{}\" is not a label name", label);
  }
  if (comma == std::string_view::npos) return Status::Ok();
  auto selector = promql::ParseSeriesSelector(inner.substr(0, comma));
  if (!selector.ok()) return selector.status();
  return Status::Ok();
}

}  // namespace argus::dashboards
