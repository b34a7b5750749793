#include "notify/delivery_queue.h"

#include <absl/time/time.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "notify/delivery_test_util.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using notify_test::MakeMessage;
using tsdb::wal::wal_test::LogCapture;
using Reply = FakeSlack::Reply;

class DeliveryQueueTest : public notify_test::DeliveryTest {
 protected:
  // How long until the armed retry of the only lane that waits.
  std::chrono::milliseconds NextRetryIn() const {
    auto due = timers_.next_due();
    EXPECT_TRUE(due.has_value());
    return due ? std::chrono::duration_cast<std::chrono::milliseconds>(*due - clock_.Now()) : 0ms;
  }
};

TEST_F(DeliveryQueueTest, DeliversInOrderAsPosted) {
  OpenQueue();
  for (int i = 1; i <= 3; ++i) Enqueue(MakeMessage("team", "g", i, i));
  EXPECT_EQ(Received(), (std::vector<std::string>{"body 1", "body 2", "body 3"}));
  for (const auto& request : slack_->requests()) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.path, "/services/T0000/B0000/XXXXXXXX");
    EXPECT_EQ(request.headers.at("content-type"), "application/json");
    EXPECT_EQ(request.headers.at("authorization"), notify_test::kAuthorization);
  }
  EXPECT_EQ(queue_->pending(), 0u);
  EXPECT_EQ(queue_->metrics().notifications("slack"), 3);
  EXPECT_EQ(queue_->metrics().requests("slack"), 3);
  EXPECT_EQ(queue_->metrics().requests_failed("slack"), 0);
  EXPECT_EQ(timers_.armed(), 0u);
}

TEST_F(DeliveryQueueTest, PermanentFailuresAreLoggedCountedAndNotRetried) {
  struct Case {
    std::string name;
    Reply reply;
    FailureReason reason;
    std::string logged;
  };
  std::vector<Case> cases = {
      {"channel_not_found", Reply::ChannelNotFound(), FailureReason::kClientError,
       "status 404: channel_not_found"},
      {"invalid_token", Reply::InvalidToken(), FailureReason::kClientError,
       "status 403: invalid_token"},
      {"no_service", Reply::NoService(), FailureReason::kClientError, "status 404: no_service"},
      {"HTML with 200", Reply::Html(), FailureReason::kOther, "an HTML page"},
      {"chat.postMessage error", Reply::PostMessageError("not_in_channel"), FailureReason::kOther,
       "status 200: not_in_channel"},
      {"redirect", Reply::Redirect("http://127.0.0.1:1/elsewhere"), FailureReason::kOther,
       "status 302: a redirect that was not followed"},
  };
  follow_redirects_ = false;
  OpenQueue();
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    LogCapture log;
    double failed_before = queue_->metrics().notifications_failed("slack", c.reason);
    slack_->Script({c.reply});
    ++n;
    Enqueue(MakeMessage("team", "g", n, n));
    EXPECT_EQ(slack_->request_count(), static_cast<size_t>(n));
    EXPECT_EQ(queue_->pending(), 0u);
    EXPECT_EQ(timers_.armed(), 0u);
    EXPECT_EQ(queue_->metrics().notifications_failed("slack", c.reason), failed_before + 1);
    EXPECT_NE(log.text().find(c.logged), std::string::npos) << log.text();
    EXPECT_NE(log.text().find("receiver=team integration=slack integration_index=0"),
              std::string::npos)
        << log.text();
    EXPECT_EQ(log.text().find(slack_->url()), std::string::npos) << log.text();
    EXPECT_EQ(log.text().find("xoxb"), std::string::npos) << log.text();
  }
  // The lane goes on after each failure.
  Enqueue(MakeMessage("team", "g", 100, 100));
  EXPECT_EQ(Received().back(), "body 100");
  EXPECT_EQ(queue_->pending(), 0u);
}

