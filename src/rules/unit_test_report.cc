#include "rules/unit_test_report.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "base/utf8.h"

namespace argus::rules::unit_test_report {
namespace {

// Go's strconv.FormatFloat(v, 'E', -1, 64): the shortest exponent form that reads back as `v`.
std::string FloatString(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char text[32];
  auto written = std::to_chars(text, text + sizeof(text), v, std::chars_format::scientific);
  std::string out(text, written.ptr);
  out[out.find('e')] = 'E';
  return out;
}

// Go's indentLines as promtool has it: every line but the first gets `indent` in front.
std::string IndentLines(std::string_view lines, std::string_view indent) {
  std::string out;
  for (size_t start = 0;;) {
    size_t nl = lines.find('\n', start);
    if (start > 0) out += indent;
    out += lines.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (nl == std::string_view::npos) return out;
    out += '\n';
    start = nl + 1;
  }
}

std::string AlertString(const AlertLabels& alert) {
  return "Labels:" + LabelsString(alert.first) + "\nAnnotations:" + LabelsString(alert.second);
}

std::string AlertsString(const std::vector<AlertLabels>& alerts) {
  if (alerts.empty()) return "[]";
  std::string out = "[";
  for (size_t i = 0; i < alerts.size(); ++i) {
    out += fmt::format("{}\n{}:", i == 0 ? "" : ",", i);
    out += IndentLines("\n" + AlertString(alerts[i]), "  ");
  }
  return out + "\n]";
}

std::string SamplesString(const std::vector<SampleValue>& samples) {
  if (samples.empty()) return "nil";
  std::string out;
  for (const auto& [labels, value] : samples) {
    if (!out.empty()) out += ", ";
    out += LabelsString(labels) + " " + FloatString(value);
  }
  return out;
}

// "    name: <group>,\n" when the group has a name: what starts an alert failure.
std::string GroupNamePrefix(std::string_view group_name) {
  return group_name.empty() ? "" : fmt::format("    name: {},\n", group_name);
}

}  // namespace

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8SequenceLength(text.substr(i));
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (n > 1) {
      out += text.substr(i, n);
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (n == 1 && c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
    }
  }
  return out + "\"";
}

std::string LabelsString(const model::Labels& labels) {
  std::string out = "{";
  for (const model::Label& label : labels) {
    if (out.size() > 1) out += ", ";
    out += label.name + "=" + Quote(label.value);
  }
  return out + "}";
}

std::string GoDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string sign = ms < 0 ? "-" : "";
  uint64_t left = ms < 0 ? -static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  if (left < 1000) return fmt::format("{}{}ms", sign, left);
  std::string out = sign;
  if (left >= 3'600'000) out += fmt::format("{}h", left / 3'600'000);
  if (left >= 60'000) out += fmt::format("{}m", left / 60'000 % 60);
  out += fmt::format("{}", left / 1000 % 60);
  if (uint64_t fraction = left % 1000; fraction != 0) {
    std::string digits = fmt::format("{:03}", fraction);
    out += "." + digits.substr(0, digits.find_last_not_of('0') + 1);
  }
  return out + "s";
}

std::string AlertMismatch(std::string_view group_name, std::string_view alertname,
                          model::Duration eval_time, const std::vector<AlertLabels>& expected,
                          const std::vector<AlertLabels>& got) {
  constexpr std::string_view kIndent = "            ";
  return fmt::format("{}    alertname: {}, time: {}, \n        exp:{}, \n        got:{}",
                     GroupNamePrefix(group_name), alertname, model::FormatDuration(eval_time),
                     IndentLines(AlertsString(expected), kIndent),
                     IndentLines(AlertsString(got), kIndent));
}

std::string SampleMismatch(std::string_view expr, model::Duration eval_time,
                           const std::vector<SampleValue>& expected,
                           const std::vector<SampleValue>& got) {
  return fmt::format("    expr: {}, time: {},\n        exp: {}\n        got: {}", Quote(expr),
                     model::FormatDuration(eval_time), SamplesString(expected), SamplesString(got));
}

std::string ExprError(std::string_view expr, model::Duration eval_time, std::string_view error) {
  return fmt::format("    expr: {}, time: {}, err: {}", Quote(expr),
                     model::FormatDuration(eval_time), error);
}

std::string RuleError(std::string_view rule, int64_t offset_ms, std::string_view error) {
  return fmt::format("    rule: {}, time: {}, err: {}", rule, GoDuration(offset_ms), error);
}

}  // namespace argus::rules::unit_test_report
