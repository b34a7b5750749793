#pragma once

// Helpers for the delivery queue's tests: messages, and a fixture with a fake Slack server, a
// manual clock and a queue in a scratch directory.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/manual_timer_source.h"
#include "http/client.h"
#include "http/event_loop.h"
#include "notify/delivery_queue.h"
#include "notify/fake_slack_test_util.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::notify::notify_test {

inline constexpr int64_t kStartMs = 1'700'000'000'000;
// What the fixture's endpoints authorize with: a secret, like their URLs.
inline constexpr const char* kAuthorization = "Bearer xoxb-secret-token";

// Message `n` of a test: body "body <n>", made at kStartMs + n.
inline Message MakeMessage(std::string receiver, std::string group_key, uint64_t hash, int n) {
  Message m;
  m.receiver = std::move(receiver);
  m.integration = "slack";
  m.group_key = std::move(group_key);
  m.group_state_hash = hash;
  m.body = "body " + std::to_string(n);
  m.created_ms = kStartMs + n;
  return m;
}

class DeliveryTest : public ::testing::Test {
 protected:
  DeliveryTest() : clock_(Clock::time_point(std::chrono::milliseconds(kStartMs))) {
    loop_.Start();
    slack_ = StartSlack();
    urls_["team"] = slack_->url();
  }
  ~DeliveryTest() override {
    queue_.reset();
    for (auto& slack : servers_) slack->Shutdown();
    loop_.Stop();
  }

  // Another fake Slack server on the fixture's loop, stopped with it and destroyed after it.
  FakeSlack* StartSlack() {
    auto slack = FakeSlack::Start(loop_);
    EXPECT_TRUE(slack.ok()) << slack.status().message();
    if (!slack.ok()) return nullptr;
    servers_.push_back(std::move(*slack));
    return servers_.back().get();
  }

  DeliveryOptions Options() {
    DeliveryOptions options;
    options.dir = tmp_.path() / "notify" / "queue";
    options.backoff = {
        .initial = std::chrono::seconds(1), .max = std::chrono::minutes(5), .jitter_seed = 1};
    return options;
  }

  // Opens the queue in the scratch directory and starts it.
  void OpenQueue(DeliveryOptions options) {
    queue_.reset();
    auto queue = DeliveryQueue::Open(
        std::move(options), timers_, client_,
        [this](std::string_view receiver, std::string_view, int) -> Result<Endpoint> {
          if (resolver_fails_) {
            return Status::Error("cannot read the URL file", Status::Code::kIOError);
          }
          auto it = urls_.find(std::string(receiver));
          if (it == urls_.end()) {
            return Status::Error("no such receiver", Status::Code::kNotFound);
          }
          Endpoint endpoint;
          endpoint.url = it->second;
          endpoint.headers["Authorization"] = kAuthorization;
          endpoint.timeout = timeout_;
          endpoint.follow_redirects = follow_redirects_;
          return endpoint;
        });
    ASSERT_TRUE(queue.ok()) << queue.status().message();
    queue_ = std::move(*queue);
    queue_->Start();
    Settle();
  }
  void OpenQueue() { OpenQueue(Options()); }

  void Enqueue(Message m) {
    ASSERT_TRUE(queue_->Enqueue(std::move(m)).ok());
    Settle();
  }

  // Waits for the requests in flight (real time, bounded by their timeouts) to end.
  void Settle() { ASSERT_TRUE(queue_->WaitUntilNoRequestInFlight(absl::Seconds(60))); }

  // Lets `d` pass on the manual clock, one armed retry at a time, waiting for each request.
  void RunFor(std::chrono::milliseconds d) {
    Clock::time_point end = clock_.Now() + d;
    while (auto due = timers_.next_due()) {
      if (*due > end) break;
      timers_.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(
          std::max(*due - clock_.Now(), Clock::time_point::duration(0))));
      Settle();
    }
    timers_.Advance(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(end - clock_.Now(), Clock::time_point::duration(0))));
    Settle();
  }

  // The bodies Slack received, in order.
  std::vector<std::string> Received(const FakeSlack& slack) const {
    std::vector<std::string> bodies;
    for (const auto& r : slack.requests()) bodies.push_back(r.body);
    return bodies;
  }
  std::vector<std::string> Received() const { return Received(*slack_); }

  tsdb::wal::wal_test::ScratchDir tmp_;
  ManualClock clock_;
  ManualTimerSource timers_{clock_};
  http::EventLoop loop_{2};
  http::Client client_{loop_};
  std::vector<std::unique_ptr<FakeSlack>> servers_;  // Destroyed after the loop stopped.
  FakeSlack* slack_ = nullptr;                       // The first of them.
  std::map<std::string, std::string> urls_;          // Receiver -> URL.
  std::chrono::milliseconds timeout_{10'000};
  bool follow_redirects_ = true;
  std::atomic<bool> resolver_fails_{false};  // The resolver fails with kIOError.
  std::unique_ptr<DeliveryQueue> queue_;
};

}  // namespace argus::notify::notify_test