TEST_F(DeliveryQueueTest, TransientFailuresAreRetriedUntilDelivered) {
  struct Case {
    std::string name;
    Reply reply;
    std::chrono::milliseconds min_wait, max_wait;  // Before the retry.
    std::string logged;
  };
  std::vector<Case> cases = {
      {"500", Reply::ServerError(), 500ms, 1s, "status 500: rollup_error"},
      {"429 with Retry-After", Reply::RateLimited("3"), 3s, 3s, "status 429"},
      {"hang", Reply::Hang(), 500ms, 1s, "timed out after 300ms"},
  };
  timeout_ = 300ms;  // On the manual clock: the hanging request times out when it moves.
  OpenQueue();
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    LogCapture log;
    size_t before = slack_->request_count();
    slack_->Script({c.reply});
    ++n;
    if (c.reply.hang) {
      ASSERT_TRUE(queue_->Enqueue(MakeMessage("team", "g", n, n)).ok());
      ASSERT_TRUE(slack_->WaitForRequests(before + 1, absl::Seconds(30)));
      timers_.Advance(timeout_ - 1ms);
      EXPECT_FALSE(queue_->WaitUntilNoRequestInFlight(absl::ZeroDuration())) << "timed out early";
      timers_.Advance(1ms);
      Settle();
    } else {
      Enqueue(MakeMessage("team", "g", n, n));
    }
    EXPECT_EQ(slack_->request_count(), before + 1);
    EXPECT_EQ(queue_->pending(), 1u);
    std::chrono::milliseconds wait = NextRetryIn();
    EXPECT_GE(wait, c.min_wait);
    EXPECT_LE(wait, c.max_wait);
    EXPECT_NE(log.text().find(c.logged), std::string::npos) << log.text();
    EXPECT_EQ(log.text().find(slack_->url()), std::string::npos) << log.text();
    slack_->ReleaseHung();
    RunFor(wait - 1ms);
    EXPECT_EQ(slack_->request_count(), before + 1) << "retried early";
    RunFor(1ms);
    ASSERT_EQ(slack_->request_count(), before + 2);
    EXPECT_EQ(Received().back(), "body " + std::to_string(n));
    EXPECT_EQ(queue_->pending(), 0u);
  }
  EXPECT_EQ(queue_->metrics().notifications("slack"), 3);
  EXPECT_EQ(queue_->metrics().requests("slack"), 6);
  EXPECT_EQ(queue_->metrics().requests_failed("slack"), 3);
  EXPECT_EQ(queue_->metrics().notifications_failed("slack", FailureReason::kServerError), 0);
}

TEST_F(DeliveryQueueTest, RetryAfterAsAnHttpDate) {
  OpenQueue();
  std::string in_90s = absl::FormatTime("%a, %d %b %Y %H:%M:%S GMT",
                                        absl::FromChrono(clock_.Now() + 90s), absl::UTCTimeZone());
  slack_->Script({Reply::RateLimited(in_90s)});
  Enqueue(MakeMessage("team", "g", 1, 1));
  EXPECT_EQ(NextRetryIn(), 90s);
}

TEST_F(DeliveryQueueTest, ARetryAfterTooLongIsCut) {
  DeliveryOptions options = Options();
  options.max_retry_after = 10min;
  OpenQueue(options);
  slack_->Script({Reply::RateLimited("86400")});
  Enqueue(MakeMessage("team", "g", 1, 1));
  EXPECT_EQ(NextRetryIn(), 10min);
}

TEST_F(DeliveryQueueTest, BackOffGrowsExponentiallyUpToItsCap) {
  slack_->SetDefault(Reply::ServerError());
  OpenQueue();
  Enqueue(MakeMessage("team", "g", 1, 1));
  std::vector<std::chrono::milliseconds> waits;
  for (int i = 0; i < 12; ++i) {
    waits.push_back(NextRetryIn());
    RunFor(waits.back());
  }
  for (size_t i = 0; i < waits.size(); ++i) {
    auto cap = std::min<std::chrono::milliseconds>(1000ms * (1 << i), 5min);
    EXPECT_LE(waits[i], cap) << i;
    EXPECT_GE(waits[i], cap / 2) << i;
  }
  EXPECT_EQ(slack_->request_count(), 13u);
}

