#include "notify/delivery_backoff.h"

#include <algorithm>

namespace argus::notify {

Backoff::Backoff(BackoffOptions options)
    : options_(options),
      random_(options.jitter_seed != 0 ? options.jitter_seed : std::random_device()()) {}

std::chrono::milliseconds Backoff::Delay(int failed_attempts) {
  int doublings = std::clamp(failed_attempts - 1, 0, 40);
  int64_t capped =
      std::min<int64_t>(options_.max.count(), options_.initial.count() * (int64_t{1} << doublings));
  std::uniform_int_distribution<int64_t> jitter(0, capped / 2);
  return std::chrono::milliseconds(capped - jitter(random_));
}

}  // namespace argus::notify
