#include "base/periodic_task.h"

#include <absl/synchronization/notification.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/manual_timer_source.h"

namespace argus {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

int64_t Millis(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

TEST(ManualTimerSourceTest, FiresDueTimersInTimeOrderAtTheirTimes) {
  ManualClock clock;
  ManualTimerSource timers(clock);
  const Clock::time_point start = clock.Now();
  std::vector<std::string> fired;
  auto a = timers.NewTimer();
  auto b = timers.NewTimer();
  auto c = timers.NewTimer();
  auto at = [&](const char* name) {
    return
        [&, name] { fired.push_back(name + std::to_string(Millis(clock.Now()) - Millis(start))); };
  };
  a->Schedule(start + seconds(3), at("a"));
  b->Schedule(start + seconds(1), at("b"));
  c->Schedule(start + seconds(1), at("c"));  // Ties fire in the order they were armed.
  EXPECT_EQ(timers.armed(), 3u);
  EXPECT_EQ(timers.next_due(), start + seconds(1));
  timers.Advance(seconds(2));
  EXPECT_EQ(fired, (std::vector<std::string>{"b1000", "c1000"}));
  EXPECT_EQ(clock.Now(), start + seconds(2));
  timers.Advance(seconds(5));
  EXPECT_EQ(fired, (std::vector<std::string>{"b1000", "c1000", "a3000"}));
  EXPECT_EQ(clock.Now(), start + seconds(7));
  EXPECT_EQ(timers.armed(), 0u);
  EXPECT_EQ(timers.next_due(), std::nullopt);
}

TEST(ManualTimerSourceTest, ArmingAgainReplacesAndCancelDisarms) {
  ManualClock clock;
  ManualTimerSource timers(clock);
  int first = 0, second = 0;
  auto t = timers.NewTimer();
  t->Schedule(clock.Now() + seconds(1), [&] { ++first; });
  t->Schedule(clock.Now() + seconds(2), [&] { ++second; });
  timers.Advance(seconds(3));
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);

  t->Schedule(clock.Now(), [&] { ++first; });  // Due now, yet not run inside Schedule.
  EXPECT_EQ(first, 0);
  t->Cancel();
  timers.RunDue();
  EXPECT_EQ(first, 0);

  // A callback that arms its timer again, within the stretch of time advanced, fires again.
  std::function<void()> again = [&] {
    if (++first < 3) t->Schedule(clock.Now() + seconds(1), again);
  };
  t->Schedule(clock.Now(), again);
  timers.Advance(seconds(10));
  EXPECT_EQ(first, 3);

  // Destroying a timer disarms it.
  t->Schedule(clock.Now(), [&] { ++first; });
  t.reset();
  timers.RunDue();
  EXPECT_EQ(first, 3);
}

class PeriodicTaskTest : public ::testing::Test {
 protected:
  PeriodicTaskTest() : timers_(clock_) {}

  // A task that records the time of each run.
  std::unique_ptr<PeriodicTask> Task(PeriodicSchedule schedule,
                                     std::function<void()> also = nullptr) {
    return std::make_unique<PeriodicTask>(timers_, schedule, [this, also] {
      runs_.push_back(clock_.NowMillis());
      if (also) also();
    });
  }

