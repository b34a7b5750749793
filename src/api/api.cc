#include "api/api.h"

#include <fmt/format.h>

#include "api/handlers.h"
#include "api/response.h"

namespace argus::api {

void RegisterRoutes(Sources sources, http::Router* router) {
  auto shared = std::make_shared<const Sources>(std::move(sources));
  auto handle = [&](std::vector<std::string> methods, std::string path, HandlerFunc f) {
    for (auto& method : methods) {
      router->Handle(method, path, [shared, f](const http::Request& req, http::Response* r) {
        f(*shared, req, r);
      });
    }
  };
  const std::vector<std::string> get = {"GET"}, get_post = {"GET", "POST"};
  handle(get_post, "/api/v1/query", Query);
  handle(get_post, "/api/v1/query_range", QueryRange);
  handle(get_post, "/api/v1/query_exemplars", QueryExemplars);
  handle(get_post, "/api/v1/format_query", FormatQuery);
  handle(get_post, "/api/v1/parse_query", ParseQuery);
  handle(get_post, "/api/v1/series", Series);
  handle(get_post, "/api/v1/labels", LabelNames);
  handle(get, "/api/v1/label/*", LabelValues);
  handle(get, "/api/v1/metadata", Metadata);
  handle(get, "/api/v1/targets", Targets);
  handle(get, "/api/v1/targets/metadata", TargetsMetadata);
  handle(get, "/api/v1/status/buildinfo", BuildInfo);
  handle(get, "/api/v1/status/config", Config);
  handle(get, "/api/v1/status/flags", Flags);
  handle(get, "/api/v1/status/runtimeinfo", RuntimeInfoStatus);
  handle(get, "/api/v1/status/tsdb", TsdbStatus);
  handle(get_post, "/federate", Federate);
  handle({"POST"}, "/api/v1/events", RecordEvent);
  handle(get, "/api/v1/events", ListEvents);
  router->HandleNotFound("/api/v1/", [](const http::Request& req, http::Response* r) {
    RespondError(r, ErrorType::kNotFound, fmt::format("unknown API endpoint \"{}\"", req.path));
  });
}

}  // namespace argus::api
