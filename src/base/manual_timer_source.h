#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "base/clock.h"
#include "base/timer.h"

namespace argus {

// Timers on a ManualClock, for tests: they fire only when the test moves time with Advance (or
// asks for what is due with RunDue), synchronously, on the calling thread, in the order they fall
// due. A test thus sees every periodic action that a stretch of time brings, and nothing runs
// behind its back. `clock` must outlive the source; the source must outlive its timers.
// Thread-safe, but Advance and RunDue must not be called from a timer's callback.
class ManualTimerSource final : public TimerSource {
 public:
  explicit ManualTimerSource(ManualClock& clock) : clock_(clock) {}

  const Clock& clock() const override { return clock_; }
  std::unique_ptr<Timer> NewTimer() override;

  // Lets `d` pass, firing each timer that falls due meanwhile: in the order of due times (ties:
  // the order they were armed), each with the clock moved to its due time (or left where it is,
  // if the clock had been moved past it directly). A timer that a callback arms fires too if it
  // falls due within `d`. A callback may move the clock itself, to play a run that takes time or
  // a wall clock that is set back; that move does not count towards `d`. One thread at a time.
  void Advance(std::chrono::milliseconds d);
  // Fires the timers that are due now, leaving the clock where it is.
  void RunDue() { Advance(std::chrono::milliseconds(0)); }

  // How many timers are armed.
  size_t armed() const;
  // When the next armed timer falls due; nullopt when none is armed.
  std::optional<Clock::time_point> next_due() const;

 private:
  class ManualTimer;
  struct Armed {
    Clock::time_point at;
    uint64_t seq;
    std::function<void()> fn;
  };
  void Schedule(uint64_t id, Clock::time_point at, std::function<void()> fn);
  void Cancel(uint64_t id);
  void Disarm(uint64_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ManualClock& clock_;
  mutable absl::Mutex mu_;
  absl::CondVar callback_done_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Armed> armed_ ABSL_GUARDED_BY(mu_);  // By timer id.
  // The armed timers by (due time, seq, id): the front falls due first.
  std::set<std::tuple<Clock::time_point, uint64_t, uint64_t>> queue_ ABSL_GUARDED_BY(mu_);
  uint64_t running_ ABSL_GUARDED_BY(mu_) = 0;  // The timer whose callback runs; 0: none.
  std::thread::id running_thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus
