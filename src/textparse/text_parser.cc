#include "textparse/text_parser.h"

#include <cstring>

#include "textparse/lex.h"

namespace argus::textparse {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Seconds to milliseconds, saturating where Go's conversion would overflow.
int64_t SecondsToMillis(double seconds) {
  double ms = seconds * 1000;
  if (!(ms > -9.2e18)) return INT64_MIN;  // Also NaN.
  if (ms > 9.2e18) return INT64_MAX;
  return static_cast<int64_t>(ms);
}

// The most code points an exemplar's label names and values may have together.
constexpr size_t kMaxExemplarLabelChars = 128;

struct TypeName {
  std::string_view name;
  model::MetricType type;
  bool openmetrics;  // Valid in OpenMetrics (else text format only).
  bool text;         // Valid in the text format.
};

constexpr TypeName kTypes[] = {
    {"counter", model::MetricType::kCounter, true, true},
    {"gauge", model::MetricType::kGauge, true, true},
    {"histogram", model::MetricType::kHistogram, true, true},
    {"summary", model::MetricType::kSummary, true, true},
    {"untyped", model::MetricType::kUnknown, false, true},
    {"unknown", model::MetricType::kUnknown, true, false},
    {"gaugehistogram", model::MetricType::kGaugeHistogram, true, false},
    {"info", model::MetricType::kInfo, true, false},
    {"stateset", model::MetricType::kStateset, true, false},
};

}  // namespace

TextParser::TextParser(Format format, std::string_view buffer, bool strict)
    : om_(format == Format::kOpenMetrics), strict_(strict), buf_(buffer) {}

size_t TextParser::Line() const { return PositionOf(buf_, entry_start_).line; }

Entry TextParser::Fail(size_t pos, std::string_view expected) {
  if (err_.ok()) {
    Position p = PositionOf(buf_, pos);
    err_ = Status::Errorf(Status::Code::kInvalidInput, "{}:{}: expected {}, got {}", p.line,
                          p.column, expected, Describe(buf_, pos));
  }
  pos_ = buf_.size();
  return Entry::kError;
}

Entry TextParser::Next() {
  for (;;) {
    if (!err_.ok()) return Entry::kError;
    entry_start_ = pos_;
    if (pos_ >= buf_.size()) {
      if (om_ && !saw_eof_) return Fail(pos_, "\"# EOF\" at the end of the document");
      return Entry::kEof;
    }
    if (saw_eof_) return Fail(pos_, "nothing after \"# EOF\"");
    char c = buf_[pos_];
    if (c == '\n') {
      if (om_) return Fail(pos_, "a metric or a comment, not an empty line");
      ++pos_;
      continue;
    }
    if (c == '#') {
      Entry e = ParseComment();
      if (e == Entry::kEof) continue;  // "# EOF": what follows decides.
      return e;
    }
    return ParseSeries();
  }
}

bool TextParser::EndOfLine() {
  if (!om_) {
    while (pos_ < buf_.size() && IsBlank(buf_[pos_])) ++pos_;
    if (pos_ == buf_.size()) return true;
  }
  if (pos_ < buf_.size() && buf_[pos_] == '\n') {
    ++pos_;
    return true;
  }
  return false;
}

bool TextParser::SkipSeparator() {
  if (pos_ >= buf_.size() || !IsBlank(buf_[pos_])) return false;
  if (om_) {
    if (buf_[pos_] != ' ') return false;
    ++pos_;
    return true;
  }
  while (pos_ < buf_.size() && IsBlank(buf_[pos_])) ++pos_;
  return true;
}

std::string_view TextParser::Token() {
  size_t start = pos_;
  while (pos_ < buf_.size() && buf_[pos_] != ' ' && buf_[pos_] != '\n' && buf_[pos_] != '\t') {
    ++pos_;
  }
  return buf_.substr(start, pos_ - start);
}

