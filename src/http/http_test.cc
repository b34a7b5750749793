#include <absl/synchronization/mutex.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <string>

#include "base/manual_timer_source.h"
#include "http/client.h"
#include "http/event_loop.h"
#include "http/gzip.h"
#include "http/server.h"
#include "http/url.h"

namespace argus::http {
namespace {

// Every recvmsg call of this process and the bytes they returned, counted by the definition of
// recvmsg at the end of this file (Asio reads sockets with recvmsg).
std::atomic<uint64_t> recvmsg_calls{0};
std::atomic<uint64_t> recvmsg_bytes{0};

ServerOptions OnLoopback(RequestObserver observer = nullptr) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.observer = std::move(observer);
  return options;
}

class HttpTest : public ::testing::Test {
 protected:
  HttpTest() : loop_(2) { loop_.Start(); }
  ~HttpTest() override {
    if (server_) server_->Shutdown();
    loop_.Stop();
  }

  void Serve(Router router) {
    auto s = Server::Start(loop_, OnLoopback(), std::move(router));
    ASSERT_TRUE(s.ok()) << s.status().message();
    server_ = std::move(*s);
  }

  std::string Url(const std::string& target) {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + target;
  }

  Result<ClientResponse> Fetch(ClientRequest req) {
    std::promise<Result<ClientResponse>> done;
    client_.Send(std::move(req), [&](Result<ClientResponse> r) { done.set_value(std::move(r)); });
    return done.get_future().get();
  }

  Result<ClientResponse> Get(const std::string& target) {
    ClientRequest req;
    req.url = Url(target);
    return Fetch(std::move(req));
  }

  // Before the loop: the exchanges that use its timers end with the loop.
  ManualClock clock_;
  ManualTimerSource timers_{clock_};
  EventLoop loop_;
  std::unique_ptr<Server> server_;
  Client client_{loop_};
};

TEST_F(HttpTest, RoutesParamsAndStatusCodes) {
  Router router;
  router.Handle("GET", "/echo", [](const Request& r, Response* w) {
    w->body = std::string(r.Param("a")) + "|" + std::to_string(r.Params("m").size()) + "|" +
              std::string(r.Param("sp"));
  });
  router.Handle("POST", "/form", [](const Request& r, Response* w) {
    w->body = std::string(r.Param("q")) + "|" + std::string(r.Param("x"));
  });
  router.Handle("GET", "/api/*", [](const Request& r, Response* w) { w->body = r.path; });
  router.Handle("GET", "/throw", [](const Request&, Response*) { throw std::runtime_error("x"); });
  Serve(std::move(router));

  auto r = Get("/echo?a=x%2Fy&m=1&m=2&sp=a+b");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "x/y|2|a b");

  ClientRequest post;
  post.method = "POST";
  post.url = Url("/form?x=1");
  post.headers["Content-Type"] = "application/x-www-form-urlencoded";
  post.body = "q=up%7Bjob%3D%22a%22%7D";
  r = Fetch(post);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "up{job=\"a\"}|1");

  EXPECT_EQ(Get("/api/v1/query")->body, "/api/v1/query");
  EXPECT_EQ(Get("/nothing")->status, 404);
  post.url = Url("/echo");
  EXPECT_EQ(Fetch(post)->status, 405);
  EXPECT_EQ(Get("/throw")->status, 500);
  EXPECT_EQ(Get("/echo?a=%zz")->status, 400);
  EXPECT_EQ(Get("/echo")->status, 200);  // Still serving after all of that.
}

TEST_F(HttpTest, UnknownPathsUnderAPrefixGoToItsNotFoundHandler) {
  Router router;
  router.Handle("GET", "/api/v1/query", [](const Request&, Response* w) { w->body = "query"; });
  router.HandleNotFound("/api/", [](const Request& r, Response* w) {
    w->status = 404;
    w->body = "api: " + r.path;
  });
  router.HandleNotFound("/api/v1/", [](const Request& r, Response* w) {
    w->status = 404;
    w->content_type = "application/json";
    w->body = "v1: " + r.path;
  });
  Serve(std::move(router));

  auto r = Get("/api/v1/nope");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->headers["content-type"], "application/json");
  EXPECT_EQ(r->body, "v1: /api/v1/nope");
  EXPECT_EQ(Get("/api/v2/x")->body, "api: /api/v2/x");
  EXPECT_EQ(Get("/api/v1/query")->body, "query");
  r = Get("/elsewhere");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body, "Not Found\n");
  // A known path with another method is still the server's 405.
  ClientRequest post;
  post.method = "POST";
  post.url = Url("/api/v1/query");
  r = Fetch(post);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->body, "Method Not Allowed\n");
}

