#include "base/periodic_task.h"

#include "base/check.h"

namespace argus {
namespace {

uint64_t Seed(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device device;
  return (uint64_t{device()} << 32) | device();
}

}  // namespace

PeriodicTask::PeriodicTask(TimerSource& timers, PeriodicSchedule schedule,
                           std::function<void()> run)
    : clock_(timers.clock()),
      interval_(schedule.interval),
      schedule_(schedule),
      run_(std::move(run)),
      random_(Seed(schedule.jitter_seed)),
      timer_(timers.NewTimer()) {
  CHECK(schedule_.interval.count() > 0);
  CHECK(schedule_.jitter.count() >= 0 && schedule_.jitter < schedule_.interval);
  CHECK(schedule_.initial_delay.count() >= 0);
}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Start() {
  absl::MutexLock lock(&mu_);
  if (started_ || stopped_) return;
  started_ = true;
  Clock::time_point earliest = clock_.Now() + schedule_.initial_delay;
  if (schedule_.offset.has_value()) {
    Clock::time_point::duration offset = *schedule_.offset % interval_;
    if (offset < Clock::time_point::duration::zero()) offset += interval_;
    anchor_ = Clock::time_point(offset);
  } else {
    anchor_ = earliest;
  }
  Arm(FirstSlotAtOrAfter(earliest));
}

void PeriodicTask::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  // A callback that runs now sees stopped_ when it is done and arms nothing; Cancel waits for it,
  // unless it is this thread's.
  timer_->Cancel();
}

void PeriodicTask::Arm(Clock::time_point slot) {
  slot_ = slot;
  Clock::time_point at = slot;
  if (schedule_.jitter.count() > 0) {
    std::uniform_int_distribution<int64_t> delay(0, schedule_.jitter.count() - 1);
    at += std::chrono::milliseconds(delay(random_));
  }
  timer_->Schedule(at, [this] { Fire(); });
}

void PeriodicTask::Fire() {
  Clock::time_point slot;
  {
    absl::MutexLock lock(&mu_);
    if (stopped_) return;
    slot = slot_;
  }
  run_();
  absl::MutexLock lock(&mu_);
  if (stopped_) return;
  Clock::time_point now = clock_.Now();
  // A clock that reads a little before the slot (the timer's wait and the clock disagree) counts
  // as at the slot, so that the slot does not run twice; one set back further starts over.
  if (now < slot && slot - now <= interval_) now = slot;
  Arm(FirstSlotAtOrAfter(now + Clock::time_point::duration(1)));
}

Clock::time_point PeriodicTask::FirstSlotAtOrAfter(Clock::time_point t) const {
  Clock::time_point::duration since = t - anchor_;
  // Rounded up to whole intervals, for negative values too.
  int64_t n = since.count() / interval_.count();
  if (since.count() % interval_.count() > 0) ++n;
  return anchor_ + n * interval_;
}

}  // namespace argus
