// Decoding never trusts its input: truncated, bit-flipped, padded and hand-made hostile chunks
// return kCorruption saying what and where, and never read out of bounds (the tests run under
// AddressSanitizer) or loop without end.

#include <gtest/gtest.h>

#include "tsdb/chunkenc/bit_io.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/chunk_testing.h"
#include "tsdb/chunkenc/synthetic_series.h"

namespace argus::tsdb {
namespace {

// Chunks that between them use every layout of the format.
std::vector<std::string> SampleChunks() {
  std::vector<std::string> chunks;
  auto add = [&](const std::vector<int64_t>& t, const std::vector<double>& v) {
    Status status = EncodeChunk(t, v, &chunks.emplace_back());
    EXPECT_TRUE(status.ok()) << status.message();
  };
  add({1000}, {1});
  add({1000, 2000, 3000}, {0.5, 0.25, 0.5});
  add({-5, 7, 9, 100}, {1e300, -1e-300, 0.1 + 0.2, 1.0 / 3});
  add({1, 2, 3, 4, 5, 6}, {1, 1, std::bit_cast<double>(uint64_t{0x7ff0000000000002}), 1, 2, 2});
  for (SeriesShape shape : kAllShapes) {
    for (uint64_t seed : {1, 2}) {
      SyntheticSeries s = GenerateSeries(shape, 40, seed, Timestamps::kJittered);
      add(s.t, s.v);
    }
  }
  return chunks;
}

// Decodes `bytes` through both entry points; they must agree, and a success must be sane.
Status Decode(std::string_view bytes) {
  std::vector<int64_t> t;
  std::vector<double> v;
  Status status = DecodeChunk(bytes, &t, &v);
  if (status.ok()) {
    EXPECT_EQ(t.size(), v.size());
    EXPECT_FALSE(t.empty());
    EXPECT_LE(t.size(), static_cast<size_t>(kMaxChunkSamples));
    EXPECT_TRUE(std::is_sorted(t.begin(), t.end()) &&
                std::adjacent_find(t.begin(), t.end()) == t.end());
  } else {
    EXPECT_EQ(status.code(), Status::Code::kCorruption) << status.message();
  }
  ChunkIterator it(bytes);
  size_t n = 0;
  while (it.Next()) ++n;
  EXPECT_EQ(it.Err().ok(), status.ok());
  if (status.ok()) {
    EXPECT_EQ(n, t.size());
  }
  return status;
}

TEST(ChunkCorruptionTest, EveryTruncationIsCorrupt) {
  for (const std::string& chunk : SampleChunks()) {
    for (size_t size = 0; size < chunk.size(); ++size) {
      // A copy of exactly `size` bytes, so that reading past it is an ASan error.
      std::string cut = chunk.substr(0, size);
      Status status = Decode(cut);
      EXPECT_FALSE(status.ok()) << "truncated to " << size << " of " << chunk.size();
    }
  }
}

TEST(ChunkCorruptionTest, TrailingBytesAreCorrupt) {
  for (std::string chunk : SampleChunks()) {
    chunk.push_back('\0');
    Status status = Decode(chunk);
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.message().find("trailing"), std::string::npos) << status.message();
  }
}

TEST(ChunkCorruptionTest, EveryBitFlipDecodesSafely) {
  int caught = 0;
  int flips = 0;
  for (const std::string& chunk : SampleChunks()) {
    for (size_t bit = 0; bit < chunk.size() * 8; ++bit) {
      std::string flipped = chunk;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      caught += !Decode(flipped).ok();
      ++flips;
    }
  }
  // Most flips change values undetectably (the block files' CRCs catch those); the structure
  // around them catches a good share.
  EXPECT_GT(caught, flips / 10);
}

TEST(ChunkCorruptionTest, RandomBytesDecodeSafely) {
  TestRandom random(7);
  for (int round = 0; round < 5000; ++round) {
    std::string bytes(random.Next() % 40, '\0');
    for (char& c : bytes) c = static_cast<char>(random.Next() >> 56);
    if (!bytes.empty() && round % 2 == 0) bytes[0] = static_cast<char>(ChunkEncoding::kRice);
    (void)Decode(bytes);
  }
}

// Builds a chunk byte by byte.
class Bytes {
 public:
  Bytes& Byte(uint8_t b) {
    s_.push_back(static_cast<char>(b));
    return *this;
  }
  Bytes& Uvarint(uint64_t v) {
    PutUvarint(v, &s_);
    return *this;
  }
  Bytes& Fixed64(uint64_t v) {
    PutFixed64(v, &s_);
    return *this;
  }
  const std::string& str() const { return s_; }