TEST_F(HttpTest, ObserverSeesRoutesNotRawPaths) {
  absl::Mutex mu;
  std::vector<std::string> seen;  // Under mu: a local, which no annotation can name.
  Router router;
  router.Handle("GET", "/a/*", [](const Request&, Response*) {});
  auto s = Server::Start(loop_, OnLoopback([&](std::string_view route, int status, double) {
                           absl::MutexLock lock(&mu);
                           seen.push_back(std::string(route) + " " + std::to_string(status));
                         }),
                         std::move(router));
  ASSERT_TRUE(s.ok());
  server_ = std::move(*s);
  ASSERT_TRUE(Get("/a/1").ok());
  ASSERT_TRUE(Get("/b/2").ok());
  absl::MutexLock lock(&mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"/a/ 200", "other 404"}));
}

TEST_F(HttpTest, GzipBodiesAreDecodedWithinTheLimit) {
  std::string big(1 << 20, 'a');
  Router router;
  router.Handle("GET", "/gz", [&](const Request&, Response* w) {
    w->headers["Content-Encoding"] = "gzip";
    w->body = http::Gzip(big);
  });
  router.Handle("GET", "/plain", [&](const Request&, Response* w) { w->body = big; });
  Serve(std::move(router));
  auto r = Get("/gz");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->body, big);

  ClientRequest limited;
  limited.body_size_limit = 1000;
  limited.url = Url("/gz");  // A bomb: a few KB that decompress to 1 MB.
  r = Fetch(limited);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kBodyTooLarge);
  limited.url = Url("/plain");
  r = Fetch(limited);
  ASSERT_FALSE(r.ok()) << r->body.size() << " " << r->status;
  EXPECT_EQ(r.status().code(), Status::Code::kBodyTooLarge);
}

TEST_F(HttpTest, LargeResponsesAreCompressedForClientsThatAcceptGzip) {
  std::string big(4096, 'x');
  Router router;
  router.Handle("GET", "/big", [&](const Request&, Response* w) { w->body = big; });
  router.Handle("GET", "/small", [](const Request&, Response* w) { w->body = "tiny"; });
  Serve(std::move(router));
  ClientRequest req;
  req.url = Url("/big");
  req.headers["Accept-Encoding"] = "gzip";
  auto r = Fetch(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->headers["content-encoding"], "gzip");
  EXPECT_EQ(r->body, big);  // Decoded by the client.
  req.url = Url("/small");
  r = Fetch(req);
  EXPECT_EQ(r->headers.count("content-encoding"), 0u);
  EXPECT_EQ(Get("/big")->headers.count("content-encoding"), 0u);  // Not asked for.
}

