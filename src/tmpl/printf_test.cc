#include "tmpl/printf.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace argus::tmpl {
namespace {

struct SprintfCase {
  std::string format;
  std::vector<Value> args;
  std::string want;  // As Go's fmt.Sprintf gives it.
};

TEST(SprintfTest, MatchesGo) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<SprintfCase> cases = {
      {"%s", {"abc"}, "abc"},
      {"%v", {"abc"}, "abc"},
      {"%q", {"a\"b\n"}, "\"a\\\"b\\n\""},
      {"%10s|", {"abc"}, "       abc|"},
      {"%-10s|", {"abc"}, "abc       |"},
      {"%.2s", {"abcdef"}, "ab"},
      {"%x", {"hi"}, "6869"},
      {"%X", {"hi"}, "6869"},
      {"%d", {42}, "42"},
      {"%+d", {42}, "+42"},
      {"%5d|", {42}, "   42|"},
      {"%-5d|", {42}, "42   |"},
      {"%05d", {-42}, "-0042"},
      {"%x", {255}, "ff"},
      {"%X", {255}, "FF"},
      {"%#x", {255}, "0xff"},
      {"%x", {-255}, "-ff"},
      {"%o", {8}, "10"},
      {"%b", {5}, "101"},
      {"%c", {65}, "A"},
      {"%q", {65}, "'A'"},
      {"%U", {65}, "U+0041"},
      {"%v", {1.5}, "1.5"},
      {"%v", {1e6}, "1e+06"},
      {"%v", {123456.0}, "123456"},
      {"%v", {1234567.0}, "1.234567e+06"},
      {"%v", {0.0001}, "0.0001"},
      {"%v", {0.00001}, "1e-05"},
      {"%v", {100.0}, "100"},
      {"%v", {0.1 + 0.2}, "0.30000000000000004"},
      {"%f", {1.5}, "1.500000"},
      {"%.2f", {3.14159}, "3.14"},
      {"%.0f", {2.5}, "2"},
      {"%05.2f", {1.5}, "01.50"},
      {"%06.2f", {-1.5}, "-01.50"},
      {"%8.3f|", {3.14159}, "   3.142|"},
      {"%-8.3f|", {3.14159}, "3.142   |"},
      {"%+.1f", {2.0}, "+2.0"},
      {"%e", {123456.0}, "1.234560e+05"},
      {"%.2e", {123456.0}, "1.23e+05"},
      {"%E", {123456.0}, "1.234560E+05"},
      {"%g", {123456.0}, "123456"},
      {"%g", {1e21}, "1e+21"},
      {"%.4g", {12345.0}, "1.234e+04"},
      {"%.4g", {1.0}, "1"},
      {"%.3g", {0.0001234}, "0.000123"},
      {"%f", {inf}, "+Inf"},
      {"%v", {-inf}, "-Inf"},
      {"%v", {std::nan("")}, "NaN"},
      {"%5.1f|", {inf}, " +Inf|"},
      {"%t", {true}, "true"},
      {"%v", {false}, "false"},
      {"%v", {Value()}, "<nil>"},
      {"%v", {Value::FromList({1, "a"})}, "[1 a]"},
      {"%q", {Value::FromStrings({"a", "b"})}, "[\"a\" \"b\"]"},
      {"%v", {Value::FromMap({{"b", 2}, {"a", 1}})}, "map[a:1 b:2]"},
      {"%d%%", {50}, "50%"},
      {"%d", {"x"}, "%!d(string=x)"},
      {"%s", {5}, "%!s(int=5)"},
      {"%d", {1.5}, "%!d(float64=1.5)"},
      {"%s", {Value()}, "%!s(<nil>)"},
      {"%s %s", {"a"}, "a %!s(MISSING)"},
      {"%s", {"a", 1}, "a%!(EXTRA int=1)"},
      {"%*d|", {5, 42}, "   42|"},
      {"%-*d|", {4, 7}, "7   |"},
      {"%.*f", {1, 2.25}, "2.2"},
      {"100%", {}, "100%!(NOVERB)"},
      {"%v", {Value::Duration(absl::Seconds(90))}, "1m30s"},
      {"%d", {Value(std::string("abc").size())}, "3"},
      {"%v", {Value(std::numeric_limits<uint64_t>::max())}, "1.8446744073709552e+19"},
      {"%d", {Value::Duration(absl::Seconds(1))}, "1000000000"},
      {"%v", {Value::Time(absl::FromUnixSeconds(0))}, "1970-01-01 00:00:00 +0000 UTC"},
  };
  for (const SprintfCase& c : cases) {
    EXPECT_EQ(Sprintf(c.format, c.args), c.want) << "format " << c.format;
  }
}

TEST(SprintTest, SpacesBetweenNonStrings) {
  std::vector<Value> args = {1, 2, "a", 3, "b", "c"};
  EXPECT_EQ(Sprint(args), "1 2a3bc");
  EXPECT_EQ(Sprintln(args), "1 2 a 3 b c\n");
}

TEST(FormatFloatTest, ShortestAndFixedPrecision) {
  EXPECT_EQ(FormatFloat(1.0, 'f', -1), "1");
  EXPECT_EQ(FormatFloat(0.1, 'f', -1), "0.1");
  EXPECT_EQ(FormatFloat(1e6, 'e', -1), "1e+06");
  EXPECT_EQ(FormatFloat(2.5, 'f', 0), "2");
  EXPECT_EQ(FormatFloat(3.5, 'f', 0), "4");
  EXPECT_EQ(FormatFloat(1234.5678, 'g', 4), "1235");
}

TEST(QuoteTest, EscapesAsGo) {
  EXPECT_EQ(Quote("plain"), "\"plain\"");
  EXPECT_EQ(Quote("tab\there"), "\"tab\\there\"");
  EXPECT_EQ(Quote("\x01"), "\"\\x01\"");
  EXPECT_EQ(Quote("é"), "\"é\"");
  EXPECT_EQ(Quote("\xff"), "\"\\xff\"");
}

}  // namespace
}  // namespace argus::tmpl
