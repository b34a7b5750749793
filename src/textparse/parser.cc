#include "textparse/parser.h"

#include "textparse/openmetrics_validator.h"
#include "textparse/text_parser.h"

namespace argus::textparse {
namespace {

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF), as
// Go's utf8.ValidString.
bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, min = 0x800, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += n + 1;
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

Status Validate(Format format, std::string_view document) {
  if (format == Format::kOpenMetrics) return ValidateOpenMetrics(document);
  TextParser parser(format, document, /*strict=*/false);
  model::LabelsBuilder labels;
  for (Entry e; (e = parser.Next()) != Entry::kEof;) {
    if (e == Entry::kError) return parser.Err();
    if (e == Entry::kSeries) {
      labels.Reset();
      parser.Labels(&labels);
      Status s = CheckSeriesLabels(labels);
      if (!s.ok()) return s.Wrap(fmt::format("line {}", parser.Line()));
    }
  }
  return Status::Ok();
}

}  // namespace argus::textparse
