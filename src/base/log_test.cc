#include "base/log.h"

#include <gtest/gtest.h>

#include <optional>

namespace argus::log {
namespace {

std::string Logfmt(std::initializer_list<Field> fields, std::string_view msg = "m") {
  return FormatLine(Format::kLogfmt, "T", Level::kInfo, msg,
                    std::span<const Field>(fields.begin(), fields.size()));
}

TEST(LogTest, PlainValuesStayBare) {
  EXPECT_EQ(Logfmt({{"job", "node"}, {"count", 12}, {"ratio", 0.5}}),
            "ts=T level=info msg=m job=node count=12 ratio=0.5");
}

TEST(LogTest, ValuesThatWouldBreakTheLineAreQuotedAndEscaped) {
  EXPECT_EQ(Logfmt({{"err", "a b"}}), R"(ts=T level=info msg=m err="a b")");
  EXPECT_EQ(Logfmt({{"err", "k=v"}}), R"(ts=T level=info msg=m err="k=v")");
  EXPECT_EQ(Logfmt({{"err", R"(say "hi")"}}), R"(ts=T level=info msg=m err="say \"hi\"")");
  EXPECT_EQ(Logfmt({{"path", R"(C:\dir)"}}), R"(ts=T level=info msg=m path="C:\\dir")");
  EXPECT_EQ(Logfmt({{"err", "two\nlines\ttab\x01"}}),
            R"(ts=T level=info msg=m err="two\nlines\ttab\u0001")");
  EXPECT_EQ(Logfmt({{"empty", ""}}), R"(ts=T level=info msg=m empty="")");
  EXPECT_EQ(Logfmt({}, "Server is ready"), R"(ts=T level=info msg="Server is ready")");
}

TEST(LogTest, Utf8IsKeptAndInvalidBytesBecomeTheReplacementCharacter) {
  EXPECT_EQ(Logfmt({{"pod", "caf\xc3\xa9"}}), "ts=T level=info msg=m pod=caf\xc3\xa9");
  EXPECT_EQ(Logfmt({{"raw", "a\xff"}}), R"(ts=T level=info msg=m raw="a\ufffd")");
}

TEST(LogTest, AnEmptyOptionalLeavesTheFieldOut) {
  std::optional<int64_t> none, some = 7;
  EXPECT_EQ(Logfmt({{"min", none}, {"max", some}}), "ts=T level=info msg=m max=7");
}

TEST(LogTest, JsonLinesHoldTheSameFields) {
  std::initializer_list<Field> fields = {{"err", "say \"hi\"\n"}, {"n", 3}};
  EXPECT_EQ(FormatLine(Format::kJson, "T", Level::kWarn, "Cut",
                       std::span<const Field>(fields.begin(), fields.size())),
            R"({"ts":"T","level":"warn","msg":"Cut","err":"say \"hi\"\n","n":"3"})");
}

TEST(LogTest, LevelsReadAsTheyArePrintedAndAsPrometheusSpellsThem) {
  Level level;
  ASSERT_TRUE(ParseLevel("warn", &level));
  EXPECT_EQ(level, Level::kWarn);
  ASSERT_TRUE(ParseLevel("warning", &level));
  EXPECT_EQ(level, Level::kWarn);
  ASSERT_TRUE(ParseLevel("debug", &level));
  EXPECT_EQ(level, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", &level));
  Format format;
  ASSERT_TRUE(ParseFormat("json", &format));
  EXPECT_EQ(format, Format::kJson);
  EXPECT_FALSE(ParseFormat("text", &format));
}

}  // namespace
}  // namespace argus::log
