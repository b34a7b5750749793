#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>
#include <thread>
#include <vector>

namespace argus::http {

// The event loop that every network stage shares: the HTTP server, scrapes, and later probes,
// notifications and watches. A fixed number of threads run it; nothing gets a thread of its own
// per connection or per target. Start and Stop are called from one thread that is not a loop
// thread.
class EventLoop {
 public:
  explicit EventLoop(int threads);
  ~EventLoop();  // Stops and joins.
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void Start();
  // Stops the loop: pending handlers are abandoned, the threads are joined.
  void Stop();

  boost::asio::io_context& context() { return context_; }

 private:
  int thread_count_;
  boost::asio::io_context context_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::jthread> threads_;
};

}  // namespace argus::http
