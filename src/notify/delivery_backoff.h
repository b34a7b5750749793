#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace argus::notify {

struct BackoffOptions {
  std::chrono::milliseconds initial{1000};       // The wait after the first failed attempt.
  std::chrono::milliseconds max{5 * 60 * 1000};  // No wait is longer (before jitter).
  // Seeds the jitter, so that a test can pin it; 0: a seed from std::random_device.
  uint64_t jitter_seed = 0;
};

// Capped exponential back-off with jitter: after the n-th failed attempt in a row (n >= 1) the
// wait is min(max, initial * 2^(n-1)), of which a random part up to half is taken off, so that
// senders that failed together do not retry together. Not thread-safe.
class Backoff {
 public:
  explicit Backoff(BackoffOptions options);
  std::chrono::milliseconds Delay(int failed_attempts);

 private:
  const BackoffOptions options_;
  std::mt19937_64 random_;
};

}  // namespace argus::notify
