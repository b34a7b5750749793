#pragma once

#include <functional>
#include <memory>

#include "base/clock.h"

namespace argus {

// A one-shot timer on the time line of its source's clock. The seam between what runs at a time
// (PeriodicTask, and through it scrapes, collections, rule evaluations, probes) and what waits for
// that time: an event loop in production (http::AsioTimerSource), ManualTimerSource in tests.
//
// Schedule(at, fn) arms the timer to call `fn` once, on one of the source's threads, when the
// clock reaches `at` (soon, if `at` has passed); never from inside Schedule itself. Arming a timer
// again replaces the callback that was pending, which then never runs.
//
// Cancel() disarms it: once Cancel returns, a callback that was pending never starts, and one that
// was running on another thread has returned. Called from inside the callback, Cancel returns at
// once (the callback that is running goes on). Destroying a timer cancels it, with the same wait.
//
// Thread-safe: Schedule and Cancel may be called from any thread, the callback's included.
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void Schedule(Clock::time_point at, std::function<void()> fn) = 0;
  virtual void Cancel() = 0;
};

// Makes timers and says which clock they follow. Thread-safe. The source, and whatever runs its
// callbacks, must outlive every timer it made.
class TimerSource {
 public:
  virtual ~TimerSource() = default;
  // The clock whose time points Timer::Schedule takes; lives as long as the source.
  virtual const Clock& clock() const = 0;
  virtual std::unique_ptr<Timer> NewTimer() = 0;
};

}  // namespace argus
