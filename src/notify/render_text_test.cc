#include "notify/render_text.h"

#include <gtest/gtest.h>

#include "base/utf8.h"
#include "notify/slack_text.h"

namespace argus::notify {
namespace {

bool IsValidUtf8(std::string_view s) {
  while (!s.empty()) {
    size_t n = Utf8SequenceLength(s);
    if (n == 0) return false;
    s.remove_prefix(n);
  }
  return true;
}

TEST(RenderTextTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(ToValidUtf8("ok"), "ok");
  EXPECT_EQ(ToValidUtf8("a\xff"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ToValidUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // A cut-off sequence.
  EXPECT_EQ(ToValidUtf8("\xE2\x82\xAC"), "\xE2\x82\xAC");          // €
}

TEST(RenderTextTest, TruncatesBetweenCodePointsWithAnEllipsis) {
  struct Case {
    std::string_view in;
    size_t max;
    std::string_view want;
  };
  const Case cases[] = {
      {"abcdef", 6, "abcdef"},
      {"abcdef", 5, "abcd\xE2\x80\xA6"},
      {"\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 4,
       "\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC\xE2\x80\xA6"},
      {"abcdef", 3, "abc"},  // Too short for the ellipsis, as in Alertmanager.
      {"\xF0\x9F\x9A\x80\xF0\x9F\x9A\x80", 1, "\xF0\x9F\x9A\x80"},
  };
  for (const Case& c : cases) {
    std::string got = TruncateRunes(c.in, c.max);
    EXPECT_EQ(got, c.want) << c.in << " " << c.max;
    EXPECT_LE(CountRunes(got), c.max);
    EXPECT_TRUE(IsValidUtf8(got));
  }
}

TEST(RenderTextTest, DurationsKeepTheUnitsThatMatter) {
  EXPECT_EQ(HumanDuration(45'900), "45s");
  EXPECT_EQ(HumanDuration(12 * 60'000 + 30'000), "12m");
  EXPECT_EQ(HumanDuration(3 * 3600'000 + 20 * 60'000 + 5'000), "3h20m");
  EXPECT_EQ(HumanDuration(2 * 86400'000 + 4 * 3600'000 + 59 * 60'000), "2d4h");
  EXPECT_EQ(HumanDuration(-5), "0s");
}

TEST(RenderTextTest, TimesAreUtcToTheSecond) {
  EXPECT_EQ(HumanTime(1782469200999), "2026-06-26 10:20:00 UTC");
  EXPECT_EQ(HumanTime(-1), "1969-12-31 23:59:59 UTC");
}

TEST(SlackTextTest, EscapesWhatWouldFormLinksOrMentions) {
  EXPECT_EQ(SlackEscape("<!channel> & <http://x|y>", 100),
            "&lt;!channel&gt; &amp; &lt;http://x|y&gt;");
  EXPECT_EQ(SlackEscape("a<bcdef", 4), "a&lt;b\xE2\x80\xA6");  // Cut before escaping.
}

TEST(SlackTextTest, LinksCannotBeEndedEarly) {
  EXPECT_EQ(SlackLink("http://x/?a=1&b=|>", "a <b>"), "<http://x/?a=1&b=%7C%3E|a &lt;b&gt;>");
  EXPECT_EQ(SlackLink("", "name"), "name");
}

TEST(SlackTextTest, DatesShowInTheReadersZoneWithAUtcFallback) {
  EXPECT_EQ(SlackDate(1782469200500),
            "<!date^1782469200^{date_short_pretty} {time_secs}|2026-06-26 10:20:00 UTC>");
}

TEST(SlackTextTest, TruncatedMrkdwnKeepsNoHalfEscapeOrLink) {
  std::string escape = "abc" + SlackEscape("&", 10);  // "abc&amp;"
  EXPECT_EQ(TruncateMrkdwn(escape + "xyz", 8), "abc\xE2\x80\xA6");
  std::string link = "see " + SlackLink("http://example.com/a?b=1&c=2", "it");
  EXPECT_EQ(TruncateMrkdwn(link + " now", 20), "see \xE2\x80\xA6");
  // A whole link with '&' in its URL stays.
  EXPECT_EQ(TruncateMrkdwn(link + " and then more", link.size() + 3), link + " a\xE2\x80\xA6");
  EXPECT_EQ(TruncateMrkdwn("short", 10), "short");
}

}  // namespace
}  // namespace argus::notify
