#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "textparse/parser.h"

namespace argus::textparse {

// The parser behind NewParser, for both text formats. In `strict` mode it also rejects what the
// OpenMetrics specification forbids at the level of one line (used by Validate); otherwise it is
// exactly as lenient as Prometheus 2.42's scrape parser for the format.
class TextParser final : public Parser {
 public:
  TextParser(Format format, std::string_view buffer, bool strict);

  Entry Next() override;
  const Status& Err() const override { return err_; }
  std::string_view Series() const override { return series_; }
  double Value() const override { return value_; }
  std::optional<int64_t> TimestampMs() const override { return timestamp_; }
  void Labels(model::LabelsBuilder* out) const override;
  bool Exemplar(textparse::Exemplar* out) const override;
  std::string_view FamilyName() const override { return family_; }
  model::MetricType Type() const override { return type_; }
  std::string_view Text() const override { return text_; }

  // For the validator: the metric name of the current series, the raw text of the timestamp
  // (empty when absent), and whether an exemplar is present.
  std::string_view MetricName() const { return metric_name_; }
  std::string_view RawTimestamp() const { return raw_timestamp_; }
  bool HasExemplar() const { return has_exemplar_; }
  double ExemplarValue() const { return exemplar_value_; }
  std::optional<int64_t> ExemplarTimestampMs() const { return exemplar_timestamp_; }
  // The line number (1-based) of the current entry.
  size_t Line() const;

 private:
  // Where one label's name and value are in the buffer; the value without its quotes.
  struct LabelSpan {
    size_t name;
    size_t name_size;
    size_t value;
    size_t value_size;
    bool escaped;  // The value holds backslash escapes.
  };

  Entry Fail(size_t pos, std::string_view expected);
  Entry ParseComment();
  Entry ParseSeries();
  // Scans `{...}` at pos_ (which holds '{') into `spans`; sets *end past the '}'. Returns false
  // on error.
  bool ScanLabels(size_t* end, std::vector<LabelSpan>* spans);
  bool SkipSeparator();      // One space in OpenMetrics; spaces and tabs in the text format.
  std::string_view Token();  // Up to the next space, tab or newline.
  bool EndOfLine();
  void DecodeLabels(const std::vector<LabelSpan>& spans, model::LabelsBuilder* out) const;
  size_t ExemplarLabelChars() const;

  bool om_;
  bool strict_;
  std::string_view buf_;
  size_t pos_ = 0;
  size_t entry_start_ = 0;
  bool saw_eof_ = false;
  Status err_;

  std::string_view series_;
  std::string_view metric_name_;
  std::vector<LabelSpan> labels_;  // Reused: no allocation per sample once grown.
  double value_ = 0;
  std::optional<int64_t> timestamp_;
  std::string_view raw_timestamp_;
  bool has_exemplar_ = false;
  std::vector<LabelSpan> exemplar_labels_;
  double exemplar_value_ = 0;
  std::optional<int64_t> exemplar_timestamp_;

  std::string_view family_;
  model::MetricType type_ = model::MetricType::kUnknown;
  std::string_view text_;
  std::string text_scratch_;
  mutable std::string unescaped_;  // Scratch for Labels() and Exemplar().
};

}  // namespace argus::textparse
