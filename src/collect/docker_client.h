#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace argus::collect {

// What Docker's Engine API says of one container (GET /containers/<id>/json), for its labels.
struct DockerContainer {
  std::string name;   // Without the leading '/'.
  std::string image;  // Config.Image, as the container was created from ("nginx:1.25").
  // Kubernetes' labels on containers that the kubelet started through Docker.
  std::string kube_container;  // io.kubernetes.container.name
  std::string kube_pod;        // io.kubernetes.pod.name
  std::string kube_namespace;  // io.kubernetes.pod.namespace
  double created_seconds = 0;  // Since the epoch.
  int64_t pid = 0;             // Of its main process; 0 when it is not running.
};

// A client of Docker's Engine API on its unix socket. Each call connects, asks, and waits at most
// `timeout` for the whole exchange, blocking the calling thread: the collector asks only about
// containers it has not seen before. Thread-compatible.
class DockerClient {
 public:
  DockerClient(std::string socket_path, std::chrono::milliseconds timeout);

  // The container `id`; nullopt when Docker does not know it (404: another runtime's). Errors:
  // kIOError when the socket cannot be reached, kTimeout, kInvalidInput for an answer that is
  // not the API's JSON.
  Result<std::optional<DockerContainer>> Inspect(std::string_view id) const;

  const std::string& socket_path() const { return socket_path_; }

 private:
  const std::string socket_path_;
  const std::chrono::milliseconds timeout_;
};

// Parses the JSON body of GET /containers/<id>/json.
Result<DockerContainer> ParseDockerInspect(std::string_view json);

}  // namespace argus::collect
