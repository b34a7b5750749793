#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "model/labels.h"
#include "model/metric_type.h"

namespace argus::textparse {

enum class Format {
  kPrometheusText,  // text/plain; version=0.0.4
  kOpenMetrics,     // application/openmetrics-text; version=1.0.0
};

// The format a scrape response is parsed in, from its Content-Type header, as Prometheus 2.42
// chooses it: application/openmetrics-text is OpenMetrics, anything else (missing too) is text.
Format FormatFromContentType(std::string_view content_type);

enum class Entry {
  kSeries,   // A sample line.
  kType,     // # TYPE
  kHelp,     // # HELP
  kUnit,     // # UNIT (OpenMetrics)
  kComment,  // Any other comment line.
  kEof,      // The end of the input (or "# EOF" in OpenMetrics).
  kError,    // Malformed input; Err() says where and what was expected.
};

struct Exemplar {
  model::LabelsBuilder labels;
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

// Reads one exposition document entry by entry, as lenient as Prometheus 2.42's scrape parser for
// the same format: a document that Prometheus scrapes with up=1 parses here, and one it rejects
// fails here.
//
// Zero-copy: the parser keeps a view of `buffer`, which must outlive it, and returns views into it
// (or into the parser's own scratch storage, valid until the next call to Next). Nothing is
// allocated per sample once the scratch storage has grown to the document's needs. Not
// thread-safe.
class Parser {
 public:
  virtual ~Parser() = default;

  // Moves to the next entry. After kError, Err() holds "line:column: <what was expected>".
  virtual Entry Next() = 0;
  virtual const Status& Err() const = 0;

  // For kSeries: the bytes of the metric name and labels exactly as in the input. The same series
  // written the same way gives the same bytes, so scrapers can use it as a cache key.
  virtual std::string_view Series() const = 0;
  // For kSeries: the value, and the timestamp in milliseconds if the line has one.
  virtual double Value() const = 0;
  virtual std::optional<int64_t> TimestampMs() const = 0;
  // For kSeries: appends the decoded (unescaped) labels, with the metric name as __name__, to
  // `out`. The caller resets `out` first if it wants only these.
  virtual void Labels(model::LabelsBuilder* out) const = 0;
  // For kSeries: fills `out` and returns true if the line carries an exemplar (OpenMetrics).
  virtual bool Exemplar(textparse::Exemplar* out) const = 0;

  // For kType, kHelp and kUnit: the metric family's name.
  virtual std::string_view FamilyName() const = 0;
  // For kType.
  virtual model::MetricType Type() const = 0;
  // For kHelp (unescaped) and kUnit.
  virtual std::string_view Text() const = 0;
};

// A parser for `buffer` in `format`. `buffer` must outlive the parser.
std::unique_ptr<Parser> NewParser(Format format, std::string_view buffer);

// Checks a decoded series the way Prometheus 2.42's scrape loop does before appending it: the
// metric name is present and valid, every label name is valid and every label value is valid
// UTF-8. Fails with kInvalidInput saying which label is wrong.
Status CheckSeriesLabels(const model::LabelsBuilder& labels);

// The offset of the first byte of `document` that is not text: a control character other than
// tab, carriage return and newline (NUL too), or a byte outside well-formed UTF-8. For saying why
// a document does not parse when it is binary (such as the protobuf exposition format); a valid
// exposition may hold such bytes in label values and help texts.
std::optional<size_t> FirstBinaryByte(std::string_view document);

// Checks a whole document strictly: for kOpenMetrics against every rule of the OpenMetrics 1.0
// specification (metric family grouping and order, type-specific suffixes and labels, counter
// and histogram values, exemplars, "# EOF", ...); for kPrometheusText as `promtool check metrics`
// parses it (ReadMetricFamilies). Errors are "line:column: <what is wrong>".
Status Validate(Format format, std::string_view document);

}  // namespace argus::textparse
