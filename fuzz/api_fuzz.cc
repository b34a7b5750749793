// Feeds arbitrary input to the HTTP API's parameter parsers and JSON string escaping: nothing may
// crash, escaped strings must be valid JSON that decodes to the input (when it is valid UTF-8),
// and a formatted time must parse back to itself.
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/json_writer.h"
#include "api/params.h"

namespace {

void Fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)argus::api::ParseDuration(input);
  (void)argus::api::ParseLimitParam(input);
  if (auto t = argus::api::ParseTime(input);
      t.ok() && *t > -62135596800000 && *t < 253402300800000) {
    auto again = argus::api::ParseTime(argus::api::FormatRfc3339(*t));
    if (!again.ok() || *again != *t) Fail("formatted time does not parse back", input);
  }

  std::string json;
  argus::api::AppendJsonString(&json, input);
  simdjson::dom::parser parser;
  std::string_view decoded;
  if (parser.parse(json).get_string().get(decoded) != simdjson::SUCCESS) {
    Fail("escaped string is not valid JSON", input);
  }
  if (simdjson::validate_utf8(input.data(), input.size()) && decoded != input) {
    Fail("escaped string does not decode to the input", input);
  }
  return 0;
}
