#include "base/manual_timer_source.h"

#include <algorithm>

#include "base/check.h"

namespace argus {

class ManualTimerSource::ManualTimer final : public Timer {
 public:
  ManualTimer(ManualTimerSource& source, uint64_t id) : source_(source), id_(id) {}
  ~ManualTimer() override { source_.Cancel(id_); }

  void Schedule(Clock::time_point at, std::function<void()> fn) override {
    source_.Schedule(id_, at, std::move(fn));
  }
  void Cancel() override { source_.Cancel(id_); }

 private:
  ManualTimerSource& source_;
  const uint64_t id_;
};

std::unique_ptr<Timer> ManualTimerSource::NewTimer() {
  absl::MutexLock lock(&mu_);
  return std::make_unique<ManualTimer>(*this, next_id_++);
}

void ManualTimerSource::Advance(std::chrono::milliseconds d) {
  CHECK(d.count() >= 0);
  Clock::time_point::duration left = d;
  for (;;) {
    std::function<void()> fn;
    Clock::time_point now = clock_.Now();
    Clock::time_point::duration wait;
    {
      absl::MutexLock lock(&mu_);
      CHECK(running_ == 0);  // Not from inside a callback.
      if (queue_.empty()) break;
      const Clock::time_point at = std::get<0>(*queue_.begin());
      const uint64_t id = std::get<2>(*queue_.begin());
      wait = std::max(at - now, Clock::time_point::duration::zero());
      if (wait > left) break;
      fn = std::move(armed_.at(id).fn);
      Disarm(id);
      running_ = id;
      running_thread_ = std::this_thread::get_id();
    }
    left -= wait;
    clock_.Set(now + wait);
    fn();
    absl::MutexLock lock(&mu_);
    running_ = 0;
    callback_done_.SignalAll();
  }
  clock_.Set(clock_.Now() + left);
}

size_t ManualTimerSource::armed() const {
  absl::MutexLock lock(&mu_);
  return armed_.size();
}

std::optional<Clock::time_point> ManualTimerSource::next_due() const {
  absl::MutexLock lock(&mu_);
  if (queue_.empty()) return std::nullopt;
  return std::get<0>(*queue_.begin());
}

void ManualTimerSource::Schedule(uint64_t id, Clock::time_point at, std::function<void()> fn) {
  absl::MutexLock lock(&mu_);
  Disarm(id);
  uint64_t seq = next_seq_++;
  armed_.emplace(id, Armed{at, seq, std::move(fn)});
  queue_.emplace(at, seq, id);
}

void ManualTimerSource::Cancel(uint64_t id) {
  absl::MutexLock lock(&mu_);
  Disarm(id);
  while (running_ == id && running_thread_ != std::this_thread::get_id()) {
    callback_done_.Wait(&mu_);
  }
}

void ManualTimerSource::Disarm(uint64_t id) {
  auto it = armed_.find(id);
  if (it == armed_.end()) return;
  queue_.erase({it->second.at, it->second.seq, id});
  armed_.erase(it);
}

}  // namespace argus
