#include "api/params.h"

#include <gtest/gtest.h>

namespace argus::api {
namespace {

int64_t Time(std::string_view s) {
  auto t = ParseTime(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status().message();
  return t.ok() ? *t : -1;
}

std::string TimeError(std::string_view s) {
  auto t = ParseTime(s);
  EXPECT_FALSE(t.ok()) << s;
  return t.status().message();
}

TEST(ParamsTest, TimesAreUnixSecondsRoundedToMilliseconds) {
  EXPECT_EQ(Time("1435781451.781"), 1435781451781);
  EXPECT_EQ(Time("1435781451"), 1435781451000);
  EXPECT_EQ(Time("+1.5"), 1500);
  EXPECT_EQ(Time("-1.5"), -1500);
  EXPECT_EQ(Time("1.0006"), 1001);
  EXPECT_EQ(Time("1e3"), 1000000);
}

TEST(ParamsTest, TimesAreRfc3339InAnyZone) {
  EXPECT_EQ(Time("2015-07-01T20:10:51.781Z"), 1435781451781);
  EXPECT_EQ(Time("2015-07-01T20:10:51Z"), 1435781451000);
  EXPECT_EQ(Time("2015-07-01T22:10:51.781123456+02:00"), 1435781451781);
  EXPECT_EQ(Time("2015-07-01T19:40:51.7-00:30"), 1435781451700);
  EXPECT_EQ(Time("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(Time("2024-02-29T00:00:00Z"), 1709164800000);
}

TEST(ParamsTest, TheBoundaryTimesParseAsGoFormatsThem) {
  EXPECT_EQ(Time("-292273086-05-16T16:47:06Z"), kMinTime);
  EXPECT_EQ(Time("292277025-08-18T07:12:54.999999999Z"), kMaxTime);
}

TEST(ParamsTest, MalformedTimesSayWhatWasGiven) {
  EXPECT_EQ(TimeError("x"), R"(cannot parse "x" to a valid timestamp)");
  EXPECT_EQ(TimeError(""), R"(cannot parse "" to a valid timestamp)");
  for (const char* bad : {"2015-02-29T00:00:00Z", "2015-07-01T24:00:00Z", "2015-07-01 20:10:51Z",
                          "2015-07-01T20:10:51", "2015-07-01T20:10:51.Z", "NaN", "Inf", "1e300",
                          "2015-07-01T20:10:51+0200"}) {
    EXPECT_EQ(TimeError(bad), "cannot parse \"" + std::string(bad) + "\" to a valid timestamp");
  }
}

TEST(ParamsTest, TimeParamsFallBackWhenEmptyAndNameThemselvesInErrors) {
  EXPECT_EQ(*ParseTimeParam("start", "", 42), 42);
  EXPECT_EQ(*ParseTimeParam("start", "2", 42), 2000);
  EXPECT_EQ(ParseTimeParam("start", "x", 42).status().message(),
            R"(invalid parameter "start": invalid time value for 'start': cannot parse "x" to a )"
            "valid timestamp");
}

TEST(ParamsTest, DurationsAreFloatSecondsOrPrometheusDurations) {
  EXPECT_EQ(*ParseDuration("15"), 15000);
  EXPECT_EQ(*ParseDuration("0.5"), 500);
  EXPECT_EQ(*ParseDuration("1m30s"), 90000);
  EXPECT_EQ(*ParseDuration("0"), 0);
  EXPECT_EQ(*ParseDuration("-3"), -3000);
  EXPECT_EQ(ParseDuration("1x").status().message(), R"(cannot parse "1x" to a valid duration)");
  EXPECT_EQ(ParseDuration("1e10").status().message(),
            R"(cannot parse "1e10" to a valid duration. It overflows int64)");
}

TEST(ParamsTest, LimitsAreNonNegativeIntegers) {
  EXPECT_EQ(*ParseLimitParam(""), 0u);
  EXPECT_EQ(*ParseLimitParam("5"), 5u);
  EXPECT_EQ(ParseLimitParam("-1").status().message(),
            R"(invalid parameter "limit": limit must be non-negative)");
  EXPECT_EQ(ParseLimitParam("ten").status().message(),
            R"(invalid parameter "limit": strconv.Atoi: parsing "ten": invalid syntax)");
}

TEST(ParamsTest, MatchersNeedOneSelectiveMatcherPerSet) {
  auto sets = ParseMatchers({"up", R"({job="a", instance=~".*"})"});
  ASSERT_TRUE(sets.ok()) << sets.status().message();
  ASSERT_EQ(sets->size(), 2u);
  EXPECT_EQ((*sets)[0].size(), 1u);
  EXPECT_EQ((*sets)[1].size(), 2u);
  EXPECT_EQ(ParseMatchers({R"({job=~".*"})"}).status().message(),
            "match[] must contain at least one non-empty matcher");
  auto bad = ParseMatchers({"up{"});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("1:"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace argus::api
