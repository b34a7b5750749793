#pragma once

// The two ways a float64 becomes an integer that deltas code well, exactly and reversibly:
// decimal scaling (41.25 at scale 2 is 4125) for values that were decimal numbers in the
// exposition text, and the ordered bits of the float64 for the rest.

#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "tsdb/chunkenc/chunk_layout.h"

namespace argus::tsdb {

// Powers of ten up to 1e22, the largest that a double holds exactly.
inline constexpr int kMaxDecimalScale = 22;
inline constexpr double kPowersOfTen[kMaxDecimalScale + 1] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
// Scaled integers stay below 2^53, so that they and their quotients by powers of ten are exact.
inline constexpr double kMaxScaled = 0x1p53;

// The value of integer m at `scale`: m / 10^scale, correctly rounded (IEEE division), which is
// what the decoders compute.
inline double FromDecimal(int64_t m, int scale) {
  // Dividing by 1 changes nothing, but costs as much as any division.
  return scale == 0 ? static_cast<double>(m) : static_cast<double>(m) / kPowersOfTen[scale];
}

// Sets *m to the integer that FromDecimal turns back into exactly the bits of v at `scale`, if
// there is one below 2^53 in magnitude. Never for NaN, infinities or -0.0.
inline bool ToDecimal(double v, int scale, int64_t* m) {
  double scaled = v * kPowersOfTen[scale];
  if (!(std::fabs(scaled) < kMaxScaled)) return false;
  auto candidate = static_cast<int64_t>(std::nearbyint(scaled));
  if (std::bit_cast<uint64_t>(FromDecimal(candidate, scale)) != std::bit_cast<uint64_t>(v)) {
    return false;
  }
  *m = candidate;
  return true;
}

// The smallest scale from `from` on at which v is decimal, setting *m; -1 if there is none.
inline int MinDecimalScale(double v, int from, int64_t* m) {
  for (int scale = from; scale <= kMaxDecimalScale; ++scale) {
    if (ToDecimal(v, scale, m)) return scale;
    // Past 2^53 only larger integers follow.
    if (!(std::fabs(v * kPowersOfTen[scale]) < kMaxScaled)) return -1;
  }
  return -1;
}

// The bits of v as an integer that orders like v: positive floats map to [0, 2^63) by their bits,
// negative ones below zero (-0.0 to -1). Its own inverse.
inline int64_t OrderedBits(int64_t bits) {
  return bits ^ static_cast<int64_t>(static_cast<uint64_t>(bits >> 63) >> 1);
}
inline int64_t FloatToOrdered(double v) { return OrderedBits(std::bit_cast<int64_t>(v)); }
inline double OrderedToFloat(int64_t o) { return std::bit_cast<double>(OrderedBits(o)); }

// Values that no scale makes decimal, whatever the other values of the chunk are.
inline bool IsNeverDecimal(double v) { return !std::isfinite(v) || (v == 0 && std::signbit(v)); }

// A chunk's values as integers.
struct MappedValues {
  ValueKind kind = ValueKind::kFloatBits;
  int scale = 0;
  std::vector<int64_t> ints;
  std::vector<uint32_t> exceptions;  // Indexes of values kept as raw bits (decimal kind only).
};

// Maps v to decimal integers at the smallest scale that fits all but at most `max_exceptions`
// values (NaN, infinities, -0.0, binary fractions, values too large); false if more do not fit
// or none does. An exception's integer repeats the one before it (the first regular one at the
// start), so that it costs a zero delta.
bool MapToDecimal(std::span<const double> v, size_t max_exceptions, MappedValues* out);

// Maps every value to its ordered bits.
void MapToFloatBits(std::span<const double> v, MappedValues* out);

}  // namespace argus::tsdb
