// Feeds arbitrary input to the HTTP API's parameter parsers, JSON string escaping and the body
// parser of POST /api/v1/events: nothing may crash, escaped strings must be valid JSON that
// decodes to the input (when it is valid UTF-8), a formatted time must parse back to itself, and
// an event body gets a JSON answer of success or bad_data.
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/api.h"
#include "api/json_writer.h"
#include "api/params.h"
#include "base/rfc3339.h"

namespace {

void Fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "%s: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

// POSTs `input` to /api/v1/events, whose recorder validates and keeps nothing.
void PostEvent(std::string_view input) {
  static const argus::http::Router router = [] {
    argus::api::Sources sources;
    sources.record_event = [](const argus::events::Event& e) { return argus::events::Validate(e); };
    sources.query_events = [](int64_t, int64_t, const auto&) {
      return argus::Result<std::vector<argus::events::Event>>(std::vector<argus::events::Event>());
    };
    argus::http::Router r;
    argus::api::RegisterRoutes(std::move(sources), &r);
    return r;
  }();
  argus::http::Request request;
  request.method = "POST";
  request.path = "/api/v1/events";
  request.body = input;
  bool allowed = false;
  const argus::http::Handler* handler = router.Find(request.method, request.path, &allowed);
  if (handler == nullptr) Fail("no handler for POST /api/v1/events", input);
  argus::http::Response response;
  (*handler)(request, &response);
  simdjson::dom::parser parser;
  if (response.status != 200 && response.status != 400 && response.status != 413) {
    Fail("an event body got neither success nor bad_data", input);
  }
  if (parser.parse(response.body).error() != simdjson::SUCCESS) {
    Fail("the answer to an event body is not JSON", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)argus::api::ParseDuration(input);
  (void)argus::api::ParseLimitParam(input);
  if (auto t = argus::api::ParseTime(input);
      t.ok() && *t > -62135596800000 && *t < 253402300800000) {
    auto again = argus::api::ParseTime(argus::FormatRfc3339(*t));
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
  PostEvent(input);
  return 0;
}
