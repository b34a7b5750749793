#include "cmd/event_command.h"

#include <simdjson.h>

#include <cstdio>
#include <future>

#include "api/json_writer.h"
#include "http/event_loop.h"
#include "http/url.h"

namespace argus::cmd {
namespace {

constexpr std::chrono::milliseconds kTimeout = std::chrono::seconds(30);

// The API's error message in a JSON error body, or the body's first line when it is not one (a
// proxy's page, a server that does not know the endpoint).
std::string ErrorText(const http::ClientResponse& response) {
  simdjson::dom::parser parser;
  std::string_view error;
  if (parser.parse(simdjson::padded_string(response.body))["error"].get(error) ==
      simdjson::SUCCESS) {
    return std::string(error);
  }
  std::string_view body = response.body;
  return std::string(body.substr(0, std::min(body.find('\n'), size_t{200})));
}

}  // namespace

Result<http::ClientRequest> DeployEventRequest(const DeployEventFlags& flags) {
  if (!http::ParseUrl(flags.url)) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "--url: \"{}\" is not an absolute http or https URL", flags.url);
  }
  http::ClientRequest request;
  request.method = "POST";
  std::string_view base = flags.url;
  while (base.ends_with('/')) base.remove_suffix(1);
  request.url = std::string(base) + "/api/v1/events";
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  request.timeout = kTimeout;
  {
    api::JsonWriter w(&request.body);  // Done with the body when it goes.
    w.BeginObject();
    w.Key("kind");
    w.String("deploy");
    w.Key("labels");
    w.Labels(model::Labels{{"service", flags.service}, {"version", flags.version}});
    for (auto [key, value] : {std::pair{"text", &flags.text}, {"link", &flags.link}}) {
      if (value->empty()) continue;
      w.Key(key);
      w.String(*value);
    }
    w.EndObject();
  }
  return request;
}

Status CheckEventResponse(const Result<http::ClientResponse>& response) {
  if (!response.ok()) return response.status().Wrap("cannot reach the server");
  if (response->status == 200) return Status::Ok();
  return Status::Errorf("the server answered {}: {}", response->status, ErrorText(*response));
}

int SendDeployEvent(const DeployEventFlags& flags) {
  auto request = DeployEventRequest(flags);
  if (!request.ok()) {
    std::fprintf(stderr, "Error parsing command line arguments: %s\n",
                 request.status().message().c_str());
    return 2;
  }
  std::string url = request->url;
  std::promise<Result<http::ClientResponse>> done;
  auto response = done.get_future();
  http::EventLoop loop(1);
  loop.Start();
  {
    http::Client client(loop);
    client.Send(std::move(*request),
                [&done](Result<http::ClientResponse> r) { done.set_value(std::move(r)); });
    response.wait();
  }
  loop.Stop();
  Status status = CheckEventResponse(response.get());
  if (!status.ok()) {
    std::fprintf(stderr, "Could not record the deploy at %s: %s\n", url.c_str(),
                 status.message().c_str());
    return 1;
  }
  std::printf("Recorded the deploy of %s %s.\n", flags.service.c_str(), flags.version.c_str());
  return 0;
}

}  // namespace argus::cmd
