#include "http/client.h"

#include <absl/synchronization/mutex.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <utility>

#include "base/timer.h"
#include "http/beast.h"
#include "http/event_loop.h"
#include "http/gzip.h"
#include "http/url.h"

namespace argus::http {
namespace {

namespace ssl = asio::ssl;

constexpr int kMaxRedirects = 10;

// The most a response body's read may take from the socket in one system call. Beast sizes each
// read from the buffer's free space, which stays at its 512-byte minimum as the parser takes the
// body away: a megabyte would take 2,000 calls. Beast reads at most 64 KiB at a time anyway.
constexpr size_t kBodyReadBytes = 64 << 10;

Result<std::shared_ptr<ssl::context>> MakeTlsContext(const TlsOptions& tls, const Url& url) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  beast::error_code ec;
  if (tls.insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_verify_mode(ssl::verify_peer);
    if (tls.ca_file.empty()) {
      ctx->set_default_verify_paths(ec);
    } else {
      ctx->load_verify_file(tls.ca_file, ec);
    }
    if (ec)
      return Status::Errorf(Status::Code::kIOError, "cannot load CA file \"{}\": {}", tls.ca_file,
                            ec.message());
    ctx->set_verify_callback(
        ssl::host_name_verification(tls.server_name.empty() ? url.host : tls.server_name));
  }
  if (!tls.cert_file.empty()) {
    ctx->use_certificate_chain_file(tls.cert_file, ec);
    if (!ec) ctx->use_private_key_file(tls.key_file, ssl::context::pem, ec);
    if (ec)
      return Status::Errorf(Status::Code::kIOError, "cannot load client certificate \"{}\": {}",
                            tls.cert_file, ec.message());
  }
  return ctx;
}

using Strand = asio::strand<asio::io_context::executor_type>;

// An open connection and the strand its operations run on.
struct Connection {
  explicit Connection(Strand s) : strand(std::move(s)) {}
  Strand strand;
  std::optional<beast::tcp_stream> tcp;
  std::shared_ptr<ssl::context> tls_context;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  std::chrono::steady_clock::time_point idle_since;

  beast::tcp_stream& Tcp() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
};

// Where a connection leads: a later request with the same key may use it.
std::string PoolKey(const Url& url, const TlsOptions& tls) {
  std::string key = url.scheme + "://" + url.host + ":" + std::to_string(url.port);
  if (url.scheme == "https") {
    key += "|" + tls.ca_file + "|" + tls.cert_file + "|" + tls.key_file + "|" + tls.server_name +
           (tls.insecure_skip_verify ? "|insecure" : "|verify");
  }
  return key;
}

// Idle keep-alive connections by key, as Go's transport keeps them for Prometheus: a target
// scraped again reuses its connection instead of resolving, connecting and handshaking anew.
// Thread-safe.
class ConnectionPool {
 public:
  std::unique_ptr<Connection> Take(const std::string& key) {
    absl::MutexLock lock(&mu_);
    auto it = idle_.find(key);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    std::unique_ptr<Connection> c = std::move(it->second.back());
    it->second.pop_back();
    if (it->second.empty()) idle_.erase(it);
    return std::chrono::steady_clock::now() - c->idle_since < kIdleTimeout ? std::move(c) : nullptr;
  }

  void Give(const std::string& key, std::unique_ptr<Connection> c) {
    auto now = std::chrono::steady_clock::now();
    c->idle_since = now;
    absl::MutexLock lock(&mu_);
    auto& list = idle_[key];
    if (list.size() < kMaxIdlePerKey) list.push_back(std::move(c));
    if (now - last_prune_ > kIdleTimeout) {  // Connections of targets that went away.
      last_prune_ = now;
      for (auto i = idle_.begin(); i != idle_.end();) {
        std::erase_if(i->second,
                      [&](const auto& e) { return now - e->idle_since >= kIdleTimeout; });
        if (i->second.empty()) {
          idle_.erase(i++);
        } else {
          ++i;
        }
      }
    }
  }

