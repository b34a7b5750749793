#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace argus::tsdb {

// A ULID (universally unique lexicographically sortable identifier): 48 bits of milliseconds
// since the epoch, then 80 random bits, written as 26 characters of Crockford's base32. Blocks are
// named by one, so their directories sort by creation time.
class Ulid {
 public:
  Ulid() = default;  // All zero: 00000000000000000000000000.
  static Ulid FromParts(uint64_t millis, std::array<uint8_t, 10> random);
  // Reads the 26-character form, case-insensitively; kInvalidInput for anything else.
  static Result<Ulid> Parse(std::string_view text);

  std::string ToString() const;
  uint64_t TimeMillis() const;
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  auto operator<=>(const Ulid&) const = default;

 private:
  friend class UlidGenerator;
  std::array<uint8_t, 16> bytes_{};  // Big-endian: time, then randomness.
};

// Makes ULIDs from `clock` and `random` (each call yields 64 random bits). Within one
// millisecond the random part is incremented instead of drawn again, so ULIDs from one generator
// are strictly increasing. Thread-safe; `clock` must outlive the generator.
class UlidGenerator {
 public:
  UlidGenerator(const Clock& clock, std::function<uint64_t()> random);
  Ulid Next() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const Clock& clock_;
  absl::Mutex mu_;
  std::function<uint64_t()> random_ ABSL_GUARDED_BY(mu_);  // Called under mu_ only.
  Ulid last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::tsdb
