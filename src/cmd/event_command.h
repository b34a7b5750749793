#pragma once

#include <string>

#include "base/status.h"
#include "http/client.h"

namespace argus::cmd {

// The flags of `argus event deploy`.
struct DeployEventFlags {
  std::string url;      // The server's URL: http://host:9090, or with the path of its external URL.
  std::string service;  // The deployed service: the event's label "service".
  std::string version;  // Its new version: the label "version".
  std::string text;     // Optional, for people: "api 1.4.2 by pipeline 77".
  std::string link;     // Optional: the CI run, the release notes.
};

// The POST /api/v1/events request that records the deploy of `flags`, stamped with the server's
// clock; it waits at most 30 s. kInvalidInput when --url is not an absolute http or https URL.
Result<http::ClientRequest> DeployEventRequest(const DeployEventFlags& flags);

// OK for the server's 200; otherwise what went wrong, as the user should read it: the server's
// error ("the server answered 400: invalid event: link ... is not ...") or why it was not reached.
Status CheckEventResponse(const Result<http::ClientResponse>& response);

// `argus event deploy --url=... --service=... --version=... [--text=...] [--link=...]`, for CI
// pipelines: sends the request, prints what the server recorded on standard output and returns 0,
// or prints the error on standard error and returns 1 (2 for a bad --url, as other flag errors).
int SendDeployEvent(const DeployEventFlags& flags);

}  // namespace argus::cmd
