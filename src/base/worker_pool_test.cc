#include "base/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <set>

namespace argus {
namespace {

TEST(WorkerPoolTest, RunsEveryTaskOnItsThreads) {
  std::atomic<int> ran = 0;
  std::mutex mu;
  std::set<std::thread::id> ids;
  {
    WorkerPool pool(3);
    EXPECT_EQ(pool.threads(), 3);
    for (int i = 0; i < 1000; ++i) {
      pool.Submit([&] {
        ++ran;
        std::lock_guard lock(mu);
        ids.insert(std::this_thread::get_id());
      });
    }
  }  // The destructor runs what was handed in before it joins.
  EXPECT_EQ(ran, 1000);
  EXPECT_FALSE(ids.contains(std::this_thread::get_id()));
  EXPECT_LE(ids.size(), 3u);
}

TEST(WorkerPoolTest, TasksRunAtOnceOnSeveralThreads) {
  WorkerPool pool(2);
  std::latch both(2);  // Each task waits for the other: only two threads can finish them.
  std::latch finished(2);
  for (int i = 0; i < 2; ++i) {
    pool.Submit([&] {
      both.arrive_and_wait();
      finished.count_down();
    });
  }
  finished.wait();
}

}  // namespace
}  // namespace argus
