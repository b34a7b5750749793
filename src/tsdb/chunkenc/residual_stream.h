#pragma once

// A residual stream: the part of a sealed chunk that codes a run of 64-bit residuals (the
// timestamp deltas, or the value deltas after scaling). The encoder picks, per stream, a base to
// subtract (the minimum, or about the median with signs), a common factor to divide out, and the
// cheapest of three layouts: constant, Rice-coded bits, or a sparse list of the entries that
// differ from the base, or Rice-coded bits behind a one-bit zero flag (for streams where most
// entries are zero but not few enough for the sparse list). docs/format/chunks.md gives the bytes.
//
// Arithmetic is modulo 2^64 throughout, so any residuals round-trip, even deltas of timestamps
// that span more than half the int64 range.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/status.h"
#include "tsdb/chunkenc/bit_io.h"

namespace argus::tsdb {

struct StreamPlan {
  enum class Layout : uint8_t { kConstant = 0, kRice = 1, kSparse = 2, kFlaggedRice = 3 };
  Layout layout = Layout::kConstant;
  bool is_signed = false;  // Entries are zigzag-coded (base - residual may be positive).
  int64_t base = 0;
  uint64_t factor = 1;
  uint8_t rice_k = 0;
  uint8_t escape_width = 0;  // The width of the largest entry, for Rice escapes.
  uint64_t bits = 0;         // The stream's size (estimated for Rice layouts), header included.
};

// Unary prefixes of this many ones escape to a value written in escape_width bits, so that an
// outlier (a counter reset, a missed scrape) costs a bounded number of bits.
inline constexpr int kRiceEscape = 16;

// Chooses how to code `residuals` (not empty), trying the options by their size.
StreamPlan PlanStream(std::span<const int64_t> residuals);

// Appends the stream coding `residuals` as `plan` (from PlanStream on the same residuals) says.
void WriteStream(std::span<const int64_t> residuals, const StreamPlan& plan, std::string* out);

// Reads a stream of out.size() residuals from `in`, storing each as the bits of an element of
// `out` (uint64_t, int64_t or double: the values decoder keeps its integers in the output array
// until it converts them in place). Returns kCorruption saying what is wrong at which byte of the
// chunk that `in` reads.
template <typename T>
Status ReadStream(ByteReader* in, std::span<T> out);

}  // namespace argus::tsdb
