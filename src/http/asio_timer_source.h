#pragma once

#include <memory>

#include "base/clock.h"
#include "base/timer.h"

namespace argus::http {

class EventLoop;

// Timers whose callbacks run on `loop`'s threads, on the time line of `clock`. A timer armed for
// time point `at` waits on the loop's steady clock for as long as `at` was ahead of clock.Now()
// when it was armed: a wall clock that is set while it waits does not move it, and a PeriodicTask
// re-reads the clock when it arms its next slot. `loop` and `clock` must outlive every timer; the
// source itself may go before its timers. A callback that throws is logged and counts as returned.
class AsioTimerSource final : public TimerSource {
 public:
  AsioTimerSource(EventLoop& loop, const Clock& clock) : loop_(loop), clock_(clock) {}

  const Clock& clock() const override { return clock_; }
  std::unique_ptr<Timer> NewTimer() override;

 private:
  EventLoop& loop_;
  const Clock& clock_;
};

}  // namespace argus::http
