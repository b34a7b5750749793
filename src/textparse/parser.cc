#include "textparse/parser.h"

#include "textparse/lex.h"
#include "textparse/metric_families.h"
#include "textparse/openmetrics_validator.h"
#include "textparse/text_parser.h"

namespace argus::textparse {
namespace {

// Whether `s` is well-formed UTF-8, as Go's utf8.ValidString.
bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = Utf8SequenceLength(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace

Format FormatFromContentType(std::string_view content_type) {
  size_t semicolon = content_type.find(';');
  std::string_view media = content_type.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  while (!media.empty() && media.front() == ' ') media.remove_prefix(1);
  return media == "application/openmetrics-text" ? Format::kOpenMetrics : Format::kPrometheusText;
}

std::unique_ptr<Parser> NewParser(Format format, std::string_view buffer) {
  return std::make_unique<TextParser>(format, buffer, /*strict=*/false);
}

Status CheckSeriesLabels(const model::LabelsBuilder& labels) {
  bool has_name = false;
  for (size_t i = 0; i < labels.size(); ++i) {
    const model::Label& l = labels[i];
    if (l.name == model::kMetricName) {
      has_name = true;
      if (!model::IsValidMetricName(l.value)) {
        return Status::Errorf(Status::Code::kInvalidInput, "invalid metric name \"{}\"", l.value);
      }
    } else if (!model::IsValidLabelName(l.name)) {
      return Status::Errorf(Status::Code::kInvalidInput, "invalid label name \"{}\"", l.name);
    }
    if (!IsValidUtf8(l.value)) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "invalid UTF-8 in the value of label \"{}\"", l.name);
    }
  }
  if (!has_name) return Status::Error("series has no metric name", Status::Code::kInvalidInput);
  for (size_t i = 0; i < labels.size(); ++i) {
    for (size_t j = i + 1; j < labels.size(); ++j) {
      if (labels[i].name == labels[j].name) {
        return Status::Errorf(Status::Code::kInvalidInput, "label name \"{}\" is not unique",
                              labels[i].name);
      }
    }
  }
  return Status::Ok();
}

std::optional<size_t> FirstBinaryByte(std::string_view document) {
  for (size_t i = 0; i < document.size();) {
    auto c = static_cast<unsigned char>(document[i]);
    size_t n = Utf8SequenceLength(document.substr(i));
    if (n == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) return i;
    i += n;
  }
  return std::nullopt;
}

Status Validate(Format format, std::string_view document) {
  if (format == Format::kOpenMetrics) return ValidateOpenMetrics(document);
  return ReadMetricFamilies(document).status();
}

}  // namespace argus::textparse
