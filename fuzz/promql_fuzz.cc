// Parses arbitrary input as PromQL; a query that parses must print to text that parses again to
// the same text, and pretty-printing and JSON must not fail on it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "promql/parser/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto expr = argus::promql::ParseExpr(input);
  if (!expr.ok()) return 0;
  std::string printed = argus::promql::ToString(**expr);
  auto again = argus::promql::ParseExpr(printed);
  if (!again.ok()) {
    std::fprintf(stderr, "printed query does not parse: %s\n%s\n", printed.c_str(),
                 again.status().message().c_str());
    std::abort();
  }
  std::string reprinted = argus::promql::ToString(**again);
  if (reprinted != printed) {
    std::fprintf(stderr, "printing is not stable:\n%s\n%s\n", printed.c_str(), reprinted.c_str());
    std::abort();
  }
  (void)argus::promql::Prettify(**expr);
  (void)argus::promql::ToJson(**expr);
  return 0;
}