  ManualClock clock_{Clock::time_point(milliseconds(1'700'000'001'234))};
  ManualTimerSource timers_;
  std::vector<int64_t> runs_;
};

TEST_F(PeriodicTaskTest, WithoutAnOffsetTheFirstRunIsAtStart) {
  const int64_t start = clock_.NowMillis();
  auto task = Task({.interval = seconds(10)});
  task->Start();
  EXPECT_TRUE(runs_.empty());  // Not inside Start.
  timers_.RunDue();
  EXPECT_EQ(runs_, std::vector<int64_t>{start});
  timers_.Advance(milliseconds(9'999));
  EXPECT_EQ(runs_.size(), 1u);
  timers_.Advance(milliseconds(1));
  EXPECT_EQ(runs_, (std::vector<int64_t>{start, start + 10'000}));
  timers_.Advance(seconds(30));  // Exactly one run per interval that passes.
  EXPECT_EQ(runs_, (std::vector<int64_t>{start, start + 10'000, start + 20'000, start + 30'000,
                                         start + 40'000}));
}

TEST_F(PeriodicTaskTest, RunsAtItsOffsetWithinTheInterval) {
  auto task = Task({.interval = seconds(15), .offset = milliseconds(4'000)});
  task->Start();
  timers_.Advance(seconds(45));
  // The clock starts 6'234 ms into a 15 s interval (counted from the epoch), so the first slot
  // 4 s into one is 12'766 ms later.
  ASSERT_EQ(clock_.NowMillis() - 45'000, 1'700'000'001'234);
  ASSERT_EQ(runs_.size(), 3u);
  EXPECT_EQ(runs_[0], 1'700'000'014'000);
  EXPECT_EQ(runs_[0] % 15'000, 4'000);
  EXPECT_EQ(runs_[1], runs_[0] + 15'000);
  EXPECT_EQ(runs_[2], runs_[0] + 30'000);
}

TEST_F(PeriodicTaskTest, AnOffsetOfAWholeIntervalOrMoreWrapsAround) {
  auto task = Task({.interval = seconds(15), .offset = milliseconds(15'000 * 7 + 4'000)});
  task->Start();
  timers_.Advance(seconds(15));
  EXPECT_EQ(runs_, std::vector<int64_t>{1'700'000'014'000});
}

TEST_F(PeriodicTaskTest, AnInitialDelayPutsOffTheFirstSlot) {
  const int64_t start = clock_.NowMillis();
  auto plain = Task({.interval = seconds(10), .initial_delay = seconds(25)});
  plain->Start();
  timers_.Advance(seconds(40));
  EXPECT_EQ(runs_, (std::vector<int64_t>{start + 25'000, start + 35'000}));
  plain->Stop();

  // With an offset, the first slot on the grid at or after the delay.
  runs_.clear();
  const int64_t now = clock_.NowMillis();  // 1'700'000'041'234: 1'234 ms into 10 s.
  auto offset = Task({.interval = seconds(10), .offset = seconds(2), .initial_delay = seconds(5)});
  offset->Start();
  timers_.Advance(seconds(21));
  EXPECT_EQ(runs_, (std::vector<int64_t>{now - 1'234 + 12'000, now - 1'234 + 22'000}));
}

TEST_F(PeriodicTaskTest, ARunThatOverrunsSkipsTheSlotsItMissed) {
  const int64_t start = clock_.NowMillis();
  bool slow = true;
  auto task = Task({.interval = seconds(10)}, [&] {
    if (slow) clock_.Advance(milliseconds(25'000));  // The run takes 2.5 intervals.
    slow = false;
  });
  task->Start();
  timers_.RunDue();
  EXPECT_EQ(timers_.next_due(), Clock::time_point(milliseconds(start + 30'000)));
  timers_.Advance(seconds(20));  // Up to start + 45 s.
  EXPECT_EQ(runs_, (std::vector<int64_t>{start, start + 30'000, start + 40'000}));
}

TEST_F(PeriodicTaskTest, ARunThatEndsOnTheNextSlotSkipsIt) {
  const int64_t start = clock_.NowMillis();
  auto task = Task({.interval = seconds(10)}, [&] {
    if (runs_.size() == 1) clock_.Advance(seconds(10));
  });
  task->Start();
  timers_.Advance(seconds(25));  // To start + 35 s: the run's own 10 s do not count.
  EXPECT_EQ(runs_, (std::vector<int64_t>{start, start + 20'000, start + 30'000}));
}

TEST_F(PeriodicTaskTest, JitterDelaysEachRunWithinItsSlotWithoutDrifting) {
  const int64_t start = clock_.NowMillis();
  auto task = Task({.interval = seconds(10), .jitter = seconds(2), .jitter_seed = 42});
  task->Start();
  timers_.Advance(seconds(1000));
  ASSERT_GE(runs_.size(), 99u);
  std::set<int64_t> delays;
  for (size_t i = 0; i < runs_.size(); ++i) {
    int64_t delay = runs_[i] - (start + static_cast<int64_t>(i) * 10'000);
    EXPECT_GE(delay, 0) << i;
    EXPECT_LT(delay, 2'000) << i;
    delays.insert(delay);
  }
  EXPECT_GT(delays.size(), 50u);  // Drawn anew for each run.

  // The same seed, the same delays.
  std::vector<int64_t> first = runs_;
  runs_.clear();
  clock_.Set(Clock::time_point(milliseconds(start)));
  auto again = Task({.interval = seconds(10), .jitter = seconds(2), .jitter_seed = 42});
  task->Stop();
  again->Start();
  timers_.Advance(seconds(1000));
  EXPECT_EQ(runs_, first);
}

TEST_F(PeriodicTaskTest, AClockSetBackFarStartsTheScheduleOver) {
  const int64_t start = clock_.NowMillis();
  auto task = Task({.interval = seconds(10), .offset = milliseconds(0)}, [&] {
    if (runs_.size() == 1) clock_.Set(Clock::time_point(milliseconds(runs_[0] - 3'600'000)));
  });
  task->Start();
  int64_t first_slot = (start / 10'000 + 1) * 10'000;
  timers_.Advance(milliseconds(first_slot - start));
  ASSERT_EQ(runs_.size(), 1u);
  EXPECT_EQ(runs_[0], first_slot);
  // An hour back, the next slot is the first one after the new time, not an hour away.
  EXPECT_EQ(timers_.next_due(), Clock::time_point(milliseconds(first_slot - 3'600'000 + 10'000)));
}

TEST_F(PeriodicTaskTest, NoRunAfterStop) {
  auto task = Task({.interval = seconds(10)});
  task->Start();
  timers_.Advance(seconds(15));
  EXPECT_EQ(runs_.size(), 2u);
  task->Stop();
  EXPECT_EQ(timers_.armed(), 0u);
  timers_.Advance(seconds(60));
  EXPECT_EQ(runs_.size(), 2u);
  task->Stop();   // Idempotent.
  task->Start();  // A stopped task stays stopped.
  timers_.Advance(seconds(60));
  EXPECT_EQ(runs_.size(), 2u);
}

TEST_F(PeriodicTaskTest, StopFromInsideARunMakesItTheLast) {
  std::unique_ptr<PeriodicTask> task;
  task = Task({.interval = seconds(10)}, [&] {
    if (runs_.size() == 2) task->Stop();
  });
  task->Start();
  timers_.Advance(seconds(60));
  EXPECT_EQ(runs_.size(), 2u);
  EXPECT_EQ(timers_.armed(), 0u);
}

TEST_F(PeriodicTaskTest, StopWaitsForARunOnAnotherThread) {
  absl::Notification entered, release;
  std::atomic<bool> returned = false;
  auto task = Task({.interval = seconds(10)}, [&] {
    entered.Notify();
    release.WaitForNotification();
    returned = true;
  });
  task->Start();
  std::thread runner([&] { timers_.RunDue(); });
  entered.WaitForNotification();
  std::atomic<bool> stop_returned = false;
  std::thread stopper([&] {
    task->Stop();
    stop_returned = true;
    EXPECT_TRUE(returned);  // Stop came back only after the run did.
  });
  EXPECT_FALSE(stop_returned);  // The run cannot have returned: it waits for `release`.
  release.Notify();
  stopper.join();
  runner.join();
  EXPECT_TRUE(stop_returned);
  EXPECT_EQ(runs_.size(), 1u);
  EXPECT_EQ(timers_.armed(), 0u);
}

}  // namespace
}  // namespace argus
