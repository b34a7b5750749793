#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <cstdint>

namespace argus {

// The source of wall-clock time for everything that schedules or stamps. Production code uses
// SystemClock; tests inject a ManualClock so that they never sleep to wait for time.
class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point Now() const = 0;
  // Milliseconds since the Unix epoch, the unit of sample timestamps.
  int64_t NowMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  time_point Now() const override { return std::chrono::system_clock::now(); }
  // A process-wide instance; lives forever.
  static const SystemClock& Instance() {
    static const SystemClock clock;
    return clock;
  }
};

// A clock that moves only when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(time_point start = time_point(std::chrono::seconds(1'700'000'000)))
      : now_(start) {}
  time_point Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(std::chrono::milliseconds d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(time_point t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  time_point now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus
