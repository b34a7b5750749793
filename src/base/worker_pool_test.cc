#include "base/worker_pool.h"

#include <absl/synchronization/mutex.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>

namespace argus {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnItsThreads) {
  std::atomic<int> ran = 0;
  absl::Mutex mu;
  std::set<std::thread::id> ids;
  {
    WorkerPool pool(3);
    EXPECT_EQ(pool.threads(), 3);
    for (int i = 0; i < 1000; ++i) {
      pool.Submit([&] {
        ++ran;
        absl::MutexLock lock(&mu);
        ids.insert(std::this_thread::get_id());
      });
    }
  }  // The destructor runs what was handed in before it joins.
  EXPECT_EQ(ran, 1000);
  EXPECT_FALSE(ids.contains(std::this_thread::get_id()));
  EXPECT_LE(ids.size(), 3u);
}

TEST(WorkerPoolTest, TasksRunAtOnceOnSeveralThreads) {
  // Each task waits until both have started, which only two threads running at once allow. On a
  // pool that runs them one after the other the first gives up at the deadline and the test fails
  // rather than hangs.
  absl::Mutex mu;
  int started = 0;
  std::atomic<int> met = 0;
  {
    WorkerPool pool(2);
    for (int i = 0; i < 2; ++i) {
      pool.Submit([&] {
        absl::MutexLock lock(&mu);
        ++started;
        if (mu.AwaitWithTimeout(absl::Condition(
                                    +[](int* n) { return *n == 2; }, &started),
                                absl::Seconds(10))) {
          ++met;
        }
      });
    }
  }  // Joins: both tasks have returned.
  EXPECT_EQ(met, 2);
}

}  // namespace
}  // namespace argus
