#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <deque>
#include <functional>
#include <thread>
#include <vector>

namespace argus {

// A fixed set of threads that run the tasks handed to them, oldest first. Thread-safe. Tasks
// must not throw; one that waits for another task must be able to run that task itself, since
// every thread may be busy. The destructor runs the tasks already handed in, then joins.
class WorkerPool {
 public:
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Submit(std::function<void()> task) ABSL_LOCKS_EXCLUDED(mu_);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Run() ABSL_LOCKS_EXCLUDED(mu_);
  // What a thread waits for; absl::Mutex evaluates it whenever the lock is released.
  bool TaskOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return !tasks_.empty() || stopping_;
  }

  absl::Mutex mu_;
  std::deque<std::function<void()>> tasks_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;  // Set by the destructor.
  std::vector<std::jthread> threads_;
};

}  // namespace argus