TEST_F(HttpTest, TimeoutAgainstAServerThatNeverAnswers) {
  namespace asio = boost::asio;
  asio::ip::tcp::acceptor silent(loop_.context(), {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket accepted(loop_.context());
  silent.async_accept(accepted, [](boost::system::error_code) {});
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/metrics";
  req.timeout = std::chrono::milliseconds(100);
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTimeout);
  EXPECT_NE(r.status().message().find("timed out"), std::string::npos);
}

// With deadline_timers the timeout follows that source's clock, not the event loop's: a request
// that gets no answer times out when a test moves its manual clock, and one answered in time
// leaves no timer armed.
TEST_F(HttpTest, ATimeoutKeptByATimerSourceFollowsItsClock) {
  Router router;
  router.Handle("GET", "/ok", [](const Request&, Response* r) { r->body = "ok"; });
  Serve(std::move(router));
  ClientRequest answered;
  answered.url = Url("/ok");
  answered.deadline_timers = &timers_;
  auto r = Fetch(answered);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(timers_.armed(), 0u);

  namespace asio = boost::asio;
  asio::ip::tcp::acceptor silent(loop_.context(), {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket accepted(loop_.context());
  silent.async_accept(accepted, [](boost::system::error_code) {});
  ClientRequest hangs;
  hangs.url = "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/metrics";
  hangs.timeout = std::chrono::hours(1);  // Far beyond the test's real time.
  hangs.deadline_timers = &timers_;
  std::promise<Result<ClientResponse>> done;
  client_.Send(hangs, [&](Result<ClientResponse> result) { done.set_value(std::move(result)); });
  timers_.Advance(std::chrono::hours(1) - std::chrono::milliseconds(1));
  EXPECT_EQ(timers_.armed(), 1u);  // Not yet.
  timers_.Advance(std::chrono::milliseconds(1));
  Result<ClientResponse> timed_out = done.get_future().get();
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.status().code(), Status::Code::kTimeout);
  EXPECT_NE(timed_out.status().message().find("timed out after 3600000ms"), std::string::npos)
      << timed_out.status().message();
}

TEST_F(HttpTest, ConnectionRefusedNamesTheAddress) {
  Serve(Router());
  uint16_t port = server_->port();
  server_->Shutdown();
  server_.reset();
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIOError);
  EXPECT_NE(r.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << r.status().message();
}

TEST_F(HttpTest, FollowsRedirects) {
  Router router;
  router.Handle("GET", "/old", [](const Request&, Response* w) {
    w->status = 302;
    w->headers["Location"] = "/new";
  });
  router.Handle("GET", "/loop", [](const Request&, Response* w) {
    w->status = 301;
    w->headers["Location"] = "/loop";
  });
  router.Handle("GET", "/new", [](const Request&, Response* w) { w->body = "here"; });
  Serve(std::move(router));
  auto moved = Get("/old");
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(moved->body, "here");
  EXPECT_EQ(moved->redirects, 1);
  EXPECT_EQ(Get("/new")->redirects, 0);
  auto r = Get("/loop");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("redirects"), std::string::npos);
}

TEST(HttpServerTest, HandlersRunOffTheEventLoop) {
  // With one loop thread, a handler that waits for work on the loop would wait forever if it ran
  // on that thread.
  EventLoop loop(1);
  loop.Start();
  Router router;
  router.Handle("GET", "/waits", [&loop](const Request&, Response* w) {
    std::promise<void> ran;
    boost::asio::post(loop.context(), [&ran] { ran.set_value(); });
    bool ok = ran.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    w->body = ok ? "loop free" : "loop blocked";
  });
  auto server = Server::Start(loop, OnLoopback(), std::move(router));
  ASSERT_TRUE(server.ok());
  Client client(loop);
  std::promise<Result<ClientResponse>> done;
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string((*server)->port()) + "/waits";
  client.Send(req, [&](Result<ClientResponse> r) { done.set_value(std::move(r)); });
  auto r = done.get_future().get();
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->body, "loop free");
  (*server)->Shutdown();
  loop.Stop();
}

