#include "notify/slack_text.h"

#include <fmt/format.h>

#include "notify/render_text.h"

namespace argus::notify {

std::string SlackEscape(std::string_view raw, size_t max_runes) {
  std::string cut = TruncateRunes(ToValidUtf8(raw), max_runes);
  std::string out;
  out.reserve(cut.size());
  for (char c : cut) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SlackLink(std::string_view url, std::string_view label) {
  constexpr size_t kMaxLabelRunes = 200;
  std::string text = SlackEscape(label, kMaxLabelRunes);
  if (url.empty()) return text;
  std::string target;
  for (char c : ToValidUtf8(url)) {
    switch (c) {
      case '|':
        target += "%7C";
        break;
      case '<':
        target += "%3C";
        break;
      case '>':
        target += "%3E";
        break;
      default:
        target += c;
    }
  }
  return fmt::format("<{}|{}>", target, text);
}

std::string SlackDate(int64_t t_ms) {
  int64_t seconds = t_ms >= 0 ? t_ms / 1000 : (t_ms - 999) / 1000;
  return fmt::format("<!date^{}^{{date_short_pretty}} {{time_secs}}|{}>", seconds, HumanTime(t_ms));
}

std::string TruncateMrkdwn(std::string_view mrkdwn, size_t max_runes) {
  if (CountRunes(mrkdwn) <= max_runes) return std::string(mrkdwn);
  std::string out = TruncateRunes(mrkdwn, max_runes);
  constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  if (out.ends_with(kEllipsis)) out.resize(out.size() - kEllipsis.size());
  size_t open = out.rfind('<');
  if (open != std::string::npos && out.find('>', open) == std::string::npos) out.resize(open);
  // Outside links, every '&' begins an escape that ends with ';'.
  size_t link_end = out.rfind('>');
  size_t amp = out.rfind('&');
  if (amp != std::string::npos && (link_end == std::string::npos || amp > link_end) &&
      out.find(';', amp) == std::string::npos) {
    out.resize(amp);
  }
  return out + std::string(kEllipsis);
}

}  // namespace argus::notify
