#pragma once

// Byte and bit I/O for the sealed chunk format: varints, fixed-width integers, and bit streams
// written least significant bit first. Readers are bounded: they never touch a byte outside the
// span they were given, and report overruns instead.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "base/check.h"
#include "base/status.h"

namespace argus::tsdb {

// Bit streams load 8 bytes at a time and read them as one little-endian word.
static_assert(std::endian::native == std::endian::little);

inline uint64_t ZigZag(int64_t x) {
  return (static_cast<uint64_t>(x) << 1) ^ static_cast<uint64_t>(x >> 63);
}
inline int64_t UnZigZag(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (0 - (u & 1))); }
// a - b and a + b modulo 2^64, for deltas that may not fit in an int64.
inline int64_t WrappingSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
inline int64_t WrappingAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
// The number of bits needed to write u: 0 for 0, 64 for values with the top bit set. (Written
// so that compilers emit no branch for zero.)
inline int BitWidth(uint64_t u) { return 64 - std::countl_zero(u | 1) - (u == 0); }
inline uint64_t LowBits(uint64_t u, int n) { return n >= 64 ? u : u & ((uint64_t{1} << n) - 1); }

void PutUvarint(uint64_t v, std::string* out);
inline void PutZvarint(int64_t v, std::string* out) { PutUvarint(ZigZag(v), out); }
void PutFixed64(uint64_t v, std::string* out);
inline int UvarintLength(uint64_t v) { return v == 0 ? 1 : (BitWidth(v) + 6) / 7; }

// Reads bytes from [begin, end); every read fails (returns false) rather than read past the end.
class ByteReader {
 public:
  ByteReader(const uint8_t* begin, const uint8_t* end) : begin_(begin), p_(begin), end_(end) {}

  bool ReadByte(uint8_t* v);
  bool ReadUvarint(uint64_t* v);  // Fails on more than 10 bytes or a value past 64 bits.
  bool ReadZvarint(int64_t* v);
  bool ReadFixed64(uint64_t* v);

  size_t offset() const { return static_cast<size_t>(p_ - begin_); }
  const uint8_t* position() const { return p_; }
  const uint8_t* end() const { return end_; }
  bool at_end() const { return p_ == end_; }
  // Moves to `p`, which must lie within the reader's bytes at or after the current position.
  void Skip(const uint8_t* p) {
    DCHECK(p >= p_ && p <= end_);
    p_ = p;
  }

 private:
  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
};

// kCorruption: `what` is wrong at the reader's position.
inline Status Corruption(const ByteReader& in, std::string_view what) {
  return Status::Errorf(Status::Code::kCorruption, "{} at byte {}", what, in.offset());
}

// Appends bits to a string, least significant first; Finish pads the last byte with zeros.
class BitWriter {
 public:
  explicit BitWriter(std::string* out) : out_(out) {}

  // Writes the low n bits of `bits` (0 <= n <= 64; the other bits must be zero).
  void Write(uint64_t bits, int n) {
    DCHECK(n >= 0 && n <= 64 && LowBits(bits, n) == bits);
    if (n == 0) return;
    acc_ |= bits << used_;
    if (used_ + n < 64) {
      used_ += n;
      return;
    }
    PutFixed64(acc_, out_);
    int written = 64 - used_;
    acc_ = written == 64 ? 0 : bits >> written;
    used_ = used_ + n - 64;
  }
  void WriteOnes(int n) { Write(LowBits(~uint64_t{0}, n), n); }
  void Finish();

 private:
  std::string* out_;
  uint64_t acc_ = 0;
  int used_ = 0;  // Bits of acc_ in use, always < 64.
};

// Reads bits from [begin, end), least significant first. Past the end it reads zeros and counts
// them, so that decoding loops stay bounded and the caller checks overrun() once at the end.
class BitReader {
 public:
  BitReader(const uint8_t* begin, const uint8_t* end) : begin_(begin), p_(begin), end_(end) {}

  // Makes at least 56 bits available in the buffer.
  void Refill() {
    if (end_ - p_ >= 8) {
      uint64_t word;
      std::memcpy(&word, p_, 8);
      buffer_ |= word << available_;
      p_ += (63 - available_) >> 3;
      available_ |= 56;
    } else {
      RefillNearEnd();
    }
  }
  // The next bits, valid up to available().
  uint64_t Peek() const { return buffer_; }
  int available() const { return available_; }
  // Drops n < 64 bits, at most available().
  void Consume(int n) {
    DCHECK(n >= 0 && n < 64 && n <= available_);
    buffer_ >>= n;
    available_ -= n;
  }
  // Reads n <= 64 bits.
  uint64_t Read(int n) {
    if (n == 0) return 0;
    if (n <= 56) {
      if (available_ < n) Refill();
      uint64_t v = LowBits(buffer_, n);
      Consume(n);
      return v;
    }
    uint64_t low = Read(32);
    return low | Read(n - 32) << 32;
  }

  // Bits read so far, counting those past the end.
  uint64_t position() const {
    return static_cast<uint64_t>(p_ - begin_) * 8 + zeros_past_end_ - available_;
  }
  bool overrun() const { return position() > static_cast<uint64_t>(end_ - begin_) * 8; }
  // The first byte after the bits read so far (the stream's padding included).
  const uint8_t* next_byte() const { return begin_ + (position() + 7) / 8; }
  // True when the bits between position() and next_byte() are all zero. Requires !overrun().
  bool padding_is_zero();

 private:
  void RefillNearEnd();

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  uint64_t buffer_ = 0;
  int available_ = 0;
  uint64_t zeros_past_end_ = 0;
};

}  // namespace argus::tsdb