Entry TextParser::ParseComment() {
  size_t p = pos_ + 1;
  if (om_) {
    std::string_view rest = buf_.substr(pos_);
    if (rest.starts_with("# EOF") && (rest.size() == 5 || rest[5] == '\n')) {
      pos_ += rest.size() == 5 ? 5 : 6;
      saw_eof_ = true;
      return Entry::kEof;
    }
    if (p >= buf_.size() || buf_[p] != ' ') return Fail(p, "a space after \"#\"");
    ++p;
  } else {
    while (p < buf_.size() && IsBlank(buf_[p])) ++p;
  }
  size_t word_start = p;
  while (p < buf_.size() && buf_[p] >= 'A' && buf_[p] <= 'Z') ++p;
  std::string_view word = buf_.substr(word_start, p - word_start);
  bool meta = (word == "HELP" || word == "TYPE" || (om_ && word == "UNIT")) && p < buf_.size() &&
              IsBlank(buf_[p]);
  if (!meta) {
    if (om_) return Fail(word_start, "HELP, TYPE, UNIT or EOF");
    const char* nl = static_cast<const char*>(std::memchr(buf_.data() + p, '\n', buf_.size() - p));
    pos_ = nl ? nl - buf_.data() + 1 : buf_.size();
    return Entry::kComment;
  }
  pos_ = p;
  if (!SkipSeparator()) return Fail(pos_, "a single space");
  size_t name_start = pos_;
  if (pos_ >= buf_.size() || !IsMetricNameStart(buf_[pos_])) return Fail(pos_, "a metric name");
  while (pos_ < buf_.size() && IsMetricNameChar(buf_[pos_])) ++pos_;
  family_ = buf_.substr(name_start, pos_ - name_start);
  if (word == "TYPE") {
    if (!SkipSeparator()) return Fail(pos_, "a space and a metric type");
    size_t type_start = pos_;
    std::string_view t = Token();
    const TypeName* found = nullptr;
    for (const auto& candidate : kTypes) {
      if (candidate.name == t && (om_ ? candidate.openmetrics : candidate.text)) found = &candidate;
    }
    if (found == nullptr) return Fail(type_start, "a metric type");
    type_ = found->type;
    if (!EndOfLine()) return Fail(pos_, "the end of the line after the type");
    return Entry::kType;
  }
  // HELP and UNIT: the rest of the line, possibly empty.
  text_ = {};
  if (strict_ && (pos_ >= buf_.size() || buf_[pos_] != ' ')) {
    return Fail(pos_, "a space after the metric name");
  }
  if (pos_ < buf_.size() && buf_[pos_] != '\n') {
    if (!SkipSeparator()) return Fail(pos_, "a space before the text");
    size_t text_start = pos_;
    const char* nl =
        static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', buf_.size() - pos_));
    pos_ = nl ? nl - buf_.data() : buf_.size();
    text_ = buf_.substr(text_start, pos_ - text_start);
  }
  if (pos_ < buf_.size())
    ++pos_;  // The newline.
  else if (om_)
    return Fail(pos_, "a newline");
  if (word == "UNIT") {
    if (strict_ && text_.find_first_of(" \t") != std::string_view::npos) {
      return Fail(pos_ - 1, "a unit without spaces");
    }
    return Entry::kUnit;
  }
  if (text_.find('\\') != std::string_view::npos) {
    text_scratch_.clear();
    AppendUnescaped(text_, &text_scratch_);
    text_ = text_scratch_;
  }
  return Entry::kHelp;
}

bool TextParser::ScanLabels(size_t* end, std::vector<LabelSpan>* spans) {
  spans->clear();
  size_t p = pos_ + 1;
  auto skip_blanks = [&] {
    if (!om_) {
      while (p < buf_.size() && IsBlank(buf_[p])) ++p;
    }
  };
  skip_blanks();
  if (p < buf_.size() && buf_[p] == '}') {
    *end = p + 1;
    return true;
  }
  for (;;) {
    if (p >= buf_.size() || !IsNameStart(buf_[p])) return Fail(p, "a label name"), false;
    LabelSpan span{p, 0, 0, 0, false};
    while (p < buf_.size() && IsNameChar(buf_[p])) ++p;
    span.name_size = p - span.name;
    skip_blanks();
    if (p >= buf_.size() || buf_[p] != '=') return Fail(p, "\"=\" after the label name"), false;
    ++p;
    skip_blanks();
    if (p >= buf_.size() || buf_[p] != '"') return Fail(p, "a quoted label value"), false;
    ++p;
    span.value = p;
    for (;;) {
      const char* base = buf_.data();
      const char* q = static_cast<const char*>(std::memchr(base + p, '"', buf_.size() - p));
      if (q == nullptr) return Fail(buf_.size(), "the closing quote of a label value"), false;
      const char* bs = static_cast<const char*>(std::memchr(base + p, '\\', q - (base + p)));
      if (om_ || strict_) {
        const char* nl = static_cast<const char*>(std::memchr(base + p, '\n', q - (base + p)));
        if (nl != nullptr && (bs == nullptr || nl < bs)) {
          return Fail(nl - base, "the closing quote of a label value"), false;
        }
      }
      if (bs == nullptr) {
        p = q - base + 1;
        break;
      }
      span.escaped = true;
      p = bs - base + 2;
    }
    span.value_size = p - 1 - span.value;
    spans->push_back(span);
    skip_blanks();
    if (p < buf_.size() && buf_[p] == ',') {
      ++p;
      skip_blanks();
      if (p < buf_.size() && buf_[p] == '}' && !om_) {  // Only the text format allows this.
        *end = p + 1;
        return true;
      }
      continue;
    }
    if (p < buf_.size() && buf_[p] == '}') {
      *end = p + 1;
      return true;
    }
    return Fail(p, "\",\" or \"}\" after a label value"), false;
  }
}

