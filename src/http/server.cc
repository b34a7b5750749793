#include "http/server.h"

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <exception>
#include <memory>
#include <set>
#include <utility>

#include "base/log.h"
#include "http/beast.h"
#include "http/event_loop.h"
#include "http/gzip.h"
#include "http/url.h"

namespace argus::http {
namespace {

// The endpoint of a "host:port" listen address ("[::1]:9090", ":9090" for every interface).
Result<tcp::endpoint> ResolveListenAddress(asio::io_context& context, std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::Errorf(Status::Code::kInvalidInput, "listen address \"{}\" is not host:port",
                          address);
  }
  std::string host(address.substr(0, colon));
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string port(address.substr(colon + 1));
  beast::error_code ec;
  tcp::resolver resolver(context);
  auto endpoints =
      resolver.resolve(host.empty() ? "0.0.0.0" : host, port, tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return Status::Errorf(Status::Code::kInvalidInput, "cannot resolve listen address \"{}\": {}",
                          address, ec.message());
  }
  return endpoints.begin()->endpoint();
}

// How long a connection may take to send a request, and stay idle between requests.
constexpr std::chrono::seconds kReadTimeout(60);
// Smaller bodies are sent as they are: compressing them saves less than it costs.
constexpr size_t kGzipMinBytes = 1024;

class ServerImpl;

// One connection: reads requests, runs the handler, writes responses, until the peer closes,
// keep-alive ends, the server shuts down or a read times out.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ServerImpl& server) : stream_(std::move(socket)), server_(server) {}
  void Start();
  // Closes the connection if it is waiting for a request; one in flight finishes first.
  void CloseIfIdle();

 private:
  void Read();
  void OnRead(beast::error_code ec);
  void Respond(Response response, bool head, std::chrono::steady_clock::time_point start,
               std::string_view route);
  void Close();

  beast::tcp_stream stream_;
  ServerImpl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> response_;
  // Touched only on the stream's strand, which runs the session's handlers one at a time: an
  // executor, not a lock, so no annotation can check it.
  bool idle_ = false;
  // Set by the first Close: a read aborted by it calls Close again, maybe after the server that
  // was waiting for the session to unregister has gone.
  bool closed_ = false;
  bool accepts_gzip_ = false;  // The current request's client takes gzip bodies.
};

class ServerImpl final : public Server, public std::enable_shared_from_this<ServerImpl> {
 public:
  ServerImpl(EventLoop& loop, ServerOptions options, Router router)
      : context_(loop.context()),
        options_(std::move(options)),
        router_(std::move(router)),
        acceptor_(asio::make_strand(context_)),
        handlers_(std::max(1, options_.handler_threads)) {}

  Status Listen();
  void Accept();
  uint16_t port() const override { return port_; }
  void Shutdown() override;

  const Router& router() const { return router_; }
  asio::thread_pool& handlers() { return handlers_; }
  const ServerOptions& options() const { return options_; }
  bool shutting_down() const { return shutting_down_; }
  void Register(const std::shared_ptr<Session>& s) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    sessions_.insert(s);
  }
  void Unregister(const std::shared_ptr<Session>& s) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    sessions_.erase(s);
  }

 private:
  asio::io_context& context_;
  ServerOptions options_;
  Router router_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  bool NoSessions() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return sessions_.empty(); }

  // Atomic, not under mu_: sessions read it on every request, and a stale false only lets one
  // more request through before the session sees it.
  std::atomic<bool> shutting_down_{false};
  absl::Mutex mu_;
  std::set<std::shared_ptr<Session>> sessions_ ABSL_GUARDED_BY(mu_);
  asio::thread_pool handlers_;
};

void Session::Start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
}

void Session::Read() {
  if (server_.shutting_down()) return Close();
  parser_.emplace();
  parser_->body_limit(server_.options().max_body_bytes);
  idle_ = true;
  accepts_gzip_ = false;
  stream_.expires_after(kReadTimeout);
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
}

void Session::CloseIfIdle() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_) self->Close();
  });
}

