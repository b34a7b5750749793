#include "api/response.h"

namespace argus::api {
namespace {

constexpr std::string_view kJson = "application/json";

struct ErrorInfo {
  std::string_view name;
  int status;
};

ErrorInfo Info(ErrorType type) {
  switch (type) {
    case ErrorType::kBadData:
      return {"bad_data", 400};
    case ErrorType::kTooLarge:
      return {"bad_data", 413};
    case ErrorType::kNotFound:
      return {"not_found", 404};
    case ErrorType::kExecution:
      return {"execution", 422};
    case ErrorType::kTimeout:
      return {"timeout", 503};
    case ErrorType::kUnavailable:
      return {"unavailable", 503};
    case ErrorType::kInternal:
      return {"internal", 500};
  }
  return {"internal", 500};
}

// Empties the body for a JSON document of about `reserve` bytes, before a writer takes it.
std::string* EmptyJsonBody(http::Response* r, size_t reserve) {
  r->content_type = kJson;
  r->body.clear();
  r->body.reserve(reserve);
  return &r->body;
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& strings) {
  w.BeginArray();
  for (const auto& s : strings) w.String(s);
  w.EndArray();
}

}  // namespace

void RespondError(http::Response* r, ErrorType type, std::string_view message) {
  ErrorInfo info = Info(type);
  r->status = info.status;
  JsonWriter w(EmptyJsonBody(r, 0));
  w.BeginObject();
  w.Key("status");
  w.String("error");
  w.Key("errorType");
  w.String(info.name);
  w.Key("error");
  w.String(message);
  w.EndObject();
}

void RespondBadData(http::Response* r, const Status& status) {
  RespondError(r, ErrorType::kBadData, status.message());
}

ErrorType ErrorTypeOf(const Status& status) {
  switch (status.code()) {
    case Status::Code::kInvalidInput:
      return ErrorType::kBadData;
    case Status::Code::kTimeout:
      return ErrorType::kTimeout;
    default:
      return ErrorType::kExecution;
  }
}

SuccessResponse::SuccessResponse(http::Response* r, size_t reserve)
    : writer_(EmptyJsonBody(r, reserve)) {
  r->status = 200;
  writer_.BeginObject();
  writer_.Key("status");
  writer_.String("success");
  writer_.Key("data");
}

void SuccessResponse::Finish(const std::vector<std::string>& warnings,
                             const std::vector<std::string>& infos) {
  if (!warnings.empty()) {
    writer_.Key("warnings");
    WriteStrings(writer_, warnings);
  }
  if (!infos.empty()) {
    writer_.Key("infos");
    WriteStrings(writer_, infos);
  }
  writer_.EndObject();
  writer_.Flush();
}

void RespondStrings(http::Response* r, const std::vector<std::string>& data,
                    const std::vector<std::string>& warnings) {
  SuccessResponse out(r);
  WriteStrings(out.writer(), data);
  out.Finish(warnings);
}

}  // namespace argus::api
