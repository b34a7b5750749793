// Residual streams pick the layout that suits the residuals and read back exactly what they
// wrote, down to the extremes of int64.

#include "tsdb/chunkenc/residual_stream.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace argus::tsdb {
namespace {

using Layout = StreamPlan::Layout;

// Writes the residuals as PlanStream chooses, reads them back and returns the plan.
StreamPlan RoundTrip(const std::vector<int64_t>& residuals) {
  StreamPlan plan = PlanStream(residuals);
  std::string bytes = "head";
  WriteStream(residuals, plan, &bytes);
  bytes += "tail";
  auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  ByteReader in(begin, begin + bytes.size());
  in.Skip(begin + 4);
  std::vector<int64_t> read(residuals.size());
  Status status = ReadStream(&in, std::span<int64_t>(read));
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(read, residuals);
  EXPECT_EQ(bytes.size() - in.offset(), 4u) << "the stream must end where it was written";
  // Rice sizes are estimates (from the entries' widths), good to a few percent.
  double actual = 8.0 * static_cast<double>(bytes.size() - 8);
  EXPECT_NEAR(static_cast<double>(plan.bits), actual, 16 + actual / 20);
  return plan;
}

TEST(ResidualStreamTest, ConstantResidualsTakeOnlyTheHeader) {
  StreamPlan plan = RoundTrip(std::vector<int64_t>(479, 15'000));
  EXPECT_EQ(plan.layout, Layout::kConstant);
  EXPECT_EQ(plan.base, 15'000);
  RoundTrip({std::numeric_limits<int64_t>::min()});
}

TEST(ResidualStreamTest, FewExceptionsMakeASparseList) {
  std::vector<int64_t> r(479, 30'000);
  r[17] = 30'003;
  r[18] = 29'997;
  r[400] = 60'000;
  StreamPlan plan = RoundTrip(r);
  EXPECT_EQ(plan.layout, Layout::kSparse);
  EXPECT_EQ(plan.base, 30'000);
  EXPECT_LT(plan.bits, 8 * 16u);
}

TEST(ResidualStreamTest, MostlyZerosTakeAFlagEach) {
  std::vector<int64_t> r(480);
  for (size_t i = 0; i < r.size(); i += 3) r[i] = static_cast<int64_t>(1 + i % 5);
  StreamPlan plan = RoundTrip(r);
  EXPECT_EQ(plan.layout, Layout::kFlaggedRice);
  EXPECT_FALSE(plan.is_signed);
}

TEST(ResidualStreamTest, DenseResidualsAreRiceCodedWithTheirCommonFactor) {
  std::vector<int64_t> r(480);
  for (size_t i = 0; i < r.size(); ++i) r[i] = 4096 * static_cast<int64_t>(1000 + (i * 7919) % 200);
  StreamPlan plan = RoundTrip(r);
  EXPECT_EQ(plan.layout, Layout::kRice);
  EXPECT_EQ(plan.factor, 4096u);
  EXPECT_EQ(plan.base, 4096 * 1000);
  EXPECT_FALSE(plan.is_signed);
}

TEST(ResidualStreamTest, AnOutlierBelowMakesTheBaseTheMedianAndEscapes) {
  // Counter deltas around 10,000 and one reset far below.
  std::vector<int64_t> r(480);
  for (size_t i = 0; i < r.size(); ++i) r[i] = 10'000 + static_cast<int64_t>((i * 37) % 101);
  r[200] = -123'456'789'012;
  StreamPlan plan = RoundTrip(r);
  EXPECT_TRUE(plan.is_signed);
  EXPECT_GE(plan.base, 10'000);
  EXPECT_LT(plan.bits, 8 * 600u);  // About 9 bits an entry, not 38.
}

TEST(ResidualStreamTest, ExtremesRoundTrip) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  RoundTrip({kMin, kMax});
  RoundTrip({kMax, kMin, 0, -1, 1});
  RoundTrip({0, kMax, kMax, kMax});
  RoundTrip({kMin, kMin, kMin + 2});
  std::vector<int64_t> wide(100);
  for (size_t i = 0; i < wide.size(); ++i)
    wide[i] = (i % 2 ? kMin : kMax) / static_cast<int64_t>(i + 1);
  RoundTrip(wide);
}

}  // namespace
}  // namespace argus::tsdb