 private:
  static constexpr auto kIdleTimeout = std::chrono::seconds(90);
  static constexpr size_t kMaxIdlePerKey = 256;
  absl::Mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_ ABSL_GUARDED_BY(mu_);
  std::chrono::steady_clock::time_point last_prune_ ABSL_GUARDED_BY(mu_) =
      std::chrono::steady_clock::now();
};

// One request, from resolving the host to the last byte of the response, following redirects.
// Owns itself through the shared pointers its pending operations hold. It runs on the strand of
// the idle connection it was given, or on a new one.
class Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& context, ClientRequest request, ResponseCallback done,
           std::shared_ptr<ConnectionPool> pool, std::string key, std::unique_ptr<Connection> idle)
      : strand_(idle ? idle->strand : asio::make_strand(context)),
        request_(std::move(request)),
        done_(std::move(done)),
        pool_(std::move(pool)),
        key_(std::move(key)),
        conn_(std::move(idle)),
        reused_(conn_ != nullptr),
        resolver_(strand_),
        deadline_(strand_) {}

  void Start() {
    if (TimerSource* timers = request_.deadline_timers) {
      // The pending TimedOut holds the exchange, so that it never ends on the timer's thread.
      deadline_timer_ = timers->NewTimer();
      deadline_timer_->Schedule(timers->clock().Now() + request_.timeout,
                                [weak = weak_from_this()] {
                                  if (auto self = weak.lock()) {
                                    asio::post(self->strand_, [self] { self->TimedOut(); });
                                  }
                                });
    } else {
      deadline_.expires_after(request_.timeout);
      deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec) self->TimedOut();
      });
    }
    asio::dispatch(strand_, [self = shared_from_this()] { self->Connect(self->request_.url); });
  }

 private:
  void Connect(const std::string& raw_url) {
    auto url = ParseUrl(raw_url);
    if (!url) {
      return Finish(Status::Errorf(Status::Code::kInvalidInput, "invalid URL \"{}\"", raw_url));
    }
    url_ = *url;
    if (conn_ && PoolKey(url_, request_.tls) == key_) return Write();
    CloseStream();
    key_ = PoolKey(url_, request_.tls);
    reused_ = false;
    conn_ = std::make_unique<Connection>(strand_);
    conn_->tcp.emplace(strand_);
    if (url_.scheme == "https") {
      auto ctx = MakeTlsContext(request_.tls, url_);
      if (!ctx.ok()) return Finish(ctx.status());
      conn_->tls_context = *ctx;
      conn_->tls.emplace(std::move(*conn_->tcp), *conn_->tls_context);
      conn_->tcp.reset();
      std::string sni = request_.tls.server_name.empty() ? url_.host : request_.tls.server_name;
      SSL_set_tlsext_host_name(conn_->tls->native_handle(), sni.c_str());
    }
    beast::error_code ec;
    auto address = asio::ip::make_address(url_.host, ec);
    if (!ec) {  // An address needs no resolver (and no thread hop to one).
      return OnResolve({}, tcp::resolver::results_type::create(tcp::endpoint(address, url_.port),
                                                               url_.host, ""));
    }
    resolver_.async_resolve(
        url_.host, std::to_string(url_.port),
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          self->OnResolve(ec, std::move(results));
        });
  }

  void OnResolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return Fail(ec, "cannot resolve " + url_.host);
    conn_->Tcp().async_connect(
        results, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return self->Fail(ec, "cannot connect to " + self->Address());
          if (!self->conn_->tls) return self->Write();
          self->conn_->tls->async_handshake(ssl::stream_base::client, [self](beast::error_code ec) {
            if (ec) return self->Fail(ec, "TLS handshake with " + self->Address() + " failed");
            self->Write();
          });
        });
  }

  std::string Address() const { return url_.host + ":" + std::to_string(url_.port); }

  template <typename F>
  void WithStream(F f) {
    if (conn_->tls) {
      f(*conn_->tls);
    } else {
      f(*conn_->tcp);
    }
  }

  void Write() {
    req_ = {};
    req_.method_string(request_.method);
    req_.target(url_.target);
    req_.version(11);
    req_.set(bhttp::field::host, url_.host);
    for (const auto& [name, value] : request_.headers) req_.set(name, value);
    if (!request_.body.empty() || request_.method == "POST") {
      req_.body() = request_.body;
      req_.prepare_payload();
    }
    req_.keep_alive(true);
    WithStream([&](auto& stream) {
      bhttp::async_write(stream, req_, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->Fail(ec, "cannot send the request to " + self->Address());
        self->Read();
      });
    });
  }

  void Read() {
    parser_.emplace();
    // Checked by OverLimit as the body arrives; Beast 1.74 compares its own optional limit wrongly.
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    // Each piece takes every chunk of a chunked body that the buffer holds, not one chunk.
    parser_->eager(true);
    ReadSome();
  }

  // Reads in pieces so that a body past the limit is cut off as soon as it passes it. The buffer
  // stays small until the header says how much body follows, so that an exchange waiting for a
  // slow server holds little memory.
  void ReadSome() {
    if (parser_->is_header_done()) buffer_.reserve(BodyReadBytes());
    WithStream([&](auto& stream) {
      bhttp::async_read_some(
          stream, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
            if (!ec && self->OverLimit()) {
              return self->Finish(Status::Errorf(Status::Code::kBodyTooLarge,
                                                 "body size limit exceeded: more than {} bytes",
                                                 self->request_.body_size_limit));
            }
            if (!ec && !self->parser_->is_done()) return self->ReadSome();
            self->OnRead(ec);
          });
    });
  }

  // The room to read the body into: kBodyReadBytes, or less when the body or its limit is smaller.
  size_t BodyReadBytes() const {
    uint64_t bytes = kBodyReadBytes;
    if (auto length = parser_->content_length()) bytes = std::min(bytes, *length);
    if (request_.body_size_limit > 0) bytes = std::min(bytes, request_.body_size_limit);
    return bytes;
  }

  bool OverLimit() const {
    uint64_t limit = request_.body_size_limit;
    if (limit == 0) return false;
    auto length = parser_->content_length();
    return parser_->get().body().size() > limit || (length && *length > limit);
  }

  void OnRead(beast::error_code ec) {
    // A TLS peer that closes without close_notify still sent a complete response.
    if (ec && !(ec == ssl::error::stream_truncated && parser_->is_done())) {
      return Fail(ec, "cannot read the response from " + Address());
    }
    auto& res = parser_->get();
    int status = res.result_int();
    if (request_.follow_redirects && status >= 300 && status < 400 && status != 304 &&
        res.count(bhttp::field::location) > 0) {
      if (++redirects_ > kMaxRedirects) {
        return Finish(Status::Errorf(Status::Code::kInvalidInput, "stopped after {} redirects",
                                     kMaxRedirects));
      }
      std::string location(ToStd(res[bhttp::field::location]));
      if (location.starts_with("/")) {
        location = url_.scheme + "://" + Address() + location;
      }
      if (!res.keep_alive() || buffer_.size() > 0) CloseStream();
      return Connect(location);
    }
    ClientResponse response;
    response.status = status;
    for (const auto& field : res) {
      response.headers[LowerCase(field.name_string())] = std::string(ToStd(field.value()));
    }
    auto header = [&](const char* name) {
      auto it = response.headers.find(name);
      return it == response.headers.end() ? std::string() : it->second;
    };
    response.content_type = header("content-type");
    response.redirects = redirects_;
    std::string encoding = header("content-encoding");
    if (encoding == "gzip" || encoding == "deflate") {
      Status inflated = Inflate(res.body(), request_.body_size_limit, &response.body);
      if (!inflated.ok()) return Finish(inflated);
    } else {
      response.body = std::move(res.body());
    }
    if (res.keep_alive() && buffer_.size() == 0) pool_->Give(key_, std::move(conn_));
    Finish(std::move(response));
  }

  void Fail(beast::error_code ec, const std::string& what) {
    if (reused_ && !timed_out_ && (request_.method == "GET" || request_.method == "HEAD")) {
      // The peer closed the idle connection meanwhile: once more on a new one, as Go does. The
      // operation that failed was the only one on it, so it can go now.
      CloseStream();
      conn_.reset();
      reused_ = false;
      buffer_.clear();
      return Connect(request_.url);
    }
    if (timed_out_) {
      return Finish(Status::Errorf(Status::Code::kTimeout, "request to {} timed out after {}ms",
                                   request_.url, request_.timeout.count()));
    }
    Finish(Status::Errorf(Status::Code::kIOError, "{}: {}", what, ec.message()));
  }

  void TimedOut() {
    timed_out_ = true;
    resolver_.cancel();
    CloseStream();
  }

  // Closes the socket; the connection object stays until the exchange ends, since operations
  // that the close aborts still complete on it.
  void CloseStream() {
    if (!conn_) return;
    beast::error_code ignored;
    conn_->Tcp().socket().close(ignored);
  }

  void Finish(Result<ClientResponse> result) {
    if (!done_) return;
    deadline_.cancel();
    if (deadline_timer_) deadline_timer_->Cancel();
    CloseStream();
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

  Strand strand_;
  ClientRequest request_;
  ResponseCallback done_;
  std::shared_ptr<ConnectionPool> pool_;
  std::string key_;                   // Where conn_ leads.
  std::unique_ptr<Connection> conn_;  // Null once given back to the pool.
  bool reused_;                       // conn_ came from the pool and was not used yet.
  tcp::resolver resolver_;
  asio::steady_timer deadline_;
  std::unique_ptr<Timer> deadline_timer_;  // Instead of deadline_, with request_.deadline_timers.
  Url url_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> req_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  int redirects_ = 0;
  bool timed_out_ = false;
};

}  // namespace

struct Client::Impl {
  asio::io_context& context;
  std::shared_ptr<ConnectionPool> pool = std::make_shared<ConnectionPool>();
};

Client::Client(EventLoop& loop) : impl_(std::make_unique<Impl>(Impl{loop.context()})) {}

Client::~Client() = default;

void Client::Send(ClientRequest request, ResponseCallback done) {
  auto url = ParseUrl(request.url);
  std::string key = url ? PoolKey(*url, request.tls) : "";
  auto idle = url ? impl_->pool->Take(key) : nullptr;
  std::make_shared<Exchange>(impl_->context, std::move(request), std::move(done), impl_->pool,
                             std::move(key), std::move(idle))
      ->Start();
}

}  // namespace argus::http