std::string_view StatusText(int status) {
  return ToStd(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
}

void Session::OnRead(beast::error_code ec) {
  idle_ = false;
  auto start = std::chrono::steady_clock::now();
  if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
      ec == beast::error::timeout || ec == asio::error::eof ||
      ec == asio::error::connection_reset) {
    return Close();
  }
  Response response;
  if (ec) {
    response.status = ec == bhttp::error::body_limit ? 413 : 400;
    response.body = std::string(StatusText(response.status)) + ": " + ec.message() + "\n";
    parser_->get().keep_alive(false);
    return Respond(std::move(response), false, start, "other");
  }
  auto& req = parser_->get();
  Request request;
  request.method = std::string(ToStd(req.method_string()));
  std::string_view target = ToStd(req.target());
  size_t q = target.find('?');
  auto path = PercentDecode(target.substr(0, q), false);
  bool params_ok = q == std::string_view::npos || ParseQuery(target.substr(q + 1), &request.params);
  for (const auto& field : req) {
    request.headers[LowerCase(field.name_string())] = std::string(ToStd(field.value()));
  }
  request.body = std::move(req.body());
  accepts_gzip_ = request.headers["accept-encoding"].find("gzip") != std::string::npos;
  if (request.method == "POST" &&
      request.headers["content-type"].starts_with("application/x-www-form-urlencoded")) {
    params_ok = params_ok && ParseQuery(request.body, &request.params);
  }
  bool head = request.method == "HEAD";
  if (!path || !params_ok) {
    response.status = 400;
    response.body = "Bad Request: malformed percent-encoding\n";
    return Respond(std::move(response), head, start, "other");
  }
  request.path = std::move(*path);
  const Router& router = server_.router();
  bool method_allowed = true;
  const Handler* handler = router.Find(request.method, request.path, &method_allowed);
  std::string_view route = router.RoutePath(request.method, request.path);
  if (handler == nullptr) {
    response.status = method_allowed ? 404 : 405;
    response.body = std::string(StatusText(response.status)) + "\n";
    return Respond(std::move(response), head, start, route);
  }
  // Off the event loop and back: the response is written on the connection's strand.
  asio::post(server_.handlers(), [self = shared_from_this(), handler, request = std::move(request),
                                  head, start, route]() mutable {
    Response response;
    try {
      (*handler)(request, &response);
    } catch (const std::exception& e) {
      log::Error("HTTP handler failed", {{"path", request.path}, {"err", e.what()}});
      response = Response{};
      response.status = 500;
      response.body = "Internal Server Error\n";
    }
    asio::post(self->stream_.get_executor(),
               [self, response = std::move(response), head, start, route]() mutable {
                 self->Respond(std::move(response), head, start, route);
               });
  });
}

void Session::Respond(Response response, bool head, std::chrono::steady_clock::time_point start,
                      std::string_view route) {
  bool keep_alive = parser_->get().keep_alive() && !server_.shutting_down();
  response_ = std::make_shared<bhttp::response<bhttp::string_body>>(
      static_cast<bhttp::status>(response.status), parser_->get().version());
  auto& res = *response_;
  res.set(bhttp::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  if (accepts_gzip_ && response.body.size() > kGzipMinBytes &&
      response.headers.count("Content-Encoding") == 0) {
    response.body = Gzip(response.body);
    res.set(bhttp::field::content_encoding, "gzip");
  }
  res.content_length(response.body.size());
  if (!head) res.body() = std::move(response.body);
  // Observed before the write, so that a client that has its answer also finds it counted.
  if (server_.options().observer) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    server_.options().observer(route, response.status, seconds);
  }
  stream_.expires_after(kReadTimeout);
  bhttp::async_write(stream_, res,
                     [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                       if (ec || !keep_alive) return self->Close();
                       self->Read();
                     });
}

void Session::Close() {
  if (std::exchange(closed_, true)) return;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  server_.Unregister(shared_from_this());
}

Status ServerImpl::Listen() {
  ARGUS_ASSIGN_OR_RETURN(tcp::endpoint endpoint,
                         ResolveListenAddress(context_, options_.listen_address));
  std::string_view address = options_.listen_address;
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "cannot listen on {}: {}", address, ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return Status::Ok();
}

void ServerImpl::Accept() {
  acceptor_.async_accept(asio::make_strand(context_),
                         [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                           if (self->shutting_down_) return;
                           if (!ec) {
                             auto session = std::make_shared<Session>(std::move(socket), *self);
                             self->Register(session);
                             session->Start();
                           }
                           self->Accept();
                         });
}

void ServerImpl::Shutdown() {
  if (shutting_down_.exchange(true)) return;
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ignored;
    self->acceptor_.close(ignored);
  });
  absl::MutexLock lock(&mu_);
  for (const auto& s : sessions_) s->CloseIfIdle();
  // Requests in flight finish and then close their connections.
  mu_.AwaitWithTimeout(absl::Condition(this, &ServerImpl::NoSessions), absl::Seconds(10));
}

}  // namespace

Status CheckListenAddress(std::string_view address) {
  asio::io_context context;
  return ResolveListenAddress(context, address).status();
}

Result<std::unique_ptr<Server>> Server::Start(EventLoop& loop, ServerOptions options,
                                              Router router) {
  auto impl = std::make_shared<ServerImpl>(loop, std::move(options), std::move(router));
  ARGUS_RETURN_IF_ERROR(impl->Listen());
  impl->Accept();
  // The caller owns a handle; the sessions and pending accepts share the implementation.
  struct Handle final : Server {
    explicit Handle(std::shared_ptr<ServerImpl> impl) : impl(std::move(impl)) {}
    ~Handle() override { impl->Shutdown(); }
    uint16_t port() const override { return impl->port(); }
    void Shutdown() override { impl->Shutdown(); }
    std::shared_ptr<ServerImpl> impl;
  };
  return std::unique_ptr<Server>(std::make_unique<Handle>(std::move(impl)));
}

}  // namespace argus::http
