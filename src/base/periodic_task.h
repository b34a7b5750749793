#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>

#include "base/clock.h"
#include "base/timer.h"

namespace argus {

// When a PeriodicTask runs: once per slot, the slots `interval` apart on the clock's time line.
struct PeriodicSchedule {
  // Time between slots; must be positive.
  std::chrono::milliseconds interval{0};
  // Where in the interval the slots lie: at the times t with (t - Unix epoch) mod interval ==
  // offset mod interval. A task thus keeps its phase across restarts, and tasks with different
  // offsets spread over the interval. nullopt: the first slot is at Start() (plus initial_delay),
  // and the others keep its phase.
  std::optional<std::chrono::milliseconds> offset;
  // No slot comes before Start() plus this: kubelet's initialDelaySeconds, or a task whose owner
  // did the first run itself. Without an offset, the first slot is at Start() plus this.
  std::chrono::milliseconds initial_delay{0};
  // Each run starts up to this much after its slot, uniformly at random, drawn anew for each run.
  // The slots themselves stay put, so jitter never accumulates. Must be below the interval.
  std::chrono::milliseconds jitter{0};
  // Seeds the jitter, so that a test can pin it; 0: a seed from std::random_device.
  uint64_t jitter_seed = 0;
};

// Runs `run` once per slot of a schedule, on the threads of a TimerSource (the event loop in
// production, the test's thread under a ManualTimerSource). Runs never overlap: the next slot is
// armed when a run has returned. A run that lasts past later slots skips them: the next run comes
// at the first slot after the run ended, never several back to back to catch up. Slots are judged
// by the source's clock; if it is set back by more than an interval (a wall clock corrected), the
// schedule goes on from the first slot after the new time.
//
// Stop() ends the schedule: once it returns, no run starts, and a run that was going on in
// another thread has returned. Called from inside a run, it returns at once and that run is the
// last. Start() after Stop() does nothing; a stopped task cannot be restarted.
//
// Thread-safe. `timers` must outlive the task; the task must not be destroyed from inside `run`.
class PeriodicTask {
 public:
  PeriodicTask(TimerSource& timers, PeriodicSchedule schedule, std::function<void()> run);
  ~PeriodicTask();  // Stop().
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Arms the first slot: the first time at or after now plus initial_delay that the schedule
  // allows. At most once.
  void Start();
  // Idempotent.
  void Stop();

 private:
  // Arms the timer for `slot`, plus jitter.
  void Arm(Clock::time_point slot) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The timer's callback: runs the slot's run and arms the next slot.
  void Fire();
  Clock::time_point FirstSlotAtOrAfter(Clock::time_point t) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const Clock::time_point::duration interval_;
  const PeriodicSchedule schedule_;
  const std::function<void()> run_;

  absl::Mutex mu_;
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  Clock::time_point anchor_ ABSL_GUARDED_BY(mu_);  // One slot; the others are whole intervals off.
  Clock::time_point slot_ ABSL_GUARDED_BY(mu_);    // The slot armed or running.
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
  // Last, so that it goes first: its destructor waits for a callback that uses the members above.
  const std::unique_ptr<Timer> timer_;
};

}  // namespace argus
