// Pins the bytes of small sealed chunks, field by field as docs/format/chunks.md describes them,
// so that an accidental change of the format fails here. A deliberate change needs a new
// encoding byte (old chunks stay readable) and new examples.

#include <gtest/gtest.h>

#include <string>

#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/chunk_testing.h"
#include "tsdb/chunkenc/open_chunk.h"

namespace argus::tsdb {
namespace {

std::string FromHex(std::string_view hex) {
  std::string bytes;
  for (size_t i = 0; i < hex.size();) {
    if (hex[i] == ' ') {
      ++i;
      continue;
    }
    bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    i += 2;
  }
  return bytes;
}

void ExpectBytes(const std::vector<int64_t>& t, const std::vector<double>& v,
                 std::string_view hex) {
  std::string chunk;
  ASSERT_TRUE(EncodeChunk(t, v, &chunk).ok());
  EXPECT_EQ(chunk, FromHex(hex));
  std::vector<int64_t> decoded_t;
  std::vector<double> decoded_v;
  Status status = DecodeChunk(FromHex(hex), &decoded_t, &decoded_v);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(decoded_t, t);
  EXPECT_TRUE(SameBits(v, decoded_v));
}

const double kStale = FromBits(0x7ff0000000000002);

TEST(ChunkFormatTest, OneSample) {
  ExpectBytes({1000}, {1},
              "01"                         // encoding 1
              "01"                         // 1 sample
              "d0 0f"                      // t0 = zigzag 2000: 1000
              "00"                         // values: constant
              "00 00 00 00 00 00 f0 3f");  // the bits of 1.0
}

TEST(ChunkFormatTest, DecimalGaugeAtRegularSteps) {
  ExpectBytes({1000, 16000, 31000, 46000}, {0.37, 0.5, 0.41, 0.41},
              "01 04 d0 0f"  // encoding, 4 samples, t0 = 1000
              "00 b0 ea 01"  // deltas: constant stream, base zigzag 30000: 15000
              "01 02"        // values: decimal, order 0, scale 2: 37 50 41 41
              "03 4a 01"     // flagged Rice, unsigned, base zigzag 74: 37, factor 1
              "02 04"        // k 2, escape width 4; entries x - 37: 0 13 4 4, as a zero
              "1e dd"        // flag or a one and the code of entry - 1: 0, 1 1110 00, 1 0 11,
                             // 1 0 11 (q ones, a zero, k low bits)
              "00");         // no exceptions
}

TEST(ChunkFormatTest, JitteredCounterWithAStalenessMarker) {
  ExpectBytes({1000, 16000, 31003, 46000, 61000, 76000}, {10, 12, 14, kStale, 16, 18},
              "01 06 d0 0f"
              // Deltas 15000 15003 14997 15000 15000: flagged Rice, signed, base 15000,
              // factor 3, k 0, width 2; entries 0 2 1 0 0: 0, 1 10, 1 0, 0, 0.
              "07 b0 ea 01 03 00 02 16"
              // Decimal, order 0, scale 0; the marker's integer repeats 14. Flagged Rice,
              // signed, base 14, factor 2, k 0, width 3; entries zigzag((x - 14) / 2):
              // 3 1 0 0 2 4 as 1 110, 1 0, 0, 0, 1 10, 1 1110.
              "01 00 07 1c 02 00 03 17 7b"
              "01 03 02 00 00 00 00 00 f0 7f");  // 1 exception, at index 3: the marker's bits
}

TEST(ChunkFormatTest, BinaryFractionsAsOrderedBits) {
  ExpectBytes({0, 10, 20, 30}, {1.0 / 3, 2.0 / 3, 1.0, 4.0 / 3},
              "01 04 00"                    // t0 = 0
              "00 14"                       // deltas: constant 10
              "0a"                          // values: float bits, order 2
              "aa d5 aa d5 aa d5 aa d5 7f"  // x0 = zigzag of the bits of 1/3
              "80 80 80 80 80 80 80 10"     // d1 = zigzag(2^52): one binade up
              // Deltas of deltas -0x5555555555555 and -0x5555555555556: sparse, unsigned,
              // base -0x5555555555556, factor 1; 1 entry: gap 0, entry 1.
              "02 ab d5 aa d5 aa d5 aa 05 01"
              "01 00 01");
}

TEST(ChunkFormatTest, MemoryInPages) {
  ExpectBytes({0, 10, 20, 30, 40, 50, 60, 70},
              {4096 * 100, 4096 * 103, 4096 * 101, 4096 * 101, 4096 * 104, 4096 * 99, 4096 * 100,
               4096 * 100},
              "01 08 00 00 14"
              "01 00"        // decimal, order 0, scale 0
              "01 80 c0 31"  // Rice, unsigned, base zigzag 811008: 405504 = 99 pages
              "80 20"        // factor 4096
              "01 03"        // k 1, width 3; entries 1 4 2 2 5 0 1 1
              "4e b2 28"     // 0 1, 110 0, 10 0, 10 0, 110 1, 0 0, 0 1, 0 1
              "00");
}

TEST(ChunkFormatTest, BucketCounterThatRarelyMoves) {
  ExpectBytes({0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110},
              {7, 7, 7, 8, 8, 8, 8, 10, 10, 10, 11, 11},
              "01 0c 00 00 14"
              "05 00 0e"  // decimal, order 1, scale 0, x0 = 7
              "01 00 01"  // Rice, unsigned, base 0, factor 1
              "00 02"     // k 0, width 2; deltas 0 0 1 0 0 0 2 0 0 1 0
              "84 11"     // 0 0 10 0 0 0 110 0 0 10 0, padding
              "00");
}

// The open chunk snapshot of docs/format/chunks.md: three samples a second apart, the last one
// late by 5 ms and of another value.
TEST(ChunkFormatTest, OpenChunkSnapshot) {
  OpenChunk chunk;
  chunk.Append(1000, 1);
  chunk.Append(2000, 1);
  chunk.Append(3005, 3);
  std::string snapshot;
  chunk.AppendSnapshot(&snapshot);
  EXPECT_EQ(snapshot, FromHex("01"        // version 1
                              "03"        // 3 samples
                              "d0 0f"     // min_time zigzag 2000: 1000
                              "d5 0f"     // max_time - min_time: 2005
                              "d0 0f"     // step zigzag 2000: 1000
                              "03"        // the last value as a coded integer: 3
                              "00"        // scale 0 (decimal integers)
                              "00"        // shift 0
                              "0c"        // width average 12
                              "18"        // 24 bits of stream
                              "04 da 7a"  // the stream
                              ));
  auto restored = OpenChunk::Restore(snapshot);
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  std::vector<int64_t> t;
  std::vector<double> v;
  restored->Decode(&t, &v);
  EXPECT_EQ(t, (std::vector<int64_t>{1000, 2000, 3005}));
  EXPECT_EQ(v, (std::vector<double>{1, 1, 3}));
}

}  // namespace
}  // namespace argus::tsdb