// A bare HTTP/1.1 server on the test's loop that answers every request with `response`, byte for
// byte, and counts connections. With `close_after` it closes each connection after one response
// without saying so, as a server whose idle timeout is shorter than the client's does.
class CountingServer {
 public:
  CountingServer(boost::asio::io_context& context, bool close_after,
                 std::string response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
      : acceptor_(context, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        reply_(std::make_shared<const Reply>(Reply{close_after, std::move(response)})) {
    Accept();
  }
  ~CountingServer() { acceptor_.close(); }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }

 private:
  // What connections answer; shared with them, since a connection's handlers may still run on the
  // loop's threads after the server is gone.
  struct Reply {
    bool close_after;
    std::string response;
  };
  struct Conn {
    Conn(boost::asio::io_context& c, std::shared_ptr<const Reply> r)
        : socket(c), reply(std::move(r)) {}
    boost::asio::ip::tcp::socket socket;
    std::string buffer;
    std::shared_ptr<const Reply> reply;
  };
  void Accept() {
    auto conn = std::make_shared<Conn>(
        static_cast<boost::asio::io_context&>(acceptor_.get_executor().context()), reply_);
    acceptor_.async_accept(conn->socket, [this, conn](boost::system::error_code ec) {
      if (ec) return;
      ++connections_;
      Serve(conn);
      Accept();
    });
  }
  static void Serve(std::shared_ptr<Conn> conn) {
    boost::asio::async_read_until(conn->socket, boost::asio::dynamic_buffer(conn->buffer),
                                  "\r\n\r\n", [conn](boost::system::error_code ec, size_t n) {
                                    if (ec) return;
                                    conn->buffer.erase(0, n);
                                    Respond(conn);
                                  });
  }
  static void Respond(std::shared_ptr<Conn> conn) {
    boost::asio::async_write(conn->socket, boost::asio::buffer(conn->reply->response),
                             [conn](boost::system::error_code ec, size_t) {
                               if (ec) return;
                               if (conn->reply->close_after) {
                                 conn->socket.close();
                               } else {
                                 Serve(conn);
                               }
                             });
  }
  boost::asio::ip::tcp::acceptor acceptor_;
  const std::shared_ptr<const Reply> reply_;
  std::atomic<int> connections_{0};
};

TEST_F(HttpTest, ReusesIdleConnections) {
  CountingServer server(loop_.context(), /*close_after=*/false);
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/metrics";
  for (int i = 0; i < 3; ++i) {
    auto r = Fetch(req);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(HttpTest, RetriesOnceWhenAnIdleConnectionWasClosed) {
  CountingServer server(loop_.context(), /*close_after=*/true);
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/metrics";
  for (int i = 0; i < 3; ++i) {
    auto r = Fetch(req);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(server.connections(), 3);
}

// A body that is not all one byte, so that a piece lost or repeated shows.
std::string TextBody(size_t bytes) {
  std::string body;
  for (int i = 0; body.size() < bytes; ++i) body += fmt::format("metric_{} {}\n", i, i * 7);
  return body;
}

// Beast sizes each read from its buffer's free space: unless the client gives it room, a body
// arrives 512 bytes per system call. Counted over all of the test's sockets, the server's reads of
// the request too; on loopback the kernel hands over up to 64 KiB at a time.
TEST_F(HttpTest, BodiesArriveIntactInLargeReads) {
  std::string body = TextBody(1 << 20);
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t i = 0; i < body.size(); i += 2048) {  // Go's servers send chunks of about 2 KiB.
    std::string_view piece = std::string_view(body).substr(i, 2048);
    chunked += fmt::format("{:x}\r\n{}\r\n", piece.size(), piece);
  }
  chunked += "0\r\n\r\n";
  CountingServer sized(
      loop_.context(), /*close_after=*/false,
      fmt::format("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{}", body.size(), body));
  CountingServer chunks(loop_.context(), /*close_after=*/false, chunked);
  for (uint16_t port : {sized.port(), chunks.port()}) {
    SCOPED_TRACE(port == sized.port() ? "Content-Length" : "chunked");
    ClientRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/metrics";
    recvmsg_calls = 0;
    recvmsg_bytes = 0;
    auto r = Fetch(req);
    uint64_t calls = recvmsg_calls, bytes = recvmsg_bytes;
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->body.size(), body.size());
    EXPECT_TRUE(r->body == body);
    ASSERT_GT(calls, 0u);
    EXPECT_GT(bytes / calls, 8192u) << calls << " reads for " << bytes << " bytes";

    req.body_size_limit = body.size();
    r = Fetch(req);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->body == body);
    req.body_size_limit = body.size() - 1;
    r = Fetch(req);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kBodyTooLarge);
    EXPECT_EQ(Fetch(req).status().code(), Status::Code::kBodyTooLarge);  // Again, afresh.
  }
}

TEST(UrlTest, ParsesHttpUrls) {
  auto u = ParseUrl("https://[::1]:9443/metrics?x=1");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9443);
  EXPECT_EQ(u->target, "/metrics?x=1");
  EXPECT_EQ(ParseUrl("http://example:80")->target, "/");
  EXPECT_EQ(ParseUrl("http://h")->port, 80);
  EXPECT_FALSE(ParseUrl("ftp://h/").has_value());
  EXPECT_FALSE(ParseUrl("http://h:99999/").has_value());
  EXPECT_EQ(QueryEscape("a b/c"), "a%20b%2Fc");
}

}  // namespace
}  // namespace argus::http

// Takes the C library's place for this test binary (AddressSanitizer's interceptor is weak), so
// that tests can count the reads a response took.
extern "C" ssize_t recvmsg(int fd, struct msghdr* message, int flags) {
  auto n = static_cast<ssize_t>(syscall(SYS_recvmsg, fd, message, flags));
  argus::http::recvmsg_calls.fetch_add(1, std::memory_order_relaxed);
  if (n > 0) argus::http::recvmsg_bytes.fetch_add(n, std::memory_order_relaxed);
  return n;
}
