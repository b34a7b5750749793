// Bits and varints read back as written, at every width and up to the last byte, and readers
// report running past the end instead of reading there.

#include "tsdb/chunkenc/bit_io.h"

#include <gtest/gtest.h>

#include <vector>

#include "tsdb/chunkenc/chunk_testing.h"

namespace argus::tsdb {
namespace {

TEST(BitIoTest, BitsOfEveryWidthReadBackUpToTheLastByte) {
  TestRandom random(1);
  auto next = [&] { return random.Next(); };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::pair<uint64_t, int>> written;
    std::string bytes;
    BitWriter writer(&bytes);
    int count = static_cast<int>(next() % 40);
    for (int i = 0; i < count; ++i) {
      int width = static_cast<int>(next() % 65);
      uint64_t value = LowBits(next(), width);
      writer.Write(value, width);
      written.emplace_back(value, width);
    }
    writer.Finish();
    // An exact copy, so that a read past the end is an AddressSanitizer error.
    std::vector<uint8_t> exact(bytes.begin(), bytes.end());
    BitReader reader(exact.data(), exact.data() + exact.size());
    for (auto [value, width] : written) ASSERT_EQ(reader.Read(width), value);
    EXPECT_FALSE(reader.overrun());
    EXPECT_TRUE(reader.padding_is_zero());
    EXPECT_EQ(reader.next_byte(), exact.data() + exact.size());
    reader.Read(9);  // Past the padding: zeros, and an overrun.
    EXPECT_TRUE(reader.overrun());
  }
}

TEST(BitIoTest, PeekAfterRefillHoldsAtLeast56BitsAndFewerThan64) {
  std::vector<uint8_t> bytes(20, 0xff);
  for (size_t size = 0; size <= bytes.size(); ++size) {
    BitReader reader(bytes.data(), bytes.data() + size);
    for (int step = 0; step < 30; ++step) {
      reader.Refill();
      ASSERT_GE(reader.available(), 56);
      ASSERT_LT(reader.available(), 64);
      reader.Consume(static_cast<int>(1 + (step * 7) % 40));
    }
  }
}

TEST(BitIoTest, VarintsReadBackAndRefuseOverlongOnes) {
  std::string bytes;
  const uint64_t values[] = {0, 1, 127, 128, 16383, 16384, UINT64_MAX, uint64_t{1} << 63};
  for (uint64_t v : values) PutUvarint(v, &bytes);
  PutZvarint(INT64_MIN, &bytes);
  PutZvarint(-1, &bytes);
  auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  ByteReader in(begin, begin + bytes.size());
  for (uint64_t v : values) {
    uint64_t read;
    ASSERT_TRUE(in.ReadUvarint(&read));
    EXPECT_EQ(read, v);
    EXPECT_EQ(UvarintLength(v), [&] {
      std::string s;
      PutUvarint(v, &s);
      return static_cast<int>(s.size());
    }());
  }
  int64_t signed_value;
  ASSERT_TRUE(in.ReadZvarint(&signed_value));
  EXPECT_EQ(signed_value, INT64_MIN);
  ASSERT_TRUE(in.ReadZvarint(&signed_value));
  EXPECT_EQ(signed_value, -1);
  EXPECT_TRUE(in.at_end());
  uint64_t unused;
  EXPECT_FALSE(in.ReadUvarint(&unused));

  const uint8_t overlong[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  ByteReader past_64_bits(overlong, overlong + sizeof(overlong));
  EXPECT_FALSE(past_64_bits.ReadUvarint(&unused));
  const uint8_t unterminated[] = {0x80, 0x80};
  ByteReader truncated(unterminated, unterminated + sizeof(unterminated));
  EXPECT_FALSE(truncated.ReadUvarint(&unused));
}

}  // namespace
}  // namespace argus::tsdb
