// Sealed chunks round-trip every sample bit for bit, over many shapes and the edge cases, and
// the iterator walks and seeks as storage::SampleIterator says.

#include "tsdb/chunkenc/chunk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "tsdb/chunkenc/chunk_testing.h"
#include "tsdb/chunkenc/synthetic_series.h"

namespace argus::tsdb {
namespace {

// Encodes, decodes and walks the samples, checking that all three agree bit for bit; returns
// the encoded size.
size_t RoundTrip(const std::vector<int64_t>& t, const std::vector<double>& v) {
  std::string chunk;
  Status status = EncodeChunk(t, v, &chunk);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(chunk[0], static_cast<char>(ChunkEncoding::kRice));
  std::vector<int64_t> decoded_t;
  std::vector<double> decoded_v;
  status = DecodeChunk(chunk, &decoded_t, &decoded_v);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(decoded_t, t);
  EXPECT_TRUE(SameBits(v, decoded_v));
  ChunkIterator it(chunk);
  size_t i = 0;
  for (; it.Next(); ++i) {
    if (i >= t.size()) break;
    EXPECT_EQ(it.t(), t[i]);
    EXPECT_EQ(Bits(it.v()), Bits(v[i])) << "sample " << i;
  }
  EXPECT_EQ(i, t.size());
  EXPECT_TRUE(it.Err().ok());
  return chunk.size();
}

std::vector<int64_t> Steps(size_t n, int64_t start = 1'700'000'000'000, int64_t step = 15'000) {
  std::vector<int64_t> t(n);
  for (size_t i = 0; i < n; ++i) t[i] = start + static_cast<int64_t>(i) * step;
  return t;
}

TEST(ChunkTest, RoundTripsEverySyntheticShape) {
  for (Timestamps timestamps : {Timestamps::kAligned, Timestamps::kJittered}) {
    for (SeriesShape shape : kAllShapes) {
      for (uint64_t seed = 0; seed < 40; ++seed) {
        SCOPED_TRACE(testing::Message() << ShapeName(shape) << " seed " << seed);
        SyntheticSeries s = GenerateSeries(shape, kTargetChunkSamples, seed, timestamps);
        RoundTrip(s.t, s.v);
      }
    }
  }
}

TEST(ChunkTest, RoundTripsEverySpecialFloatAmongOthers) {
  std::vector<double> special = SpecialFloats();
  // Alone, each one repeated, and inside series of every other kind of value.
  for (double x : special) {
    RoundTrip({1}, {x});
    RoundTrip(Steps(5), {x, x, x, x, x});
    RoundTrip(Steps(6), {1.5, x, 2.25, 3, x, 4});
    RoundTrip(Steps(4), {x, 100, 200, 300});
  }
  RoundTrip(Steps(special.size()), special);
  std::vector<double> reversed(special.rbegin(), special.rend());
  RoundTrip(Steps(reversed.size()), reversed);
}

TEST(ChunkTest, TellsTheStalenessMarkerFromOtherNaNs) {
  const double stale = FromBits(0x7ff0000000000002);
  const double nan = FromBits(0x7ff8000000000001);
  std::vector<double> v = {1, stale, 2, nan, 3, stale, stale, nan};
  std::string chunk;
  ASSERT_TRUE(EncodeChunk(Steps(v.size()), v, &chunk).ok());
  std::vector<int64_t> t;
  std::vector<double> decoded;
  ASSERT_TRUE(DecodeChunk(chunk, &t, &decoded).ok());
  EXPECT_EQ(Bits(decoded[1]), 0x7ff0000000000002u);
  EXPECT_EQ(Bits(decoded[3]), 0x7ff8000000000001u);
  EXPECT_EQ(Bits(decoded[6]), 0x7ff0000000000002u);
}

// Random bit patterns: every kind of float64, NaNs and denormals included.
TEST(ChunkTest, RoundTripsRandomBitPatterns) {
  TestRandom random(42);
  auto next = [&] { return random.Next(); };
  for (int round = 0; round < 200; ++round) {
    size_t n = 1 + next() % 300;
    std::vector<double> v(n);
    for (double& x : v) x = FromBits(next());
    std::vector<int64_t> t(n);
    int64_t ts = static_cast<int64_t>(next());
    ts = std::min(ts, std::numeric_limits<int64_t>::max() - static_cast<int64_t>(n) * 1'000'000);
    for (int64_t& x : t) ts = x = ts + 1 + static_cast<int64_t>(next() % 1'000'000);
    RoundTrip(t, v);
  }
}

TEST(ChunkTest, RoundTripsNonMonotonicAndMixedScaleValues) {
  RoundTrip(Steps(8), {5, 3, 8, -2, 0, 1e6, -1e6, 7});
  RoundTrip(Steps(6), {0.5, 0.25, 0.125, 1e-10, 123456.789, -0.001});
  // A decimal scale that makes early large values too large for 53 bits.
  RoundTrip(Steps(4), {1e15, 2e15, 0.001, 3e15});
  // Integers past 2^53 and a counter that resets.
  RoundTrip(Steps(5), {1.8e19, 1.9e19, 0, 10, 1.7e308});
  std::vector<double> reset(200);
  for (size_t i = 0; i < reset.size(); ++i) reset[i] = static_cast<double>((i % 77) * 4096);
  RoundTrip(Steps(reset.size()), reset);
}

TEST(ChunkTest, RoundTripsTimestampEdges) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  RoundTrip({kMin}, {1});
  RoundTrip({kMax}, {1});
  RoundTrip({kMin, kMax}, {1, 2});
  RoundTrip({kMin, 0, kMax}, {1, 2, 3});
  RoundTrip({kMin, kMin + 1, kMax - 1, kMax}, {1, 2, 3, 4});
  RoundTrip({-5'000, -4'000, -1, 0, 1}, {1, 2, 3, 4, 5});
  RoundTrip({0, 1, 2, 3, 1'000'000'000'000, 1'000'000'000'001}, {1, 1, 1, 1, 1, 1});
  // A missed scrape, jitter, and a gap of a year in otherwise regular steps.
  std::vector<int64_t> t = Steps(100);
  for (size_t i = 30; i < t.size(); ++i) t[i] += 15'000;
  t[50] += 3;
  for (size_t i = 70; i < t.size(); ++i) t[i] += 31'536'000'000;
  RoundTrip(t, std::vector<double>(t.size(), 1));
}

TEST(ChunkTest, RoundTripsFromOneToTheMostSamples) {
  for (size_t n : {1, 2, 3, 4, 7, 8, 9, 63, 64, 65, 479, 480, 481, 4096}) {
    SyntheticSeries s = GenerateSeries(SeriesShape::kByteCounter, static_cast<int>(n), n);
    RoundTrip(s.t, s.v);
  }
  std::vector<int64_t> t = Steps(kMaxChunkSamples);
  std::vector<double> v(t.size());
  std::iota(v.begin(), v.end(), 0.25);
  RoundTrip(t, v);
}

TEST(ChunkTest, RefusesInvalidInput) {
  std::string out = "kept";
  auto expect_invalid = [&](std::vector<int64_t> t, std::vector<double> v) {
    Status status = EncodeChunk(t, v, &out);
    EXPECT_EQ(status.code(), Status::Code::kInvalidInput) << status.message();
    EXPECT_EQ(out, "kept");
  };
  expect_invalid({}, {});
  expect_invalid({1, 2}, {1});
  expect_invalid({2, 1}, {1, 1});
  expect_invalid({1, 1}, {1, 1});
  expect_invalid(Steps(kMaxChunkSamples + 1), std::vector<double>(kMaxChunkSamples + 1));
}

TEST(ChunkTest, AppendsToWhatTheOutputHolds) {
  std::string out = "prefix";
  ASSERT_TRUE(EncodeChunk(Steps(3), std::vector<double>{1, 2, 3}, &out).ok());
  std::string alone;
  ASSERT_TRUE(EncodeChunk(Steps(3), std::vector<double>{1, 2, 3}, &alone).ok());
  EXPECT_EQ(out, "prefix" + alone);
}

// The shapes the format is built for stay within their budgets (bytes per sample at 480
// samples, averaged over seeds); a change that loses a trick fails here.
TEST(ChunkTest, CompressesEachShapeWithinItsBudget) {
  struct Budget {
    SeriesShape shape;
    double bytes_per_sample;
  };
  constexpr Budget kBudgets[] = {
      {SeriesShape::kConstant, 0.12},    {SeriesShape::kHistogramBucket, 0.5},
      {SeriesShape::kDecimalGauge, 0.9}, {SeriesShape::kMemoryGauge, 0.9},
      {SeriesShape::kByteCounter, 2.2},  {SeriesShape::kCpuSeconds, 4.5},
  };
  for (const Budget& budget : kBudgets) {
    double bytes = 0;
    constexpr int kSeeds = 50;
    for (int seed = 0; seed < kSeeds; ++seed) {
      SyntheticSeries s = GenerateSeries(budget.shape, kTargetChunkSamples, seed);
      std::string chunk;
      ASSERT_TRUE(EncodeChunk(s.t, s.v, &chunk).ok());
      bytes += static_cast<double>(chunk.size());
    }
    EXPECT_LT(bytes / (kSeeds * kTargetChunkSamples), budget.bytes_per_sample)
        << ShapeName(budget.shape);
  }
}

TEST(ChunkIteratorTest, SeeksToTheFirstSampleAtOrAfter) {
  std::string chunk;
  ASSERT_TRUE(
      EncodeChunk(std::vector<int64_t>{10, 20, 30, 40}, std::vector<double>{1, 2, 3, 4}, &chunk)
          .ok());
  ChunkIterator it(chunk);
  ASSERT_TRUE(it.Seek(15));  // Before the first Next.
  EXPECT_EQ(it.t(), 20);
  EXPECT_EQ(it.v(), 2);
  ASSERT_TRUE(it.Seek(5));  // Backwards stays put.
  EXPECT_EQ(it.t(), 20);
  ASSERT_TRUE(it.Seek(20));
  EXPECT_EQ(it.t(), 20);
  ASSERT_TRUE(it.Seek(40));
  EXPECT_EQ(it.t(), 40);
  EXPECT_FALSE(it.Next());
  EXPECT_FALSE(it.Seek(0));
  EXPECT_TRUE(it.Err().ok());

  it.Reset(chunk);
  ASSERT_TRUE(it.Seek(10));
  EXPECT_EQ(it.t(), 10);
  ASSERT_TRUE(it.Next());
  EXPECT_EQ(it.t(), 20);
  EXPECT_FALSE(it.Seek(41));
  EXPECT_FALSE(it.Next());

  it.Reset(chunk);
  ASSERT_TRUE(it.Seek(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(it.t(), 10);
}

TEST(ChunkIteratorTest, SeeksOverALongChunkLikeALinearWalk) {
  SyntheticSeries s = GenerateSeries(SeriesShape::kDecimalGauge, 2000, 7, Timestamps::kJittered);
  std::string chunk;
  ASSERT_TRUE(EncodeChunk(s.t, s.v, &chunk).ok());
  ChunkIterator it(chunk);
  size_t expected = 0;
  for (int64_t target = s.t.front() - 1000; target < s.t.back() + 1000; target += 7'777) {
    while (expected < s.t.size() && s.t[expected] < target) ++expected;
    bool found = it.Seek(target);
    ASSERT_EQ(found, expected < s.t.size()) << target;
    if (!found) break;
    EXPECT_EQ(it.t(), s.t[expected]);
    EXPECT_EQ(Bits(it.v()), Bits(s.v[expected]));
  }
}

TEST(ChunkIteratorTest, ReportsACorruptChunkThroughErr) {
  ChunkIterator it(std::string_view("\x01\x05", 2));
  EXPECT_FALSE(it.Next());
  EXPECT_EQ(it.Err().code(), Status::Code::kCorruption);
  EXPECT_FALSE(it.Seek(0));
  std::string chunk;
  ASSERT_TRUE(EncodeChunk(std::vector<int64_t>{1}, std::vector<double>{2}, &chunk).ok());
  it.Reset(chunk);
  ASSERT_TRUE(it.Next());
  EXPECT_TRUE(it.Err().ok());
  EXPECT_EQ(it.v(), 2);
}

}  // namespace
}  // namespace argus::tsdb
