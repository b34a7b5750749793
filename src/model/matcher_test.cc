#include "model/matcher.h"

#include <gtest/gtest.h>

namespace argus::model {
namespace {

Matcher Make(Matcher::Type type, std::string value) {
  auto m = Matcher::Make(type, "job", std::move(value));
  EXPECT_TRUE(m.ok()) << m.status().message();
  return *m;
}

TEST(MatcherTest, EqualityAndRegexesAreAnchored) {
  EXPECT_TRUE(Make(Matcher::Type::kEqual, "api").Matches("api"));
  EXPECT_FALSE(Make(Matcher::Type::kEqual, "api").Matches("api2"));
  EXPECT_TRUE(Make(Matcher::Type::kNotEqual, "api").Matches(""));
  EXPECT_TRUE(Make(Matcher::Type::kRegexMatch, "a.*|web").Matches("api"));
  EXPECT_FALSE(Make(Matcher::Type::kRegexMatch, "pi").Matches("api"));
  EXPECT_TRUE(Make(Matcher::Type::kRegexNoMatch, "pi").Matches("api"));
  EXPECT_TRUE(Make(Matcher::Type::kRegexMatch, "a.b").Matches("a\nb"));
}

TEST(MatcherTest, BadRegexIsAClearError) {
  auto m = Matcher::Make(Matcher::Type::kRegexMatch, "job", "a(");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("invalid regular expression \"a(\""), std::string::npos);
}

TEST(MatcherTest, ToString) {
  EXPECT_EQ(Make(Matcher::Type::kRegexMatch, "a|b").ToString(), "job=~\"a|b\"");
}

}  // namespace
}  // namespace argus::model
