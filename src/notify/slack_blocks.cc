#include "notify/slack_blocks.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "http/url.h"
#include "notify/render_text.h"
#include "notify/slack_event.h"
#include "notify/slack_text.h"

namespace argus::notify {
namespace {

constexpr size_t kMaxListed = 10;
constexpr size_t kMaxNameRunes = 200;
constexpr size_t kMaxSummaryRunes = 300;
constexpr size_t kMaxDescriptionRunes = 1500;
constexpr size_t kMaxValueRunes = 100;
constexpr std::array<std::string_view, 5> kWhereLabels = {"cluster", "namespace", "pod",
                                                          "container", "instance"};

std::string_view StatusEmoji(AlertStatus status) {
  return status == AlertStatus::kFiring ? ":red_circle:" : ":large_green_circle:";
}

// What the alert is about in one sentence: its summary, else its description.
std::string_view Summary(const model::Alert& alert) {
  for (std::string_view name : {"summary", "message", "description"}) {
    if (alert.annotations.Has(name)) return alert.annotations.Get(name);
  }
  return {};
}

std::string_view Value(const model::Alert& alert) {
  std::string_view value = alert.annotations.Get("value");
  return value.empty() ? alert.labels.Get("value") : value;
}

// "cluster `prod` · namespace `shop`", or "" when the alert has none of the labels but those of
// `known`.
std::string Where(const model::Labels& labels, const model::Labels& known) {
  std::vector<std::string> parts;
  for (std::string_view name : kWhereLabels) {
    if (labels.Has(name) && !known.Has(name)) {
      parts.push_back(fmt::format("{} `{}`", name, SlackEscape(labels.Get(name), kMaxValueRunes)));
    }
  }
  return fmt::format("{}", fmt::join(parts, " · "));
}

// Since when the alert fires and for how long, or how long it lasted.
std::string When(const RenderAlert& a, int64_t now_ms, bool detailed) {
  const model::Alert& alert = *a.alert;
  if (alert.starts_at_ms == 0) return "";
  if (a.status == AlertStatus::kFiring) {
    return fmt::format("{} {} (for {})", detailed ? "*Since:*" : "since",
                       SlackDate(alert.starts_at_ms), HumanDuration(now_ms - alert.starts_at_ms));
  }
  return fmt::format("{} {} ({} – {})", detailed ? "*Lasted:*" : "lasted",
                     HumanDuration(alert.ends_at_ms - alert.starts_at_ms),
                     SlackDate(alert.starts_at_ms), SlackDate(alert.ends_at_ms));
}

// One alert's section: detailed (several lines) when it is the only one, else compact, without
// the group's labels, which the headline gives.
std::string AlertSection(const RenderAlert& a, const RenderData& data, bool detailed) {
  const model::Alert& alert = *a.alert;
  std::string_view name = alert.labels.Get("alertname");
  std::string out = fmt::format("{} *{}*", StatusEmoji(a.status),
                                SlackLink(alert.generator_url, name.empty() ? "alert" : name));
  if (alert.labels.Has("severity")) {
    out += " · " + SlackEscape(alert.labels.Get("severity"), kMaxValueRunes);
  }
  std::string_view summary = Summary(alert);
  if (!summary.empty()) {
    out += (detailed ? "\n" : " — ") + SlackEscape(summary, kMaxSummaryRunes);
  }
  std::string_view description = alert.annotations.Get("description");
  if (detailed && !description.empty() && description != summary) {
    out += "\n" + SlackEscape(description, kMaxDescriptionRunes);
  }

  std::vector<std::string> facts;
  if (std::string where = Where(alert.labels, detailed ? model::Labels() : data.group_labels);
      !where.empty()) {
    facts.push_back(detailed ? "*Where:* " + where : where);
  }
  if (std::string_view value = Value(alert); !value.empty()) {
    facts.push_back((detailed ? "*Value:* " : "value ") + SlackEscape(value, kMaxValueRunes));
  }
  if (std::string when = When(a, data.now_ms, detailed); !when.empty()) facts.push_back(when);
  if (!facts.empty()) out += fmt::format("\n{}", fmt::join(facts, detailed ? "\n" : " · "));
  return out;
}

void WriteSection(JsonWriter& w, std::string_view mrkdwn) {
  w.StartObject();
  WriteJsonField(w, "type", "section");
  w.Key("text");
  w.StartObject();
  WriteJsonField(w, "type", "mrkdwn");
  WriteJsonField(w, "text", TruncateMrkdwn(mrkdwn, kSlackMaxSectionTextRunes));
  w.EndObject();
  w.EndObject();
}

// A context block; nothing when `elements` is empty.
void WriteContext(JsonWriter& w, const std::vector<std::string>& elements) {
  if (elements.empty()) return;
  w.StartObject();
  WriteJsonField(w, "type", "context");
  w.Key("elements");
  w.StartArray();
  for (size_t i = 0; i < elements.size() && i < kSlackMaxContextElements; ++i) {
    w.StartObject();
    WriteJsonField(w, "type", "mrkdwn");
    WriteJsonField(w, "text", TruncateMrkdwn(elements[i], kSlackMaxSectionTextRunes));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

// The group's alerts in Argus' UI.
std::string ArgusLink(const RenderData& data) {
  if (data.external_url.empty()) return "";
  std::string url =
      fmt::format("{}/alerts?receiver={}", data.external_url, http::QueryEscape(data.receiver));
  if (!data.group_labels.empty()) {
    url += "&filter=" + http::QueryEscape(data.group_labels.ToString());
  }
  return SlackLink(url, "View in Argus");
}

struct Headline {
  std::string mrkdwn;
  std::string plain;
};

Headline MakeHeadline(const RenderData& data, const std::vector<const RenderAlert*>& alerts) {
  size_t firing = std::count_if(alerts.begin(), alerts.end(), [](const RenderAlert* a) {
    return a->status == AlertStatus::kFiring;
  });
  std::string state = firing > 0 ? fmt::format("[FIRING:{}]", firing) : "[RESOLVED]";
  std::string_view name = data.group_labels.Get("alertname");
  if (name.empty()) name = data.common_labels.Get("alertname");
  std::string title = name.empty() ? fmt::format("{} {} alerts", state, alerts.size())
                                   : fmt::format("{} {}", state, SlackEscape(name, kMaxNameRunes));
  std::string group_mrkdwn, group_plain;
  for (const model::Label& label : data.group_labels) {
    if (label.name == "alertname") continue;
    std::string value = SlackEscape(label.value, kMaxValueRunes);
    group_mrkdwn += fmt::format(" · {} `{}`", label.name, value);
    group_plain += fmt::format(" · {} {}", label.name, value);
  }
  return {.mrkdwn = fmt::format(
              "{} *{}*{}", StatusEmoji(firing > 0 ? AlertStatus::kFiring : AlertStatus::kResolved),
              title, group_mrkdwn),
          .plain = title + group_plain};
}

std::string MoreText(size_t more, std::string_view what) {
  return fmt::format("…and {} more {}", more, what);
}

// Writes one section per listed event, and a context block counting those not listed.
void WriteEventBlocks(JsonWriter& w, const std::vector<SlackEventLine>& lines, size_t total) {
  for (const SlackEventLine& line : lines) WriteSection(w, line.mrkdwn);
  if (total > lines.size()) WriteContext(w, {MoreText(total - lines.size(), "events")});
}

// The notification text: the headline with the first alert's summary, then a line per event.
std::string FallbackText(const Headline* headline, const std::vector<const RenderAlert*>& alerts,
                         const std::vector<SlackEventLine>& event_lines, size_t events) {
  std::vector<std::string> lines;
  if (headline != nullptr) {
    std::string line = headline->plain;
    std::string_view summary = Summary(*alerts.front()->alert);
    if (!summary.empty()) line += " — " + SlackEscape(summary, kMaxSummaryRunes);
    if (alerts.size() > 1) line += fmt::format(" (+{} more)", alerts.size() - 1);
    lines.push_back(std::move(line));
  }
  for (const SlackEventLine& line : event_lines) lines.push_back(line.plain);
  if (events > event_lines.size()) {
    lines.push_back(MoreText(events - event_lines.size(), "events"));
  }
  return TruncateMrkdwn(fmt::format("{}", fmt::join(lines, "\n")), kSlackMaxTextRunes);
}

// The attachment that lists the alerts, firing ones first.
void WriteAlertAttachment(JsonWriter& w, const RenderData& data,
                          const std::vector<const RenderAlert*>& alerts) {
  w.StartObject();
  WriteJsonField(w, "color", alerts.front()->status == AlertStatus::kFiring ? "danger" : "good");
  w.Key("blocks");
  w.StartArray();
  size_t listed = std::min(alerts.size(), kMaxListed);
  for (size_t i = 0; i < listed; ++i) {
    WriteSection(w, AlertSection(*alerts[i], data, /*detailed=*/alerts.size() == 1));
  }
  std::vector<std::string> context;
  if (size_t more = alerts.size() - listed + data.truncated_alerts; more > 0) {
    context.push_back(MoreText(more, "alerts"));
  }
  if (std::string link = ArgusLink(data); !link.empty()) context.push_back(std::move(link));
  WriteContext(w, context);
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string RenderSlackBlocksBody(const RenderData& data, const SlackPostFields& post) {
  std::vector<const RenderAlert*> alerts;
  std::vector<SlackEventLine> event_lines;
  size_t events = 0;
  for (const RenderAlert& a : data.alerts) {
    if (!a.is_event) {
      alerts.push_back(&a);
    } else if (events++ < kMaxListed) {
      event_lines.push_back(RenderSlackEventLine(*a.alert));
    }
  }
  std::stable_partition(alerts.begin(), alerts.end(),
                        [](const RenderAlert* a) { return a->status == AlertStatus::kFiring; });
  std::optional<Headline> headline;
  if (!alerts.empty()) headline = MakeHeadline(data, alerts);

  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteSlackPostFields(w, post);
  WriteJsonField(w, "text",
                 FallbackText(headline ? &*headline : nullptr, alerts, event_lines, events));
  w.Key("blocks");
  w.StartArray();
  if (headline) WriteSection(w, headline->mrkdwn);
  WriteEventBlocks(w, event_lines, events);
  w.EndArray();
  if (!alerts.empty()) {
    w.Key("attachments");
    w.StartArray();
    WriteAlertAttachment(w, data, alerts);
    w.EndArray();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace argus::notify
