#include "tsdb/chunkenc/xor_reference.h"

#include <bit>

#include "tsdb/chunkenc/bit_io.h"

namespace argus::tsdb {
namespace {

// Delta-of-delta buckets: a prefix of ones ended by a zero, then a value of this many bits; the
// last bucket (four ones, no zero) holds any 64-bit value.
constexpr int kBucketBits[] = {14, 17, 20};

void WriteDoD(BitWriter& bits, int64_t dod) {
  if (dod == 0) {
    bits.Write(0, 1);
    return;
  }
  for (int b = 0; b < 3; ++b) {
    int n = kBucketBits[b];
    if (dod >= -(int64_t{1} << (n - 1)) + 1 && dod <= int64_t{1} << (n - 1)) {
      bits.Write((uint64_t{1} << (b + 1)) - 1, b + 2);  // b+1 ones and a zero.
      bits.Write(LowBits(static_cast<uint64_t>(dod), n), n);
      return;
    }
  }
  bits.Write(0b1111, 4);
  bits.Write(static_cast<uint64_t>(dod), 64);
}

int64_t ReadDoD(BitReader& bits) {
  int ones = 0;
  while (ones < 4 && bits.Read(1) == 1) ++ones;
  if (ones == 0) return 0;
  if (ones == 4) return static_cast<int64_t>(bits.Read(64));
  int n = kBucketBits[ones - 1];
  uint64_t raw = bits.Read(n);
  // Sign-extend, and map the top value to the positive end as the writer's range does.
  auto value = static_cast<int64_t>(raw << (64 - n)) >> (64 - n);
  if (value == -(int64_t{1} << (n - 1))) value = int64_t{1} << (n - 1);
  return value;
}

}  // namespace

void EncodeXorChunk(std::span<const int64_t> t, std::span<const double> v, std::string* out) {
  PutUvarint(t.size(), out);
  PutZvarint(t[0], out);
  PutFixed64(std::bit_cast<uint64_t>(v[0]), out);
  BitWriter bits(out);
  int64_t delta = 0;
  uint64_t previous = std::bit_cast<uint64_t>(v[0]);
  int leading = 0xff;
  int trailing = 0;
  for (size_t i = 1; i < t.size(); ++i) {
    int64_t d = t[i] - t[i - 1];
    if (i == 1) {  // A varint, byte by byte.
      for (uint64_t u = static_cast<uint64_t>(d);; u >>= 7) {
        bits.Write((u & 0x7f) | (u >= 0x80 ? 0x80 : 0), 8);
        if (u < 0x80) break;
      }
    } else {
      WriteDoD(bits, d - delta);
    }
    delta = d;
    uint64_t x = std::bit_cast<uint64_t>(v[i]) ^ previous;
    previous ^= x;
    if (x == 0) {
      bits.Write(0, 1);
      continue;
    }
    int lead = std::min(std::countl_zero(x), 31);
    int trail = std::countr_zero(x);
    if (leading != 0xff && lead >= leading && trail >= trailing) {
      bits.Write(0b01, 2);
      int n = 64 - leading - trailing;
      bits.Write(LowBits(x >> trailing, n), n);
      continue;
    }
    leading = lead;
    trailing = trail;
    int n = 64 - lead - trail;
    bits.Write(0b11, 2);
    bits.Write(static_cast<uint64_t>(lead), 5);
    bits.Write(static_cast<uint64_t>(n & 63), 6);
    bits.Write(x >> trail, n);
  }
  bits.Finish();
}

void DecodeXorChunk(const std::string& chunk, std::vector<int64_t>* t, std::vector<double>* v) {
  auto* begin = reinterpret_cast<const uint8_t*>(chunk.data());
  ByteReader in(begin, begin + chunk.size());
  uint64_t n = 0;
  int64_t t0 = 0;
  uint64_t previous = 0;
  (void)(in.ReadUvarint(&n) && in.ReadZvarint(&t0) && in.ReadFixed64(&previous));
  t->resize(n);
  v->resize(n);
  (*t)[0] = t0;
  (*v)[0] = std::bit_cast<double>(previous);
  BitReader bits(in.position(), in.end());
  int64_t delta = 0;
  int leading = 0;
  int trailing = 0;
  for (size_t i = 1; i < n; ++i) {
    if (i == 1) {
      uint64_t u = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        uint64_t byte = bits.Read(8);
        u |= (byte & 0x7f) << shift;
        if (byte < 0x80) break;
      }
      delta = static_cast<int64_t>(u);
    } else {
      delta += ReadDoD(bits);
    }
    (*t)[i] = (*t)[i - 1] + delta;
    if (bits.Read(1) == 1) {
      if (bits.Read(1) == 1) {
        leading = static_cast<int>(bits.Read(5));
        int width = static_cast<int>(bits.Read(6));
        trailing = 64 - leading - (width == 0 ? 64 : width);
      }
      previous ^= bits.Read(64 - leading - trailing) << trailing;
    }
    (*v)[i] = std::bit_cast<double>(previous);
  }
}

}  // namespace argus::tsdb
