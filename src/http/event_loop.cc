#include "http/event_loop.h"

#include <exception>

#include "base/log.h"

namespace argus::http {

EventLoop::EventLoop(int threads) : thread_count_(threads) {}

EventLoop::~EventLoop() { Stop(); }

void EventLoop::Start() {
  work_.emplace(boost::asio::make_work_guard(context_));
  for (int i = 0; i < thread_count_; ++i) {
    threads_.emplace_back([this] {
      // A handler that throws is a bug, but it must not take the other stages down with it.
      for (;;) {
        try {
          context_.run();
          return;
        } catch (const std::exception& e) {
          log::Error("Uncaught exception on the event loop", {{"err", e.what()}});
        }
      }
    });
  }
}

void EventLoop::Stop() {
  work_.reset();
  context_.stop();
  threads_.clear();  // Joins.
}

}  // namespace argus::http
