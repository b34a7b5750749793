#include "notify/delivery_backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace argus::notify {
namespace {

using namespace std::chrono_literals;

TEST(BackoffTest, DoublesUpToTheCapWithJitterOfAtMostHalf) {
  Backoff backoff({.initial = 1000ms, .max = 60s, .jitter_seed = 7});
  std::vector<std::chrono::milliseconds> caps = {1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s, 60s};
  for (size_t i = 0; i < caps.size(); ++i) {
    auto delay = backoff.Delay(static_cast<int>(i) + 1);
    EXPECT_LE(delay, caps[i]) << "attempt " << i + 1;
    EXPECT_GE(delay, caps[i] / 2) << "attempt " << i + 1;
  }
  EXPECT_LE(backoff.Delay(1000), 60s);
  EXPECT_GE(backoff.Delay(1000), 30s);
}

TEST(BackoffTest, TheSeedPinsTheJitter) {
  Backoff a({.initial = 1000ms, .max = 60s, .jitter_seed = 42});
  Backoff b({.initial = 1000ms, .max = 60s, .jitter_seed = 42});
  Backoff c({.initial = 1000ms, .max = 60s, .jitter_seed = 43});
  bool differs = false;
  for (int i = 1; i <= 10; ++i) {
    auto da = a.Delay(i);
    EXPECT_EQ(da, b.Delay(i));
    differs = differs || da != c.Delay(i);
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace argus::notify
