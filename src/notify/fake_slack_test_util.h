#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/server.h"

namespace argus::notify {

// A Slack incoming-webhook endpoint for tests: an HTTP server on a free loopback port that
// records every request and answers each from a script that the test writes — "ok", a 500, a 429
// with Retry-After, Slack's 4xx errors, an HTML page, a redirect, or no answer at all (it hangs
// until ReleaseHung or the server's destruction). Usable by any test that sends to Slack.
//
// Thread-safe. `loop` must be running and outlive the server.
class FakeSlack {
 public:
  struct Reply {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body = "ok";
    std::map<std::string, std::string> headers;
    bool hang = false;  // Never answers (until released).

    static Reply Ok() { return {}; }
    static Reply ServerError() { return {500, "text/plain", "rollup_error", {}, false}; }
    // 429 with `Retry-After: retry_after` (delay-seconds or an HTTP-date).
    static Reply RateLimited(std::string retry_after) {
      return {429, "text/plain", "rate_limited", {{"Retry-After", std::move(retry_after)}}, false};
    }
    static Reply ChannelNotFound() { return {404, "text/plain", "channel_not_found", {}, false}; }
    static Reply InvalidToken() { return {403, "text/plain", "invalid_token", {}, false}; }
    static Reply NoService() { return {404, "text/plain", "no_service", {}, false}; }
    // chat.postMessage's refusal: 200 with {"ok":false,"error":...}.
    static Reply PostMessageError(std::string error) {
      return {200, "application/json", R"({"ok":false,"error":")" + error + R"("})", {}, false};
    }
    // A login page or a proxy's error page, with status 200.
    static Reply Html() {
      return {200,
              "text/html; charset=utf-8",
              "<!DOCTYPE html><html><body>Sign in</body></html>",
              {},
              false};
    }
    static Reply Redirect(std::string location) {
      return {302, "text/plain", "", {{"Location", std::move(location)}}, false};
    }
    static Reply Hang() { return {0, "", "", {}, true}; }
  };

  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // Names in lower case.
    std::string body;
    bool json = false;  // The body parses as JSON.
  };

  // Listens on 127.0.0.1 on a free port. kIOError when it cannot.
  static Result<std::unique_ptr<FakeSlack>> Start(http::EventLoop& loop);
  // Shutdown().
  ~FakeSlack();
  // Releases hung requests and stops the server. Call it before the loop stops, and destroy the
  // server after, as with any http::Server: a closing connection may still call into it from
  // the loop.
  void Shutdown();

  // The webhook URL: any path is answered, this one looks like Slack's.
  std::string url(std::string_view path = "/services/T0000/B0000/XXXXXXXX") const;

  // Adds replies for the next requests, in order. When the script is used up, requests get
  // the default reply (Ok() unless set).
  void Script(std::vector<Reply> replies);
  void SetDefault(Reply reply);
  // Answers every hung request (with the default reply) and stops hanging new ones from the
  // script until a Hang() reply comes up again.
  void ReleaseHung();

  std::vector<Request> requests() const;
  size_t request_count() const;
  // Blocks until at least `n` requests arrived or `timeout` passed; false then.
  bool WaitForRequests(size_t n, absl::Duration timeout) const;

 private:
  FakeSlack() = default;
  void Handle(const http::Request& request, http::Response* response);

  std::unique_ptr<http::Server> server_;
  mutable absl::Mutex mu_;
  std::deque<Reply> script_ ABSL_GUARDED_BY(mu_);
  Reply default_ ABSL_GUARDED_BY(mu_);
  std::vector<Request> requests_ ABSL_GUARDED_BY(mu_);
  uint64_t releases_ ABSL_GUARDED_BY(mu_) = 0;  // How many times ReleaseHung was called.
};

}  // namespace argus::notify
