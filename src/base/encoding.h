#pragma once

// Byte-level encoding shared by the in-memory labels and the on-disk index and chunk formats:
// unsigned LEB128 varints, zig-zag signed varints and little-endian fixed-width integers.
// Used by every binary format: the index, chunks, events and the notification queue.

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace argus::encoding {

inline void PutUvarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>(v | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

inline void PutVarint(std::string& out, int64_t v) {
  PutUvarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

inline void PutFixed32(std::string& out, uint32_t v) {
  char bytes[4];
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(v >> (8 * i));
  out.append(bytes, 4);
}

inline void PutFixed64(std::string& out, uint64_t v) {
  PutFixed32(out, static_cast<uint32_t>(v));
  PutFixed32(out, static_cast<uint32_t>(v >> 32));
}

inline uint32_t LoadFixed32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

inline uint64_t LoadFixed64(const uint8_t* p) {
  return uint64_t{LoadFixed32(p)} | uint64_t{LoadFixed32(p + 4)} << 32;
}

// Reads values off a byte range, never past its end: a read that would go past it (or a varint
// longer than 10 bytes) returns 0 and sets failed(), and every read after it fails too.
class Decoder {
 public:
  explicit Decoder(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  explicit Decoder(std::string_view bytes)
      : bytes_(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) {}

  uint64_t Uvarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && pos_ < bytes_.size(); shift += 7) {
      uint8_t b = bytes_[pos_++];
      v |= uint64_t{b & 0x7fu} << shift;
      if (b < 0x80) return v;
    }
    return Fail();
  }
  int64_t Varint() {
    uint64_t u = Uvarint();
    return static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
  }
  uint32_t Fixed32() {
    if (!Has(4)) return static_cast<uint32_t>(Fail());
    pos_ += 4;
    return LoadFixed32(bytes_.data() + pos_ - 4);
  }
  // The next `n` bytes, or an empty span on failure.
  std::span<const uint8_t> Bytes(uint64_t n) {
    if (!Has(n)) {
      Fail();
      return {};
    }
    pos_ += n;
    return bytes_.subspan(pos_ - n, n);
  }

  bool failed() const { return failed_; }
  size_t remaining() const { return failed_ ? 0 : bytes_.size() - pos_; }

 private:
  bool Has(uint64_t n) const { return !failed_ && n <= bytes_.size() - pos_; }
  uint64_t Fail() {
    failed_ = true;
    pos_ = bytes_.size();
    return 0;
  }

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace argus::encoding
