#pragma once

// Helpers for the chunk tests: comparing values by their bits, and special floats.

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace argus::tsdb {

// Deterministic test inputs: a 64-bit linear congruential generator with a xor-shift output.
class TestRandom {
 public:
  explicit TestRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ = state_ * 6364136223846793005 + 1442695040888963407;
    return state_ ^ (state_ >> 29);
  }

 private:
  uint64_t state_;
};

inline uint64_t Bits(double v) { return std::bit_cast<uint64_t>(v); }
inline double FromBits(uint64_t bits) { return std::bit_cast<double>(bits); }

// Passes when both arrays hold the same float64s bit for bit (NaN payloads, -0.0 included).
inline ::testing::AssertionResult SameBits(std::span<const double> expected,
                                           std::span<const double> actual) {
  if (expected.size() != actual.size()) {
    return ::testing::AssertionFailure()
           << expected.size() << " values expected, " << actual.size() << " read";
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    if (Bits(expected[i]) != Bits(actual[i])) {
      return ::testing::AssertionFailure()
             << "value " << i << ": expected bits 0x" << std::hex << Bits(expected[i]) << " ("
             << expected[i] << "), read 0x" << Bits(actual[i]) << " (" << actual[i] << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// Floats that formats get wrong: signed zeros, infinities, NaNs with payloads (the staleness
// marker among them), denormals, extremes, and binary fractions that are not short decimals.
inline std::vector<double> SpecialFloats() {
  using limits = std::numeric_limits<double>;
  return {0.0,
          -0.0,
          limits::infinity(),
          -limits::infinity(),
          FromBits(0x7ff0000000000002),  // The staleness marker.
          FromBits(0x7ff8000000000001),  // Prometheus' normal NaN.
          limits::quiet_NaN(),
          -limits::quiet_NaN(),
          FromBits(0x7ff4000000000000),  // A signalling NaN.
          FromBits(0xfff0000000000001),
          limits::denorm_min(),
          -limits::denorm_min(),
          FromBits(0x000fffffffffffff),  // The largest denormal.
          limits::min(),
          limits::max(),
          -limits::max(),
          limits::epsilon(),
          0.1 + 0.2,
          1.0 / 3,
          9007199254740993.0,  // 2^53 + 1 rounds to 2^53.
          9007199254740992.0,
          -9007199254740991.0,
          1e22,
          1e23,
          1e-22,
          123456789.123456789,
          0.37,
          41.25,
          -41.25};
}

}  // namespace argus::tsdb
