#include "collect/docker_client.h"

#include <absl/time/time.h>
#include <simdjson.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace argus::collect {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

std::string_view StringAt(simdjson::dom::element doc, std::string_view pointer) {
  std::string_view value;
  if (doc.at_pointer(pointer).get(value) != simdjson::SUCCESS) return {};
  return value;
}

}  // namespace

Result<DockerContainer> ParseDockerInspect(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::padded_string padded(json);
  if (auto error = parser.parse(padded).get(doc)) {
    return Status::Errorf(Status::Code::kInvalidInput, "Docker answered with invalid JSON: {}",
                          simdjson::error_message(error));
  }
  if (!doc.is_object()) {
    return Status::Error("Docker answered with JSON that is not an object",
                         Status::Code::kInvalidInput);
  }
  DockerContainer c;
  c.name = std::string(StringAt(doc, "/Name"));
  if (c.name.starts_with('/')) c.name.erase(0, 1);
  c.image = std::string(StringAt(doc, "/Config/Image"));
  c.kube_container = std::string(StringAt(doc, "/Config/Labels/io.kubernetes.container.name"));
  c.kube_pod = std::string(StringAt(doc, "/Config/Labels/io.kubernetes.pod.name"));
  c.kube_namespace = std::string(StringAt(doc, "/Config/Labels/io.kubernetes.pod.namespace"));
  int64_t pid = 0;
  if (doc.at_pointer("/State/Pid").get(pid) == simdjson::SUCCESS) c.pid = pid;
  absl::Time created;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, std::string(StringAt(doc, "/Created")), &created,
                      &error)) {
    c.created_seconds = absl::ToDoubleSeconds(created - absl::UnixEpoch());
  }
  return c;
}

DockerClient::DockerClient(std::string socket_path, std::chrono::milliseconds timeout)
    : socket_path_(std::move(socket_path)), timeout_(timeout) {}

Result<std::optional<DockerContainer>> DockerClient::Inspect(std::string_view id) const {
  // A private context run on this thread: the exchange is bounded by the deadline without
  // involving the shared event loop.
  asio::io_context context;
  asio::local::stream_protocol::socket socket(context);
  bhttp::request<bhttp::empty_body> request(bhttp::verb::get,
                                            "/containers/" + std::string(id) + "/json", 11);
  request.set(bhttp::field::host, "docker");
  boost::beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(4 << 20);
  boost::system::error_code failure;
  const char* stage = "connect to";
  bool done = false;
  socket.async_connect(socket_path_, [&](boost::system::error_code ec) {
    if (ec) {
      failure = ec;
      return;
    }
    stage = "send to";
    bhttp::async_write(socket, request, [&](boost::system::error_code ec, size_t) {
      if (ec) {
        failure = ec;
        return;
      }
      stage = "read from";
      bhttp::async_read(socket, buffer, parser, [&](boost::system::error_code ec, size_t) {
        failure = ec;
        done = !ec;
      });
    });
  });
  context.run_for(timeout_);
  if (!done && !failure) {
    return Status::Errorf(Status::Code::kTimeout, "no answer from Docker at \"{}\" within {} ms",
                          socket_path_, timeout_.count());
  }
  if (failure) {
    return Status::Errorf(Status::Code::kIOError, "cannot {} Docker at \"{}\": {}", stage,
                          socket_path_, failure.message());
  }
  const auto& response = parser.get();
  if (response.result() == bhttp::status::not_found) return std::optional<DockerContainer>();
  if (response.result() != bhttp::status::ok) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "Docker at \"{}\" answered {} to an inspection of container {}",
                          socket_path_, response.result_int(), id);
  }
  ARGUS_ASSIGN_OR_RETURN(DockerContainer container, ParseDockerInspect(response.body()));
  return std::optional<DockerContainer>(std::move(container));
}

}  // namespace argus::collect
