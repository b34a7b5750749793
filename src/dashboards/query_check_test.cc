#include "dashboards/query_check.h"

#include <gtest/gtest.h>

namespace argus::dashboards {
namespace {

TEST(Substitute, ReplacesNamesAndBracedNamesAndKeepsOtherDollars) {
  SampleValues samples = {{"a", "x"}, {"a_b", "y"}};
  struct Case {
    std::string text;
    std::string want;
  };
  for (const Case& c : std::vector<Case>{{"$a", "x"},
                                         {"${a}b", "xb"},
                                         {"$a_b-$a", "y-x"},
                                         {"\"$1\" $", "\"$1\" $"},
                                         {"no dollars", "no dollars"}}) {
    auto got = Substitute(c.text, samples);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().message();
    EXPECT_EQ(*got, c.want) << c.text;
  }
  EXPECT_EQ(Substitute("$ab", samples).status().message(), "unknown variable $ab");
  EXPECT_EQ(Substitute("${a", samples).status().message(), "unclosed ${ at offset 0");
}

TEST(SampleValue, PrefersTheDefaultThenTheFirstValue) {
  EXPECT_EQ(SampleValue({.type = "custom", .values = {"a", "b"}, .default_value = "b"}), "b");
  EXPECT_EQ(SampleValue({.type = "custom", .values = {"a", "b"}}), "a");
  EXPECT_EQ(SampleValue({.type = "interval"}), "1m");
  EXPECT_EQ(SampleValue({.type = "query"}), "sample");
}

TEST(CheckExpr, ParsesWithTheBuiltIns) {
  EXPECT_TRUE(CheckExpr("rate(up[$__rate_interval]) * $__range_s", BuiltinSamples()).ok());
  EXPECT_FALSE(CheckExpr("rate(up[$__rate_interval)", BuiltinSamples()).ok());
}

TEST(CheckVariableQuery, AcceptsLabelValuesOnly) {
  SampleValues samples = {{"job", "node"}};
  EXPECT_TRUE(CheckVariableQuery("label_values(instance)", samples).ok());
  EXPECT_TRUE(CheckVariableQuery(" label_values(up{job=\"$job\"}, instance) ", samples).ok());
  EXPECT_EQ(CheckVariableQuery("label_values(up, 1x)", samples).message(),
            "\"1x\" is not a label name");
  EXPECT_FALSE(CheckVariableQuery("label_values(up{, instance)", samples).ok());
  EXPECT_FALSE(CheckVariableQuery("query_result(up)", samples).ok());
}

}  // namespace
}  // namespace argus::dashboards
