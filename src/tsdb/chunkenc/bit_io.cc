#include "tsdb/chunkenc/bit_io.h"

namespace argus::tsdb {

void PutUvarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutFixed64(uint64_t v, std::string* out) {
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(v >> (8 * i));
  out->append(bytes, 8);
}

bool ByteReader::ReadByte(uint8_t* v) {
  if (p_ == end_) return false;
  *v = *p_++;
  return true;
}

bool ByteReader::ReadUvarint(uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p_ == end_) return false;
    uint64_t byte = *p_++;
    // The tenth byte may only carry the 64th bit.
    if (shift == 63 && byte > 1) return false;
    result |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      *v = result;
      return true;
    }
  }
  return false;
}

bool ByteReader::ReadZvarint(int64_t* v) {
  uint64_t u;
  if (!ReadUvarint(&u)) return false;
  *v = UnZigZag(u);
  return true;
}

bool ByteReader::ReadFixed64(uint64_t* v) {
  if (end_ - p_ < 8) return false;
  uint64_t result = 0;
  for (int i = 0; i < 8; ++i) result |= uint64_t{p_[i]} << (8 * i);
  p_ += 8;
  *v = result;
  return true;
}

void BitWriter::Finish() {
  for (; used_ > 0; used_ -= 8) {
    out_->push_back(static_cast<char>(acc_));
    acc_ >>= 8;
  }
  acc_ = 0;
  used_ = 0;
}

void BitReader::RefillNearEnd() {
  while (available_ < 56) {  // Ends at 56 to 63 bits, as Refill does.
    if (p_ < end_) {
      buffer_ |= uint64_t{*p_++} << available_;
    } else {
      zeros_past_end_ += 8;
    }
    available_ += 8;
  }
}

bool BitReader::padding_is_zero() {
  int padding = static_cast<int>((8 - position() % 8) % 8);
  return LowBits(buffer_, padding) == 0;
}

}  // namespace argus::tsdb