TEST_F(DeliveryQueueTest, OneLaneWaitsForItsFirstMessageAndOthersGoOn) {
  FakeSlack* ops = StartSlack();
  ASSERT_NE(ops, nullptr);
  urls_["ops"] = ops->url();
  slack_->Script({Reply::ServerError(), Reply::RateLimited("2"), Reply::ServerError()});
  OpenQueue();
  for (int i = 1; i <= 3; ++i) Enqueue(MakeMessage("team", "g", i, i));
  for (int i = 11; i <= 12; ++i) Enqueue(MakeMessage("ops", "g", i, i));
  // The ops lane is not held back by the team lane's retries.
  EXPECT_EQ(Received(*ops), (std::vector<std::string>{"body 11", "body 12"}));
  EXPECT_EQ(Received(), std::vector<std::string>{"body 1"});
  RunFor(1h);
  EXPECT_EQ(Received(),
            (std::vector<std::string>{"body 1", "body 1", "body 1", "body 1", "body 2", "body 3"}));
  EXPECT_EQ(queue_->pending(), 0u);
}

TEST_F(DeliveryQueueTest, SlackDownForHoursThenBackDeliversEachOnceInOrder) {
  slack_->SetDefault(Reply::ServerError());
  OpenQueue();
  Enqueue(MakeMessage("team", "a", 1, 1));
  Enqueue(MakeMessage("team", "b", 2, 2));
  RunFor(1h);
  // The same state of group a again (a repeat made during the outage), then a new one.
  Message repeat = MakeMessage("team", "a", 1, 3);
  repeat.created_ms = clock_.NowMillis();
  Enqueue(repeat);
  Enqueue(MakeMessage("team", "a", 4, 4));
  RunFor(3h);
  EXPECT_EQ(queue_->pending(), 4u);
  EXPECT_EQ(queue_->metrics().queue_length(), 4);
  size_t attempts_while_down = slack_->request_count();
  // Capped back-off: every 2.5 to 5 minutes after the first few, not thousands of times.
  EXPECT_GT(attempts_while_down, 4 * 60 / 5u);
  EXPECT_LT(attempts_while_down, 4 * 60 / 2.5 + 10);
  for (const std::string& body : Received()) EXPECT_EQ(body, "body 1");

  slack_->SetDefault(Reply::Ok());
  RunFor(10min);
  std::vector<std::string> received = Received();
  std::vector<std::string> after(received.begin() + attempts_while_down, received.end());
  // Each once, in order; the repeat of a state that was then delivered is not sent.
  EXPECT_EQ(after, (std::vector<std::string>{"body 1", "body 2", "body 4"}));
  EXPECT_EQ(queue_->pending(), 0u);
  EXPECT_EQ(queue_->metrics().queue_length(), 0);
  auto last = queue_->LastDelivery({"team", "slack", 0, "a"});
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->group_state_hash, 4u);
  RunFor(1h);
  EXPECT_EQ(slack_->request_count(), received.size());
}

TEST_F(DeliveryQueueTest, AStateDeliveredAfterAMessageWasMadeIsNotSentAgain) {
  slack_->Script({Reply::ServerError()});
  OpenQueue();
  Enqueue(MakeMessage("team", "g", 7, 1));
  Enqueue(MakeMessage("team", "g", 7, 2));  // Queued behind the first: the same state.
  RunFor(1min);
  EXPECT_EQ(Received(), (std::vector<std::string>{"body 1", "body 1"}));
  // The same state made after the delivery is a repeat the dispatcher asked for: it is sent.
  Message repeat = MakeMessage("team", "g", 7, 3);
  repeat.created_ms = clock_.NowMillis() + 1;
  Enqueue(repeat);
  EXPECT_EQ(Received().back(), "body 3");
  EXPECT_EQ(queue_->metrics().notifications("slack"), 2);
}

