#include "notify/slack_event.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

#include "notify/slack_text.h"

namespace argus::notify {
namespace {

constexpr size_t kMaxValueRunes = 100;
constexpr size_t kMaxTextRunes = 500;

struct EventKind {
  std::string_view kind;
  std::string_view emoji;
  std::string_view words;      // How the kind reads in a sentence.
  std::string_view connector;  // Between the words and the subject.
};

constexpr std::array<EventKind, 5> kKinds = {{
    {"deploy", ":rocket:", "deploy", "of"},
    {"restart", ":arrows_counterclockwise:", "restart", "of"},
    {"oom_kill", ":boom:", "OOM kill", "of"},
    {"probe_failed", ":warning:", "probe failed", "for"},
    {"rollout_failed", ":x:", "rollout failed", "of"},
}};

EventKind KindOf(std::string_view kind) {
  for (const EventKind& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return {kind, ":information_source:", kind, "of"};
}

std::string_view FirstSet(const model::Labels& labels,
                          std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (labels.Has(name)) return labels.Get(name);
  }
  return {};
}

}  // namespace

SlackEventLine RenderSlackEventLine(const model::Alert& event) {
  const model::Labels& labels = event.labels;
  EventKind kind = KindOf(labels.Get("alertname"));
  std::string words = SlackEscape(kind.words, kMaxValueRunes);
  std::string subject = SlackEscape(FirstSet(labels, {"service", "deployment", "statefulset",
                                                      "daemonset", "pod", "job", "instance"}),
                                    kMaxValueRunes);

  // The parts after the kind, the same in both forms but for emphasis.
  std::string details;
  if (labels.Has("version")) details += " " + SlackEscape(labels.Get("version"), kMaxValueRunes);
  if (labels.Has("container")) {
    details += fmt::format(" (container {})", SlackEscape(labels.Get("container"), kMaxValueRunes));
  }
  std::string where;
  for (std::string_view name : {"cluster", "namespace"}) {
    if (!labels.Has(name)) continue;
    if (!where.empty()) where += '/';
    where += SlackEscape(labels.Get(name), kMaxValueRunes);
  }
  if (!where.empty()) details += " in " + where;
  std::string_view text = FirstSet(event.annotations, {"text", "summary", "description"});
  if (!text.empty()) details += " — " + SlackEscape(text, kMaxTextRunes);

  SlackEventLine line;
  if (subject.empty()) {
    line.mrkdwn = fmt::format("{} *{}*{}", kind.emoji, words, details);
    line.plain = fmt::format("{} {}{}", kind.emoji, words, details);
  } else {
    line.mrkdwn =
        fmt::format("{} *{}* {} *{}*{}", kind.emoji, words, kind.connector, subject, details);
    line.plain = fmt::format("{} {} {} {}{}", kind.emoji, words, kind.connector, subject, details);
  }
  std::string_view link = event.annotations.Get("link");
  if (link.empty()) link = event.generator_url;
  if (!link.empty()) line.mrkdwn += " · " + SlackLink(link, "details");
  return line;
}

}  // namespace argus::notify
