#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "base/status.h"

namespace argus {
class TimerSource;
}  // namespace argus

namespace argus::http {

class EventLoop;

struct TlsOptions {
  std::string ca_file;  // Empty: the system's trusted roots.
  std::string cert_file;
  std::string key_file;
  std::string server_name;  // Empty: the URL's host.
  bool insecure_skip_verify = false;
};

struct ClientRequest {
  std::string method = "GET";
  std::string url;                             // http:// or https://
  std::map<std::string, std::string> headers;  // Accept, Authorization, ...
  std::string body;
  // For the whole exchange, connect included; kept by `deadline_timers` when set.
  std::chrono::milliseconds timeout{10'000};
  uint64_t body_size_limit = 0;  // Bytes after decompression; 0: no limit.
  TlsOptions tls;
  bool follow_redirects = true;  // Up to 10, as Go's client.
  // When set, the timeout is a timer of this source, on its clock (a test's manual clock, so
  // that a request that hangs times out when the test moves time); else the event loop's steady
  // clock keeps it. The source must outlive the request.
  TimerSource* deadline_timers = nullptr;
};

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::map<std::string, std::string> headers;  // Names in lower case.
  std::string body;   // gzip and deflate content encodings are already decoded.
  int redirects = 0;  // How many redirects were followed to get it.
};

// Called exactly once, on an event-loop thread, with the response or an error: kTimeout after
// the deadline, kBodyTooLarge past body_size_limit, kIOError for connection and TLS failures,
// kInvalidInput for a malformed response. A non-2xx status is a response, not an error.
using ResponseCallback = std::function<void(Result<ClientResponse>)>;

// An asynchronous HTTP/1.1 client on the shared event loop; a request holds no thread while it
// waits. Thread-safe.
class Client {
 public:
  explicit Client(EventLoop& loop);
  ~Client();
  void Send(ClientRequest request, ResponseCallback done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace argus::http
