#include "events/bus.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace argus::events {
namespace {

TEST(BusTest, EverySubscriberGetsEachEventInSubscriptionOrder) {
  Bus bus;
  std::vector<std::string> seen;
  auto first = bus.Subscribe([&](const Event& e) { seen.push_back("first " + e.kind); });
  auto second = bus.Subscribe([&](const Event& e) { seen.push_back("second " + e.kind); });
  bus.Publish({1, "deploy", {}, "", ""});
  bus.Publish({2, "restart", {}, "", ""});
  EXPECT_EQ(seen, (std::vector<std::string>{"first deploy", "second deploy", "first restart",
                                            "second restart"}));
}

TEST(BusTest, AnEndedSubscriptionGetsNothingMore) {
  Bus bus;
  int calls = 0;
  {
    auto subscription = bus.Subscribe([&](const Event&) { ++calls; });
    bus.Publish({1, "deploy", {}, "", ""});
  }
  bus.Publish({2, "deploy", {}, "", ""});
  EXPECT_EQ(calls, 1);

  auto cancelled = bus.Subscribe([&](const Event&) { ++calls; });
  cancelled.Cancel();
  cancelled.Cancel();
  bus.Publish({3, "deploy", {}, "", ""});
  EXPECT_EQ(calls, 1);
}

TEST(BusTest, AMovedSubscriptionStaysSubscribedOnce) {
  Bus bus;
  int calls = 0;
  Subscription kept;
  {
    auto subscription = bus.Subscribe([&](const Event&) { ++calls; });
    kept = std::move(subscription);
  }
  bus.Publish({1, "deploy", {}, "", ""});
  EXPECT_EQ(calls, 1);
  kept = Subscription();
  bus.Publish({2, "deploy", {}, "", ""});
  EXPECT_EQ(calls, 1);
}

// Publishes from several threads while subscriptions come and go; the sanitizers and the
// thread-safety analysis judge.
TEST(BusTest, PublishesRunConcurrentlyWithSubscriptionsEnding) {
  Bus bus;
  std::atomic<int> calls{0};
  auto steady = bus.Subscribe([&](const Event&) { ++calls; });
  std::vector<std::jthread> publishers;
  for (int t = 0; t < 4; ++t) {
    publishers.emplace_back([&bus] {
      for (int i = 0; i < 200; ++i) bus.Publish({i, "deploy", {}, "", ""});
    });
  }
  for (int i = 0; i < 50; ++i) {
    auto passing = bus.Subscribe([&](const Event&) {});
  }
  publishers.clear();
  EXPECT_EQ(calls.load(), 800);
}

}  // namespace
}  // namespace argus::events
