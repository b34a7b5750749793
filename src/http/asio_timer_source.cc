#include "http/asio_timer_source.h"

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

#include "base/log.h"
#include "http/event_loop.h"

namespace argus::http {
namespace {

// What a timer's pending handlers share with it; they keep it alive after the timer is gone.
struct TimerState {
  absl::Mutex mu;
  absl::CondVar callback_done;
  // Counts arms and cancels: a handler runs its callback only if nothing came after its arm.
  uint64_t generation ABSL_GUARDED_BY(mu) = 0;
  std::function<void()> fn ABSL_GUARDED_BY(mu);
  // The threads that run a callback now (more than one only if a callback re-armed its timer for
  // a time that came before it returned).
  std::vector<std::thread::id> running ABSL_GUARDED_BY(mu);

  bool RunningElsewhere() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    auto self = std::this_thread::get_id();
    return std::any_of(running.begin(), running.end(),
                       [self](std::thread::id id) { return id != self; });
  }
};

void RunCallback(TimerState& state, uint64_t generation) {
  std::function<void()> fn;
  {
    absl::MutexLock lock(&state.mu);
    if (state.generation != generation || !state.fn) return;
    fn = std::move(state.fn);
    state.fn = nullptr;
    state.running.push_back(std::this_thread::get_id());
  }
  try {
    fn();
  } catch (const std::exception& e) {
    log::Error("Uncaught exception in a timer callback", {{"err", e.what()}});
  }
  absl::MutexLock lock(&state.mu);
  state.running.erase(
      std::find(state.running.begin(), state.running.end(), std::this_thread::get_id()));
  state.callback_done.SignalAll();
}

class AsioTimer final : public Timer {
 public:
  AsioTimer(boost::asio::io_context& context, const Clock& clock)
      : clock_(clock), state_(std::make_shared<TimerState>()), timer_(context) {}
  ~AsioTimer() override { Cancel(); }

  void Schedule(Clock::time_point at, std::function<void()> fn) override {
    auto delay = std::max(std::chrono::ceil<std::chrono::steady_clock::duration>(at - clock_.Now()),
                          std::chrono::steady_clock::duration::zero());
    absl::MutexLock lock(&state_->mu);
    uint64_t generation = ++state_->generation;
    state_->fn = std::move(fn);
    // Under the lock: an Asio timer is not safe for concurrent use.
    timer_.expires_after(delay);  // Aborts the handler of the previous arm, if still pending.
    timer_.async_wait([state = state_, generation](const boost::system::error_code& ec) {
      if (!ec) RunCallback(*state, generation);
    });
  }

  void Cancel() override {
    absl::MutexLock lock(&state_->mu);
    ++state_->generation;
    state_->fn = nullptr;
    timer_.cancel();
    while (state_->RunningElsewhere()) state_->callback_done.Wait(&state_->mu);
  }

 private:
  const Clock& clock_;
  const std::shared_ptr<TimerState> state_;
  boost::asio::steady_timer timer_ ABSL_GUARDED_BY(state_->mu);
};

}  // namespace

std::unique_ptr<Timer> AsioTimerSource::NewTimer() {
  return std::make_unique<AsioTimer>(loop_.context(), clock_);
}

}  // namespace argus::http
