// Linked into the server and the benchmarks (not into a library, where nothing would pull it in).
//
// Debian's Abseil is built without NDEBUG, which leaves absl::Mutex's deadlock detector on: every
// Lock updates a graph of which lock was taken while holding which, at about five times the cost
// of the lock itself. Optimised builds turn it off before main. Debug builds, which the tests
// use, keep it: it aborts on a lock-order inversion that -Wthread-safety cannot see.

#include <absl/synchronization/mutex.h>

#ifdef NDEBUG
namespace {
const bool kDeadlockDetectionOff = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();
}  // namespace
#endif
