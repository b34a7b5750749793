#include "model/matcher_syntax.h"

#include <gtest/gtest.h>

namespace argus::model {
namespace {

using Type = Matcher::Type;

struct Parsed {
  Type type;
  std::string name;
  std::string value;
};

// Cases from Alertmanager's documentation of the syntax and its parser's tests.
TEST(MatcherSyntaxTest, ParsesAlertmanagersForms) {
  struct Case {
    std::string text;
    std::vector<Parsed> want;
  };
  const Case cases[] = {
      {R"(foo="bar")", {{Type::kEqual, "foo", "bar"}}},
      {R"(foo=~"a|b")", {{Type::kRegexMatch, "foo", "a|b"}}},
      {R"({a!="b"})", {{Type::kNotEqual, "a", "b"}}},
      {"foo=bar", {{Type::kEqual, "foo", "bar"}}},
      {"foo!~bar.*", {{Type::kRegexNoMatch, "foo", "bar.*"}}},
      {R"({foo = "bar", dings != "bums", })",
       {{Type::kEqual, "foo", "bar"}, {Type::kNotEqual, "dings", "bums"}}},
      {"foo=bar,dings!=bums", {{Type::kEqual, "foo", "bar"}, {Type::kNotEqual, "dings", "bums"}}},
      {R"(quote="She said: \"Hi, all!\"")", {{Type::kEqual, "quote", R"(She said: "Hi, all!")"}}},
      {R"(statuscode=~"5..")", {{Type::kRegexMatch, "statuscode", "5.."}}},
      {R"(foo="a\nb\\c")", {{Type::kEqual, "foo", "a\nb\\c"}}},
      {R"(foo=a\x)", {{Type::kEqual, "foo", R"(a\x)"}}},
      {"foo=", {{Type::kEqual, "foo", ""}}},
      {"foo==bar", {{Type::kEqual, "foo", "=bar"}}},
      {"{}", {}},
  };
  for (const Case& c : cases) {
    auto got = ParseMatchers(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().message();
    ASSERT_EQ(got->size(), c.want.size()) << c.text;
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_EQ((*got)[i].type(), c.want[i].type) << c.text;
      EXPECT_EQ((*got)[i].name(), c.want[i].name) << c.text;
      EXPECT_EQ((*got)[i].value(), c.want[i].value) << c.text;
    }
  }
}

TEST(MatcherSyntaxTest, RejectsWithAlertmanagersWords) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"foo", "bad matcher format: foo"},
      {"0foo=bar", "bad matcher format: 0foo=bar"},
      {"foo:bar", "bad matcher format: foo:bar"},
      {R"(foo="bar)", R"(matcher value contains unescaped double quote: "bar)"},
      {R"(foo=ba"r)", R"(matcher value contains unescaped double quote: ba"r)"},
      {R"(foo=~"a(")", R"(invalid regular expression "a(")"},
  };
  for (const Case& c : cases) {
    auto got = ParseMatchers(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.status().message().find(c.error), std::string::npos)
        << c.text << ": " << got.status().message();
  }
}

TEST(MatcherSyntaxTest, RegexesAreAnchored) {
  auto m = ParseMatcher(R"(job=~"api|web")");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->Matches("web"));
  EXPECT_FALSE(m->Matches("webserver"));
}

}  // namespace
}  // namespace argus::model
