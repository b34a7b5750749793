#include "http/asio_timer_source.h"

#include <absl/synchronization/notification.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "base/periodic_task.h"
#include "http/event_loop.h"

namespace argus::http {
namespace {

// These wait for events on the loop, not for time: every timer that they wait for is due when
// armed, or a nanosecond later.
TEST(AsioTimerSourceTest, RunsDueCallbacksOnTheLoopAndNeverCancelledOnes) {
  EventLoop loop(2);
  loop.Start();
  ManualClock clock;
  AsioTimerSource timers(loop, clock);
  auto late = timers.NewTimer();
  std::atomic<int> late_runs = 0;
  late->Schedule(clock.Now() + std::chrono::hours(1), [&] { ++late_runs; });
  late->Cancel();
  auto replaced = timers.NewTimer();
  replaced->Schedule(clock.Now() + std::chrono::hours(1), [&] { ++late_runs; });

  auto timer = timers.NewTimer();
  absl::Notification ran;
  std::thread::id ran_on;
  timer->Schedule(clock.Now() - std::chrono::seconds(1), [&] {
    ran_on = std::this_thread::get_id();
    ran.Notify();
  });
  ran.WaitForNotification();
  EXPECT_NE(ran_on, std::this_thread::get_id());
  replaced.reset();
  EXPECT_EQ(late_runs, 0);
  loop.Stop();
}

TEST(AsioTimerSourceTest, APeriodicTaskRunsDueSlotsAndStops) {
  EventLoop loop(1);
  loop.Start();
  ManualClock clock;
  AsioTimerSource timers(loop, clock);
  absl::Notification second;
  std::atomic<int> runs = 0;
  // Each run moves the clock to a nanosecond before the next slot.
  PeriodicTask task(timers, {.interval = std::chrono::seconds(10)}, [&] {
    clock.Set(clock.Now() + std::chrono::seconds(10) - std::chrono::nanoseconds(1));
    if (++runs == 2) second.Notify();
  });
  task.Start();
  second.WaitForNotification();
  task.Stop();
  int after_stop = runs;
  EXPECT_GE(after_stop, 2);
  // Once Stop returned, nothing runs: a last event through the loop finds the count unchanged.
  absl::Notification drained;
  auto last = timers.NewTimer();
  last->Schedule(clock.Now(), [&] { drained.Notify(); });
  drained.WaitForNotification();
  EXPECT_EQ(runs, after_stop);
  loop.Stop();
}

}  // namespace
}  // namespace argus::http