TEST_F(DeliveryQueueTest, AReceiverNoLongerConfiguredFailsForGood) {
  OpenQueue();
  Enqueue(MakeMessage("gone", "g", 1, 1));
  EXPECT_EQ(slack_->request_count(), 0u);
  EXPECT_EQ(queue_->pending(), 0u);
  EXPECT_EQ(queue_->metrics().notifications_failed("slack", FailureReason::kOther), 1);
}

TEST_F(DeliveryQueueTest, AnEndpointThatCannotBeReadNowIsRetried) {
  resolver_fails_ = true;
  OpenQueue();
  Enqueue(MakeMessage("team", "g", 1, 1));
  EXPECT_EQ(slack_->request_count(), 0u);
  EXPECT_EQ(queue_->pending(), 1u);
  EXPECT_EQ(timers_.armed(), 1u);
  resolver_fails_ = false;
  RunFor(1min);
  EXPECT_EQ(Received(), std::vector<std::string>{"body 1"});
  EXPECT_EQ(queue_->metrics().notifications("slack"), 1);
}

TEST_F(DeliveryQueueTest, MessagesThatNameNoLaneAreRefused) {
  OpenQueue();
  Message m = MakeMessage("team", "g", 1, 1);
  m.integration_index = -1;
  EXPECT_EQ(queue_->Enqueue(m).code(), Status::Code::kInvalidInput);
  m = MakeMessage("", "g", 1, 1);
  EXPECT_EQ(queue_->Enqueue(m).code(), Status::Code::kInvalidInput);
  m = MakeMessage("team", "g", 1, 1);
  m.integration.clear();
  EXPECT_EQ(queue_->Enqueue(m).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(queue_->pending(), 0u);
}

TEST_F(DeliveryQueueTest, AFullQueueRefusesMessages) {
  slack_->SetDefault(Reply::ServerError());
  DeliveryOptions options = Options();
  options.max_pending = 2;
  OpenQueue(options);
  Enqueue(MakeMessage("team", "g", 1, 1));
  Enqueue(MakeMessage("team", "g", 2, 2));
  Status refused = queue_->Enqueue(MakeMessage("team", "g", 3, 3));
  EXPECT_EQ(refused.code(), Status::Code::kLimitExceeded);
  EXPECT_EQ(queue_->pending(), 2u);
  EXPECT_EQ(queue_->metrics().notifications_failed("slack", FailureReason::kOther), 1);
}

TEST_F(DeliveryQueueTest, MetricsUnderAlertmanagersNames) {
  MetricsRegistry registry;
  DeliveryOptions options = Options();
  options.metrics = &registry;
  slack_->SetDefault(Reply::ServerError());
  OpenQueue(options);
  Enqueue(MakeMessage("team", "g", 1, 0));
  RunFor(1h);
  std::string text;
  registry.Render(&text);
  for (const char* line : {
           "alertmanager_notifications_total{integration=\"slack\"} 1\n",
           "alertmanager_notification_requests_total{integration=\"slack\"} ",
           "alertmanager_notification_requests_failed_total{integration=\"slack\"} ",
           "# TYPE alertmanager_notification_latency_seconds histogram\n",
           // The manual clock stands still during a request.
           "alertmanager_notification_latency_seconds_bucket{integration=\"slack\",le=\"1\"} ",
           "alertmanager_notification_latency_seconds_sum{integration=\"slack\"} 0\n",
           "argus_notify_queue_length 1\n",
           "argus_notify_queue_oldest_age_seconds 3600\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  EXPECT_EQ(text.find("127.0.0.1"), std::string::npos);
  slack_->SetDefault(Reply::ChannelNotFound());
  RunFor(1h);
  text.clear();
  registry.Render(&text);
  EXPECT_NE(text.find("alertmanager_notifications_failed_total{integration=\"slack\",reason="
                      "\"clientError\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("argus_notify_queue_oldest_age_seconds 0\n"), std::string::npos) << text;
  queue_.reset();  // Before the registry it counts in.
}

}  // namespace
}  // namespace argus::notify
