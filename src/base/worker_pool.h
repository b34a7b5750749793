#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
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

  void Submit(std::function<void()> task);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Run(std::stop_token stop);

  std::mutex mu_;
  std::condition_variable_any ready_;
  std::deque<std::function<void()>> tasks_;  // Guarded by mu_.
  std::vector<std::jthread> threads_;
};

}  // namespace argus
