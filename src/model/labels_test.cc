#include "model/labels.h"

#include <gtest/gtest.h>

namespace argus::model {
namespace {

TEST(LabelsTest, SortedUniqueWithoutEmptyValues) {
  Labels l{{"job", "a"}, {"__name__", "up"}, {"empty", ""}, {"job", "b"}};
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].name, "__name__");
  EXPECT_EQ(l.Get("job"), "b");
  EXPECT_FALSE(l.Has("empty"));
  EXPECT_EQ(l.ToString(), "up{job=\"b\"}");
}

TEST(LabelsTest, ToStringEscapes) {
  Labels l{{"a", "x\"y\\z\nw"}};
  EXPECT_EQ(l.ToString(), R"({a="x\"y\\z\nw"})");
}

TEST(LabelsTest, HashDependsOnNamesAndValuesNotConstruction) {
  Labels a{{"a", "1"}, {"b", "2"}};
  Labels b{{"b", "2"}, {"a", "1"}};
  Labels c{{"a", "12"}};
  Labels d{{"a", "1"}, {"b", "3"}};
  EXPECT_EQ(a.Hash(), b.Hash());
  EXPECT_NE(a.Hash(), d.Hash());
  EXPECT_NE(Labels({{"a", "1"}, {"b", "2"}}).Hash(), Labels({{"a", "1b"}, {"", "2"}}).Hash());
  EXPECT_NE(a.Hash(), c.Hash());
}

TEST(LabelsBuilderTest, SetDelAndLastAddWins) {
  LabelsBuilder b(Labels{{"a", "1"}, {"b", "2"}});
  b.Set("a", "x");
  b.Del("b");
  b.Add("c", "3");
  b.Add("c", "4");
  b.Set("d", "");
  EXPECT_EQ(b.Build(), (Labels{{"a", "x"}, {"c", "4"}}));
  EXPECT_EQ(b.Get("c"), "4");
  b.Reset();
  EXPECT_TRUE(b.Build().empty());
}

}  // namespace
}  // namespace argus::model
