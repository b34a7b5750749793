#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace argus::http {

class EventLoop;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // Decoded path, without the query string.
  // Query parameters, and for POST with Content-Type application/x-www-form-urlencoded the body's
  // parameters too, percent-decoded; a name may repeat (match[]=a&match[]=b).
  std::multimap<std::string, std::string> params;
  std::map<std::string, std::string> headers;  // Names in lower case.
  std::string body;

  // The first value of parameter `name`, or "" when absent.
  std::string_view Param(std::string_view name) const;
  std::vector<std::string> Params(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::map<std::string, std::string> headers;
  std::string body;
};

// Handles one request. Runs on one of the server's handler threads, never on an event-loop
// thread, so a slow handler (a long query) delays only requests, not scrapes; it may be called
// concurrently from several threads.
using Handler = std::function<void(const Request&, Response*)>;

// Maps method and path to handlers. Configure before Server::Start; read-only afterwards.
class Router {
 public:
  // `path` matches exactly, or, when it ends in "/*", any path with that prefix.
  void Handle(std::string method, std::string path, Handler handler);
  // Answers the requests for paths that start with `prefix` but match no route, whatever their
  // method, in place of the server's plain-text 404, so that a group of endpoints (an API) can
  // report an unknown path in its own format; the handler sets the status. The longest prefix
  // wins.
  void HandleNotFound(std::string prefix, Handler handler);
  // The handler for a request: its route's, or for a path that no route matches the not-found
  // handler of its longest prefix; nullptr when there is neither. Sets *method_allowed to false
  // when the path is known but not with this method (a 405 rather than a 404).
  const Handler* Find(std::string_view method, std::string_view path, bool* method_allowed) const;
  // The route's path for metrics ("/api/v1/" for a prefix route), or "other" when none matches, so
  // that request counters have a bounded number of label values.
  std::string_view RoutePath(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    Handler handler;
  };
  struct NotFoundRoute {
    std::string prefix;
    Handler handler;
  };
  const Route* Match(std::string_view method, std::string_view path, bool* method_allowed) const;
  std::vector<Route> routes_;
  std::vector<NotFoundRoute> not_found_;
};

// Counts requests for /metrics. Thread-safe, called on every response.
using RequestObserver =
    std::function<void(std::string_view handler_path, int status, double duration_seconds)>;

struct ServerOptions {
  std::string listen_address = "127.0.0.1:9090";  // host:port; port 0 picks a free one.
  size_t max_body_bytes = 64 << 20;
  int handler_threads = 2;   // Threads that run the handlers.
  RequestObserver observer;  // Optional.
};

// Whether `address` is one a Server can listen on: host:port, with a host that resolves. Does not
// bind, so a port in use is found only by Start. Fails with kInvalidInput saying what is wrong.
Status CheckListenAddress(std::string_view address);

// An HTTP/1.1 server on the shared event loop (keep-alive, no thread per connection), whose
// handlers run on a small pool of threads of its own. Unknown
// paths get 404 (or what the router's not-found handler for them answers), wrong methods 405,
// malformed requests 400, handler exceptions 500 — the server stays up in every case.
class Server {
 public:
  // Binds and starts accepting. Fails with kIOError naming the address when it cannot bind.
  static Result<std::unique_ptr<Server>> Start(EventLoop& loop, ServerOptions options,
                                               Router router);
  virtual ~Server() = default;
  // The port actually bound (useful with port 0).
  virtual uint16_t port() const = 0;
  // Stops accepting, lets requests in flight finish, then closes every connection.
  virtual void Shutdown() = 0;
};

}  // namespace argus::http
