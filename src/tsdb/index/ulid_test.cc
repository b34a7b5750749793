#include "tsdb/index/ulid.h"

#include <gtest/gtest.h>

namespace argus::tsdb {
namespace {

TEST(UlidTest, TextForm) {
  // The example of the ULID specification: time 1469918176385, all-zero randomness.
  Ulid u = Ulid::FromParts(1469918176385, {});
  EXPECT_EQ(u.ToString(), "01ARYZ6S410000000000000000");
  EXPECT_EQ(u.TimeMillis(), 1469918176385u);
  std::array<uint8_t, 10> ones;
  ones.fill(0xff);
  EXPECT_EQ(Ulid::FromParts(0xffffffffffff, ones).ToString(), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  auto parsed = Ulid::Parse("01aryz6s41tsv4rrffq69g5fav");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ToString(), "01ARYZ6S41TSV4RRFFQ69G5FAV");
  EXPECT_EQ(parsed->TimeMillis(), 1469918176385u);
  for (std::string_view bad : {"", "01ARYZ6S41TSV4RRFFQ69G5FA", "81ARYZ6S41TSV4RRFFQ69G5FAV",
                               "01ARYZ6S41TSV4RRFFQ69G5FAU", "01ARYZ6S41TSV4RRFFQ69G5FAV0"}) {
    EXPECT_EQ(Ulid::Parse(bad).status().code(), Status::Code::kInvalidInput) << bad;
  }
}

TEST(UlidTest, GeneratorIsOrderedByClock) {
  ManualClock clock;
  uint64_t next_random = 0;
  UlidGenerator gen(clock, [&] { return next_random++ * 0x9e3779b97f4a7c15; });
  Ulid a = gen.Next();
  Ulid b = gen.Next();  // Same millisecond: one more than a.
  EXPECT_LT(a, b);
  EXPECT_EQ(a.TimeMillis(), static_cast<uint64_t>(clock.NowMillis()));
  EXPECT_EQ(b.TimeMillis(), a.TimeMillis());
  clock.Advance(std::chrono::milliseconds(1));
  Ulid c = gen.Next();
  EXPECT_LT(b, c);
  EXPECT_EQ(c.TimeMillis(), a.TimeMillis() + 1);
  EXPECT_LT(a.ToString(), c.ToString());  // The text sorts like the bytes.
  EXPECT_EQ(Ulid::Parse(c.ToString())->bytes(), c.bytes());
}

}  // namespace
}  // namespace argus::tsdb
