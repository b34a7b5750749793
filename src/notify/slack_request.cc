#include "notify/slack_request.h"

#include "notify/render_text.h"

namespace argus::notify {
namespace {

constexpr size_t kMaxTitleRunes = 1024;

void WriteFieldUnlessEmpty(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) WriteJsonField(w, key, value);
}

}  // namespace

void WriteSlackPostFields(JsonWriter& w, const SlackPostFields& post) {
  WriteFieldUnlessEmpty(w, "channel", post.channel);
  WriteFieldUnlessEmpty(w, "username", post.username);
  WriteFieldUnlessEmpty(w, "icon_emoji", post.icon_emoji);
  WriteFieldUnlessEmpty(w, "icon_url", post.icon_url);
  if (post.link_names) {
    w.Key("link_names");
    w.Bool(true);
  }
}

std::string RenderSlackAttachmentBody(const SlackPostFields& post, const SlackAttachmentFields& a) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  WriteSlackPostFields(w, post);
  w.Key("attachments");
  w.StartArray();
  w.StartObject();
  WriteFieldUnlessEmpty(w, "title", TruncateRunes(ToValidUtf8(a.title), kMaxTitleRunes));
  WriteFieldUnlessEmpty(w, "title_link", a.title_link);
  WriteFieldUnlessEmpty(w, "pretext", a.pretext);
  WriteJsonField(w, "text", a.text);
  WriteJsonField(w, "fallback", a.fallback);
  WriteJsonField(w, "callback_id", a.callback_id);
  WriteJsonField(w, "footer", a.footer);
  WriteFieldUnlessEmpty(w, "color", a.color);
  w.Key("mrkdwn_in");
  w.StartArray();
  if (a.mrkdwn_in.empty()) {
    for (std::string_view field : {"fallback", "pretext", "text"}) WriteJsonString(w, field);
  } else {
    for (const std::string& field : a.mrkdwn_in) WriteJsonString(w, field);
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace argus::notify
