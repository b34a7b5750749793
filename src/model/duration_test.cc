#include "model/duration.h"

#include <gtest/gtest.h>

namespace argus::model {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(DurationTest, ParsesPrometheusDurations) {
  EXPECT_EQ(*ParseDuration("0"), milliseconds(0));
  EXPECT_EQ(*ParseDuration("15s"), seconds(15));
  EXPECT_EQ(*ParseDuration("1h30m"), minutes(90));
  EXPECT_EQ(*ParseDuration("1d"), hours(24));
  EXPECT_EQ(*ParseDuration("2w"), hours(24 * 14));
  EXPECT_EQ(*ParseDuration("1y"), hours(24 * 365));
  EXPECT_EQ(*ParseDuration("1m500ms"), milliseconds(60500));
}

TEST(DurationTest, RejectsMalformedDurations) {
  for (const char* bad : {"", "5x", "1.5s", "-1s", "1m1h", "1s1s", "s", "10", "1h 30m"}) {
    auto d = ParseDuration(bad);
    EXPECT_FALSE(d.ok()) << bad;
  }
  EXPECT_EQ(ParseDuration("5x").status().message(), "invalid duration \"5x\"");
}

TEST(DurationTest, FormatsShortest) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(hours(24 * 14)), "2w");
  EXPECT_EQ(FormatDuration(hours(24 * 15)), "15d");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1s500ms");
  for (const char* d : {"1y2d3h4m5s6ms", "5m", "1w"}) {
    EXPECT_EQ(FormatDuration(*ParseDuration(d)), d);
  }
}

}  // namespace
}  // namespace argus::model
