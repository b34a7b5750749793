#include "notify/fake_slack_test_util.h"

#include <simdjson.h>

#include <utility>

namespace argus::notify {

Result<std::unique_ptr<FakeSlack>> FakeSlack::Start(http::EventLoop& loop) {
  std::unique_ptr<FakeSlack> slack(new FakeSlack());
  http::Router router;
  for (const char* method : {"POST", "GET", "PUT"}) {
    router.Handle(method, "/*",
                  [s = slack.get()](const http::Request& request, http::Response* response) {
                    s->Handle(request, response);
                  });
  }
  http::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.handler_threads = 8;  // Hung requests each hold one.
  ARGUS_ASSIGN_OR_RETURN(slack->server_, http::Server::Start(loop, options, std::move(router)));
  return slack;
}

FakeSlack::~FakeSlack() { Shutdown(); }

void FakeSlack::Shutdown() {
  ReleaseHung();
  if (server_ != nullptr) server_->Shutdown();
}

std::string FakeSlack::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
}

void FakeSlack::Script(std::vector<Reply> replies) {
  absl::MutexLock lock(&mu_);
  for (Reply& reply : replies) script_.push_back(std::move(reply));
}

void FakeSlack::SetDefault(Reply reply) {
  absl::MutexLock lock(&mu_);
  default_ = std::move(reply);
}

void FakeSlack::ReleaseHung() {
  absl::MutexLock lock(&mu_);
  ++releases_;
}

std::vector<FakeSlack::Request> FakeSlack::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

size_t FakeSlack::request_count() const {
  absl::MutexLock lock(&mu_);
  return requests_.size();
}

bool FakeSlack::WaitForRequests(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto arrived = [this, n]() ABSL_NO_THREAD_SAFETY_ANALYSIS { return requests_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&arrived), timeout);
}

void FakeSlack::Handle(const http::Request& request, http::Response* response) {
  simdjson::dom::parser parser;
  simdjson::dom::element ignored;
  bool json = parser.parse(request.body).get(ignored) == simdjson::SUCCESS;
  absl::MutexLock lock(&mu_);
  requests_.push_back({request.method, request.path, request.headers, request.body, json});
  Reply reply = default_;
  if (!script_.empty()) {
    reply = std::move(script_.front());
    script_.pop_front();
  }
  if (reply.hang) {
    uint64_t releases = releases_;
    auto released = [this, releases]()
                        ABSL_NO_THREAD_SAFETY_ANALYSIS { return releases_ != releases; };
    mu_.Await(absl::Condition(&released));
    reply = default_;
  }
  response->status = reply.status;
  response->content_type = reply.content_type;
  response->headers = reply.headers;
  response->body = reply.body;
}

}  // namespace argus::notify