Entry TextParser::ParseSeries() {
  size_t start = pos_;
  if (!IsMetricNameStart(buf_[pos_])) return Fail(pos_, "a metric name or a comment");
  while (pos_ < buf_.size() && IsMetricNameChar(buf_[pos_])) ++pos_;
  metric_name_ = buf_.substr(start, pos_ - start);
  labels_.clear();
  if (pos_ < buf_.size() && buf_[pos_] == '{') {
    size_t end;
    if (!ScanLabels(&end, &labels_)) return Entry::kError;
    pos_ = end;
  }
  series_ = buf_.substr(start, pos_ - start);
  if (!SkipSeparator()) return Fail(pos_, "a space and the value");
  size_t value_start = pos_;
  std::string_view value_text = Token();
  auto value = ParseGoFloat(value_text);
  if (!value || (strict_ && !IsOpenMetricsNumber(value_text, true))) {
    return Fail(value_start, "a number as the value");
  }
  value_ = *value;
  timestamp_.reset();
  raw_timestamp_ = {};
  has_exemplar_ = false;
  exemplar_labels_.clear();
  if (!om_) {
    while (pos_ < buf_.size() && IsBlank(buf_[pos_])) ++pos_;
    if (pos_ < buf_.size() && buf_[pos_] != '\n') {
      size_t ts_start = pos_;
      raw_timestamp_ = Token();
      // Prometheus' text lexer takes digits only: no sign.
      bool digits = !raw_timestamp_.empty() && raw_timestamp_[0] >= '0' && raw_timestamp_[0] <= '9';
      timestamp_ = digits ? ParseGoInt(raw_timestamp_) : std::nullopt;
      if (!timestamp_) return Fail(ts_start, "an integer timestamp in milliseconds");
    }
    if (!EndOfLine()) return Fail(pos_, "the end of the line");
    return Entry::kSeries;
  }
  if (pos_ < buf_.size() && buf_[pos_] == ' ' && pos_ + 1 < buf_.size() && buf_[pos_ + 1] != '#') {
    ++pos_;
    size_t ts_start = pos_;
    raw_timestamp_ = Token();
    auto seconds = ParseGoFloat(raw_timestamp_);
    if (!seconds || (strict_ && !IsOpenMetricsNumber(raw_timestamp_, false))) {
      return Fail(ts_start, "a timestamp in seconds");
    }
    timestamp_ = SecondsToMillis(*seconds);
  }
  if (pos_ + 2 < buf_.size() && buf_.substr(pos_, 3) == " # ") {
    pos_ += 3;
    if (pos_ >= buf_.size() || buf_[pos_] != '{') return Fail(pos_, "the labels of an exemplar");
    size_t end;
    if (!ScanLabels(&end, &exemplar_labels_)) return Entry::kError;
    has_exemplar_ = true;
    if (strict_ && ExemplarLabelChars() > kMaxExemplarLabelChars) {
      return Fail(pos_, "exemplar labels of at most 128 characters in all");
    }
    pos_ = end;
    if (!SkipSeparator()) return Fail(pos_, "a space and the exemplar's value");
    size_t ev_start = pos_;
    std::string_view ev_text = Token();
    auto ev = ParseGoFloat(ev_text);
    if (!ev || (strict_ && !IsOpenMetricsNumber(ev_text, true))) {
      return Fail(ev_start, "a number as the exemplar's value");
    }
    exemplar_value_ = *ev;
    exemplar_timestamp_.reset();
    if (pos_ < buf_.size() && buf_[pos_] == ' ') {
      ++pos_;
      size_t ets_start = pos_;
      std::string_view ets_text = Token();
      auto ets = ParseGoFloat(ets_text);
      if (!ets || (strict_ && !IsOpenMetricsNumber(ets_text, false))) {
        return Fail(ets_start, "a timestamp in seconds for the exemplar");
      }
      exemplar_timestamp_ = SecondsToMillis(*ets);
    }
  }
  if (!EndOfLine()) return Fail(pos_, "a newline");
  return Entry::kSeries;
}

void TextParser::DecodeLabels(const std::vector<LabelSpan>& spans,
                              model::LabelsBuilder* out) const {
  for (const LabelSpan& span : spans) {
    std::string_view name = buf_.substr(span.name, span.name_size);
    std::string_view value = buf_.substr(span.value, span.value_size);
    if (span.escaped) {
      unescaped_.clear();
      AppendUnescaped(value, &unescaped_);
      value = unescaped_;
    }
    out->Add(name, value);
  }
}

size_t TextParser::ExemplarLabelChars() const {
  model::LabelsBuilder labels;
  DecodeLabels(exemplar_labels_, &labels);
  size_t n = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    n += CodePoints(labels[i].name) + CodePoints(labels[i].value);
  }
  return n;
}

void TextParser::Labels(model::LabelsBuilder* out) const {
  out->Add(model::kMetricName, metric_name_);
  DecodeLabels(labels_, out);
}

bool TextParser::Exemplar(textparse::Exemplar* out) const {
  if (!has_exemplar_) return false;
  out->labels.Reset();
  DecodeLabels(exemplar_labels_, &out->labels);
  out->value = exemplar_value_;
  out->timestamp_ms = exemplar_timestamp_;
  return true;
}

}  // namespace argus::textparse