 private:
  std::string s_;
};

void ExpectCorrupt(const std::string& bytes, std::string_view what) {
  Status status = Decode(bytes);
  ASSERT_EQ(status.code(), Status::Code::kCorruption) << status.message();
  EXPECT_NE(status.message().find(what), std::string::npos) << status.message();
}

TEST(ChunkCorruptionTest, HostileHeadersSayWhatIsWrong) {
  ExpectCorrupt("", "empty chunk");
  ExpectCorrupt(Bytes().Byte(0x7f).Uvarint(1).str(), "unknown chunk encoding 0x7f");
  ExpectCorrupt(Bytes().Byte(1).Uvarint(0).str(), "sample count 0");
  ExpectCorrupt(Bytes().Byte(1).Uvarint(65536).str(), "sample count 65536");
  // An eleven-byte varint.
  ExpectCorrupt(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),
                "malformed sample count");
  // One sample: first timestamp 0, then a values header of an unknown kind.
  ExpectCorrupt(Bytes().Byte(1).Uvarint(1).Uvarint(0).Byte(0x03).str(), "unknown values header");
  ExpectCorrupt(Bytes().Byte(1).Uvarint(1).Uvarint(0).Byte(0x10).str(), "unknown values header");
  // A decimal scale past 10^22, an order the samples cannot have.
  ExpectCorrupt(Bytes().Byte(1).Uvarint(1).Uvarint(0).Byte(0x01).Byte(23).str(), "decimal scale");
  ExpectCorrupt(Bytes().Byte(1).Uvarint(1).Uvarint(0).Byte(0x05).Byte(0).str(), "order 1 for 1");
}

TEST(ChunkCorruptionTest, HostileStreamsSayWhatIsWrong) {
  // 65535 samples whose timestamp deltas claim Rice codes that the two bytes left cannot hold:
  // the decoder stops at the end instead of reading on.
  Bytes rice;
  rice.Byte(1).Uvarint(65535).Uvarint(0);
  rice.Byte(1).Uvarint(2).Uvarint(1).Byte(63).Byte(64).Byte(0xff).Byte(0xff);
  ExpectCorrupt(rice.str(), "past the end");
  // Deltas that are zero, or that pass the largest timestamp.
  ExpectCorrupt(Bytes().Byte(1).Uvarint(3).Uvarint(0).Byte(0).Uvarint(0).str(),
                "do not strictly increase");
  ExpectCorrupt(Bytes()
                    .Byte(1)
                    .Uvarint(2)
                    .Uvarint(ZigZag(INT64_MAX))
                    .Byte(0)
                    .Uvarint(2)
                    .Byte(0)
                    .Fixed64(0)
                    .str(),
                "do not strictly increase");
  // Stream flags, factor and Rice parameters out of range.
  ExpectCorrupt(Bytes().Byte(1).Uvarint(2).Uvarint(0).Byte(0x08).Uvarint(2).str(), "stream flags");
  ExpectCorrupt(Bytes().Byte(1).Uvarint(2).Uvarint(0).Byte(0x04).Uvarint(2).str(), "stream flags");
  ExpectCorrupt(Bytes().Byte(1).Uvarint(2).Uvarint(0).Byte(0x01).Uvarint(2).Uvarint(0).str(),
                "factor of zero");
  ExpectCorrupt(
      Bytes().Byte(1).Uvarint(2).Uvarint(0).Byte(0x01).Uvarint(2).Uvarint(1).Byte(64).Byte(8).str(),
      "Rice parameters");
  ExpectCorrupt(
      Bytes().Byte(1).Uvarint(2).Uvarint(0).Byte(0x01).Uvarint(2).Uvarint(1).Byte(0).Byte(65).str(),
      "Rice parameters");
  // Non-zero padding after the Rice bits (one entry of zero: a single 0 bit).
  ExpectCorrupt(Bytes()
                    .Byte(1)
                    .Uvarint(2)
                    .Uvarint(0)
                    .Byte(0x01)
                    .Uvarint(2)
                    .Uvarint(1)
                    .Byte(0)
                    .Byte(1)
                    .Byte(0x02)
                    .Byte(0)
                    .Fixed64(0)
                    .str(),
                "padding");
  // Sparse lists: no entries, more entries than residuals, an index past the end, a zero.
  auto sparse = [](uint64_t count, uint64_t gap, uint64_t entry) {
    return Bytes()
        .Byte(1)
        .Uvarint(3)
        .Uvarint(0)
        .Byte(0x02)
        .Uvarint(2)
        .Uvarint(1)
        .Uvarint(count)
        .Uvarint(gap)
        .Uvarint(entry)
        .Byte(0)
        .Fixed64(0)
        .str();
  };
  EXPECT_TRUE(Decode(sparse(1, 1, 1)).ok());
  ExpectCorrupt(sparse(0, 0, 1), "sparse entry count");
  ExpectCorrupt(sparse(3, 0, 1), "sparse entry count");
  ExpectCorrupt(sparse(1, 2, 1), "sparse entry index");
  ExpectCorrupt(sparse(1, 0, 0), "sparse entry of zero");
}

TEST(ChunkCorruptionTest, HostileExceptionsSayWhatIsWrong) {
  // Two samples, decimal values at scale 0 coded as a constant stream of 5, then exceptions.
  auto chunk = [](uint64_t count, uint64_t gap) {
    return Bytes()
        .Byte(1)
        .Uvarint(2)
        .Uvarint(0)
        .Byte(0)
        .Uvarint(2)
        .Byte(0x01)
        .Byte(0)
        .Byte(0)
        .Uvarint(ZigZag(5))
        .Uvarint(count)
        .Uvarint(gap)
        .Fixed64(0x7ff0000000000002)
        .str();
  };
  EXPECT_TRUE(Decode(chunk(1, 1)).ok());
  ExpectCorrupt(chunk(2, 0), "more exceptions than values");
  ExpectCorrupt(chunk(1, 2), "exception index out of range");
}

}  // namespace
}  // namespace argus::tsdb
