// libFuzzer target for the exposition parsers: both formats in scrape mode, every entry walked and
// decoded, the strict validator, and the text format's families and lint, on the same input.
// Seeds: the exposition conformance files.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "textparse/lint.h"
#include "textparse/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace argus::textparse;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  argus::model::LabelsBuilder labels;
  Exemplar exemplar;
  for (Format format : {Format::kPrometheusText, Format::kOpenMetrics}) {
    auto parser = NewParser(format, input);
    for (Entry e; (e = parser->Next()) != Entry::kEof && e != Entry::kError;) {
      if (e == Entry::kSeries) {
        labels.Reset();
        parser->Labels(&labels);
        (void)CheckSeriesLabels(labels);
        (void)parser->Value();
        (void)parser->TimestampMs();
        parser->Exemplar(&exemplar);
      } else if (e != Entry::kComment) {
        (void)parser->FamilyName();
        (void)parser->Text();
      }
    }
    (void)Validate(format, input);
  }
  auto families = ReadMetricFamilies(input);
  if (families.ok()) (void)Lint(*families);
  return 0;
}
