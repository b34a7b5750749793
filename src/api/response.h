#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/json_writer.h"
#include "base/status.h"
#include "http/server.h"

namespace argus::api {

// The error types of the Prometheus HTTP API that Argus answers with, each with its HTTP status.
enum class ErrorType {
  kBadData,      // 400: a parameter is missing or wrong.
  kTooLarge,     // 413: the body is larger than the endpoint takes (errorType "bad_data").
  kNotFound,     // 404: no endpoint at that path.
  kExecution,    // 422: the query could not be evaluated.
  kTimeout,      // 503
  kUnavailable,  // 503: what the endpoint needs is not there.
  kInternal,     // 500
};

// Fills `r` with {"status":"error","errorType":"...","error":"..."} and the type's status code.
void RespondError(http::Response* r, ErrorType type, std::string_view message);

// A bad_data error with the message of `status`.
void RespondBadData(http::Response* r, const Status& status);

// The error type of a failed Status, as the engine's contract maps codes: kInvalidInput is
// bad_data, kTimeout is timeout, everything else execution.
ErrorType ErrorTypeOf(const Status& status);

// Builds a successful response: {"status":"success","data":<what the caller writes>, "warnings":
// [...],"infos":[...]}, the last two only when not empty. Write the data through writer()
// between construction and Finish. `*r` must outlive the builder.
class SuccessResponse {
 public:
  explicit SuccessResponse(http::Response* r, size_t reserve = 0);
  JsonWriter& writer() { return writer_; }
  void Finish(const std::vector<std::string>& warnings = {},
              const std::vector<std::string>& infos = {});

 private:
  JsonWriter writer_;
};

// A response whose data is one string array, as labels and label values return.
void RespondStrings(http::Response* r, const std::vector<std::string>& data,
                    const std::vector<std::string>& warnings = {});

}  // namespace argus::api
