#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace argus::notify {

// Slack's limits on a message (https://api.slack.com/reference/block-kit/blocks), counted in
// characters (code points here).
inline constexpr size_t kSlackMaxTextRunes = 40000;  // The top-level `text`.
inline constexpr size_t kSlackMaxBlocks = 50;        // Per message, and per attachment.
inline constexpr size_t kSlackMaxSectionTextRunes = 3000;
inline constexpr size_t kSlackMaxContextElements = 10;

// Text from outside (labels, annotations) made safe for Slack's mrkdwn: valid UTF-8, at most
// `max_runes` code points before escaping, and `&`, `<`, `>` escaped, so that it can neither
// break the message nor form a link or a mention.
std::string SlackEscape(std::string_view raw, size_t max_runes);

// A mrkdwn link `<url|label>`; `label` is escaped here, `url` made unable to end the link early.
// Just the label when `url` is empty.
std::string SlackLink(std::string_view url, std::string_view label);

// A time that Slack shows in each reader's time zone, falling back to HumanTime's UTC text.
std::string SlackDate(int64_t t_ms);

// Cuts mrkdwn that SlackEscape and SlackLink built to at most `max_runes` code points, without
// leaving half an escape ("&am") or half a link ("<https://...") at the end; "…" marks the cut.
// `max_runes` must be above 3.
std::string TruncateMrkdwn(std::string_view mrkdwn, size_t max_runes);

}  // namespace argus::notify
