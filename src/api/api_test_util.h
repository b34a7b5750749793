#pragma once

// A fixture for the endpoint tests: the API's routes over a memory storage and a manual clock,
// called through the router as the server would, without sockets.

#include <gtest/gtest.h>

#include "api/api.h"
#include "http/url.h"
#include "storage/memory_storage.h"

namespace argus::api {

class ApiTest : public ::testing::Test {
 protected:
  ApiTest() : storage_(storage::NewMemoryStorage()) {
    sources_.storage = storage_.get();
    sources_.clock = &clock_;
  }

  // GET `target` ("/api/v1/labels?match[]=up"); routes are registered on the first request, so
  // tests set sources_ first.
  http::Response Get(const std::string& target) { return Call("GET", target, "", {}, true); }
  // GET with request headers, named in lower case as the server passes them.
  http::Response GetWithHeaders(const std::string& target,
                                std::map<std::string, std::string> headers) {
    return Call("GET", target, "", std::move(headers), true);
  }
  // POST with a form-encoded body.
  http::Response Post(const std::string& path, const std::string& form) {
    return Call("POST", path, form, {}, true);
  }
  // POST with a body that is not a form (JSON): the handler finds it in the request's body only.
  http::Response PostBody(const std::string& path, const std::string& body) {
    return Call("POST", path, body, {{"content-type", "application/json"}}, false);
  }

  void Append(const model::Labels& labels, int64_t t, double v) {
    auto app = storage_->NewAppender();
    ASSERT_TRUE(app->Append(0, labels, t, v).ok());
    ASSERT_TRUE(app->Commit().ok());
  }

  int64_t NowMs() const { return clock_.NowMillis(); }

  std::unique_ptr<storage::Storage> storage_;
  ManualClock clock_;
  Sources sources_;

 private:
  http::Response Call(const std::string& method, const std::string& target, const std::string& body,
                      std::map<std::string, std::string> headers, bool form) {
    if (!router_) {
      router_.emplace();
      RegisterRoutes(sources_, &*router_);
    }
    http::Request req;
    req.method = method;
    req.headers = std::move(headers);
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) EXPECT_TRUE(http::ParseQuery(target.substr(q + 1), &req.params));
    req.body = body;
    if (form) EXPECT_TRUE(http::ParseQuery(body, &req.params));
    http::Response r;
    bool allowed = true;
    const http::Handler* h = router_->Find(method, req.path, &allowed);
    if (h == nullptr) {
      r.status = allowed ? 404 : 405;
      return r;
    }
    (*h)(req, &r);
    return r;
  }

  std::optional<http::Router> router_;
};

// The body that an error response has.
inline std::string ErrorBody(std::string_view type, std::string_view message) {
  return std::string(R"({"status":"error","errorType":")") + std::string(type) + R"(","error":")" +
         std::string(message) + "\"}";
}

}  // namespace argus::api
