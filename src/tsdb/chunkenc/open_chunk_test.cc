// The open chunk keeps every sample bit for bit while it re-codes itself, seals to exactly the
// bytes EncodeChunk writes, and stays within its memory budget.

#include "tsdb/chunkenc/open_chunk.h"

#include <gtest/gtest.h>

#include <limits>

#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/chunk_testing.h"
#include "tsdb/chunkenc/synthetic_series.h"

namespace argus::tsdb {
namespace {

OpenChunk Fill(const std::vector<int64_t>& t, const std::vector<double>& v) {
  OpenChunk chunk;
  for (size_t i = 0; i < t.size(); ++i) chunk.Append(t[i], v[i]);
  return chunk;
}

// Checks after every append that the chunk holds exactly the samples so far, through Decode
// and the iterator, and that it seals to the bytes of EncodeChunk.
void ExpectHoldsAfterEachAppend(const std::vector<int64_t>& t, const std::vector<double>& v) {
  OpenChunk chunk;
  std::vector<int64_t> decoded_t;
  std::vector<double> decoded_v;
  for (size_t n = 1; n <= t.size(); ++n) {
    chunk.Append(t[n - 1], v[n - 1]);
    ASSERT_EQ(chunk.num_samples(), static_cast<int>(n));
    EXPECT_EQ(chunk.min_time(), t[0]);
    EXPECT_EQ(chunk.max_time(), t[n - 1]);
    chunk.Decode(&decoded_t, &decoded_v);
    std::span<const int64_t> want_t(t.data(), n);
    std::span<const double> want_v(v.data(), n);
    ASSERT_TRUE(std::equal(want_t.begin(), want_t.end(), decoded_t.begin(), decoded_t.end()))
        << "after " << n << " samples";
    ASSERT_TRUE(SameBits(want_v, decoded_v)) << "after " << n << " samples";
    OpenChunkIterator it(chunk);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_TRUE(it.Next());
      ASSERT_EQ(it.t(), t[i]);
      ASSERT_EQ(Bits(it.v()), Bits(v[i]));
    }
    ASSERT_FALSE(it.Next());
  }
  std::string sealed;
  chunk.Seal(&sealed);
  std::string encoded;
  ASSERT_TRUE(EncodeChunk(t, v, &encoded).ok());
  EXPECT_EQ(sealed, encoded);
}

std::vector<int64_t> Steps(size_t n) {
  std::vector<int64_t> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = 1'700'000'000'000 + static_cast<int64_t>(i) * 30'000;
  return t;
}

TEST(OpenChunkTest, HoldsEverySyntheticShape) {
  for (Timestamps timestamps : {Timestamps::kAligned, Timestamps::kJittered}) {
    for (SeriesShape shape : kAllShapes) {
      for (uint64_t seed = 0; seed < 2; ++seed) {
        SCOPED_TRACE(testing::Message() << ShapeName(shape) << " seed " << seed);
        SyntheticSeries s = GenerateSeries(shape, 150, seed, timestamps);
        ExpectHoldsAfterEachAppend(s.t, s.v);
      }
    }
  }
}

TEST(OpenChunkTest, RecodesWhenASampleNeedsWiderCoding) {
  // More decimals each time; then a binary fraction that no decimal scale fits.
  ExpectHoldsAfterEachAppend(Steps(6), {1, 0.5, 0.25, 0.125, 0.0625, 1.0 / 3});
  // Multiples of 4096, then of 512, then odd; large values that a wider scale pushes past 2^53.
  ExpectHoldsAfterEachAppend(Steps(6), {4096, 8192, 8192 + 512, 8192 + 513, 7, 7});
  ExpectHoldsAfterEachAppend(Steps(4), {4e15, 4.5e15, 0.001, 5e15});
  // Exceptions first, in between and last.
  const double stale = FromBits(0x7ff0000000000002);
  ExpectHoldsAfterEachAppend(Steps(7), {stale, -0.0, 3, stale, 3, 3.5, stale});
  ExpectHoldsAfterEachAppend(Steps(4), {stale, stale, stale, 1.0 / 3});
}

TEST(OpenChunkTest, HoldsSpecialFloatsAndTimestampEdges) {
  std::vector<double> special = SpecialFloats();
  ExpectHoldsAfterEachAppend(Steps(special.size()), special);
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  ExpectHoldsAfterEachAppend({kMin, kMin + 1, -1, 0, 5'000'000'000, kMax}, {1, 2, 3, 4, 5, 6});
  ExpectHoldsAfterEachAppend({10, 20, 31, 40, 90, 100, 110}, {1, 1, 1, 1, 1, 1, 1});
}

TEST(OpenChunkTest, HoldsTheMostSamples) {
  std::vector<int64_t> t(kMaxChunkSamples);
  std::vector<double> v(kMaxChunkSamples);
  for (int i = 0; i < kMaxChunkSamples; ++i) {
    t[i] = int64_t{i} * 15'000 + (i % 7 == 0 ? 3 : 0);
    v[i] = i % 11 == 0 ? 1e300 : i * 0.25;
  }
  OpenChunk chunk = Fill(t, v);
  EXPECT_EQ(chunk.num_samples(), kMaxChunkSamples);
  std::vector<int64_t> decoded_t;
  std::vector<double> decoded_v;
  chunk.Decode(&decoded_t, &decoded_v);
  EXPECT_EQ(decoded_t, t);
  EXPECT_TRUE(SameBits(v, decoded_v));
  EXPECT_DEATH(chunk.Append(t.back() + 1, 1), "CHECK failed");
}

TEST(OpenChunkTest, RefusesSamplesOutOfOrder) {
  OpenChunk chunk;
  chunk.Append(100, 1);
  EXPECT_DEATH(chunk.Append(100, 2), "CHECK failed");
  EXPECT_DEATH(chunk.Append(99, 2), "CHECK failed");
}

TEST(OpenChunkTest, CopiesAreDeepAndMovesEmptyTheSource) {
  SyntheticSeries s = GenerateSeries(SeriesShape::kMemoryGauge, 100, 3);
  OpenChunk original = Fill(s.t, s.v);
  OpenChunk copy = original;
  original.Append(s.t.back() + 1, 0.5);  // Re-codes the original at scale 1.
  std::vector<int64_t> t;
  std::vector<double> v;
  copy.Decode(&t, &v);
  EXPECT_EQ(t, s.t);
  EXPECT_TRUE(SameBits(s.v, v));

  OpenChunk moved = std::move(copy);
  EXPECT_EQ(moved.num_samples(), 100);
  EXPECT_TRUE(copy.empty());  // NOLINT: the moved-from state is specified.
  copy.Append(5, 5);
  copy.Decode(&t, &v);
  EXPECT_EQ(t, std::vector<int64_t>{5});
  copy = moved;
  EXPECT_EQ(copy.num_samples(), 100);
}

TEST(OpenChunkIteratorTest, SeeksForwardOnly) {
  OpenChunk chunk = Fill({10, 20, 30, 40}, {1, 2, 3, 4});
  OpenChunkIterator it(chunk);
  ASSERT_TRUE(it.Seek(15));
  EXPECT_EQ(it.t(), 20);
  EXPECT_EQ(it.v(), 2);
  ASSERT_TRUE(it.Seek(0));
  EXPECT_EQ(it.t(), 20);
  ASSERT_TRUE(it.Next());
  EXPECT_EQ(it.t(), 30);
  ASSERT_TRUE(it.Seek(40));
  EXPECT_EQ(it.v(), 4);
  EXPECT_FALSE(it.Seek(41));
  EXPECT_FALSE(it.Next());
  EXPECT_TRUE(it.Err().ok());
  OpenChunk empty;
  EXPECT_FALSE(OpenChunkIterator(empty).Next());
}

// The head's budget: a million series in about 350 bytes each, of which the open chunk with 60
// realistic samples must take well under 150 (object and buffer, plus the allocator's header).
TEST(OpenChunkTest, StaysWithinTheHeadsMemoryBudget) {
  constexpr int kSeries = 500;
  double bytes_60 = 0;
  double sealed_bytes = 0;
  double open_bytes = 0;
  for (int i = 0; i < kSeries; ++i) {
    SyntheticSeries s = GenerateSeries(MixShape(i), kTargetChunkSamples, i);
    OpenChunk chunk;
    for (int j = 0; j < kTargetChunkSamples; ++j) {
      chunk.Append(s.t[j], s.v[j]);
      if (j + 1 == 60) bytes_60 += static_cast<double>(chunk.MemoryBytes() + 8);
    }
    open_bytes += static_cast<double>(chunk.MemoryBytes() - sizeof(OpenChunk));
    std::string sealed;
    chunk.Seal(&sealed);
    sealed_bytes += static_cast<double>(sealed.size());
  }
  EXPECT_LE(sizeof(OpenChunk), 48u);
  EXPECT_LT(bytes_60 / kSeries, 135);
  // The open stream stays near the sealed format's size.
  EXPECT_LT(open_bytes, 1.6 * sealed_bytes);
}

TEST(OpenChunkTest, GrowsItsBufferInSmallSteps) {
  OpenChunk chunk;
  size_t previous = chunk.MemoryBytes();
  SyntheticSeries s = GenerateSeries(SeriesShape::kCpuSeconds, kTargetChunkSamples, 1);
  for (size_t i = 0; i < s.t.size(); ++i) {
    chunk.Append(s.t[i], s.v[i]);
    size_t now = chunk.MemoryBytes();
    EXPECT_LE(now - previous, now < 256 ? 32u : 160u) << "after " << i + 1 << " samples";
    previous = now;
  }
}

}  // namespace
}  // namespace argus::tsdb
