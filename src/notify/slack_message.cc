#include "notify/slack_message.h"

#include <optional>

#include "notify/slack_blocks.h"
#include "notify/slack_request.h"

namespace argus::notify {
namespace {

constexpr std::string_view kChatPostMessageUrl = "https://slack.com/api/chat.postMessage";

// A field of the config and where its expansion goes.
struct TemplateField {
  std::string* out;
  const std::string& text;
  const std::string& default_text;
};

// The templates and the data they are expanded with.
struct Expander {
  const NotificationTemplates& templates;
  tmpl::Value data;
};

// Expands the fields in order, those still at their default too unless `only_set`; stops at the
// first that fails.
Status ExpandFields(const Expander& expander, std::initializer_list<TemplateField> fields,
                    bool only_set) {
  for (const TemplateField& field : fields) {
    if (only_set && field.text == field.default_text) continue;
    ARGUS_ASSIGN_OR_RETURN(*field.out, expander.templates.Expand(field.text, expander.data));
  }
  return Status::Ok();
}

const config::SlackConfig& Defaults() {
  static const config::SlackConfig defaults;
  return defaults;
}

Result<SlackPostFields> ExpandPostFields(const Expander& expander, const config::SlackConfig& c,
                                         bool only_set) {
  const config::SlackConfig& d = Defaults();
  SlackPostFields post{.link_names = c.link_names};
  ARGUS_RETURN_IF_ERROR(ExpandFields(expander,
                                     {{&post.channel, c.channel, d.channel},
                                      {&post.username, c.username, d.username},
                                      {&post.icon_emoji, c.icon_emoji, d.icon_emoji},
                                      {&post.icon_url, c.icon_url, d.icon_url}},
                                     only_set));
  return post;
}

Result<SlackAttachmentFields> ExpandAttachmentFields(const Expander& expander,
                                                     const config::SlackConfig& c) {
  const config::SlackConfig& d = Defaults();
  SlackAttachmentFields a{.mrkdwn_in = c.mrkdwn_in};
  ARGUS_RETURN_IF_ERROR(ExpandFields(expander,
                                     {{&a.title, c.title, d.title},
                                      {&a.title_link, c.title_link, d.title_link},
                                      {&a.pretext, c.pretext, d.pretext},
                                      {&a.text, c.text, d.text},
                                      {&a.fallback, c.fallback, d.fallback},
                                      {&a.callback_id, c.callback_id, d.callback_id},
                                      {&a.footer, c.footer, d.footer},
                                      {&a.color, c.color, d.color}},
                                     /*only_set=*/false));
  return a;
}

}  // namespace

Result<std::string> RenderSlackBody(const RenderData& data, const config::SlackConfig& config,
                                    const NotificationTemplates& templates,
                                    std::vector<Status>* warnings) {
  const Expander expander{.templates = templates, .data = TemplateData(data)};
  std::optional<std::string> body;
  SlackPostFields post;
  if (!config.uses_default_text) {
    Result<SlackPostFields> expanded_post = ExpandPostFields(expander, config, /*only_set=*/false);
    Result<SlackAttachmentFields> attachment =
        expanded_post.ok() ? ExpandAttachmentFields(expander, config) : expanded_post.status();
    if (attachment.ok()) {
      post = std::move(expanded_post).value();
      body = RenderSlackAttachmentBody(post, *attachment);
    } else {
      warnings->push_back(attachment.status().Wrap("sending Argus' Slack message instead"));
    }
  }
  if (!body) {
    Result<SlackPostFields> expanded_post = ExpandPostFields(expander, config, /*only_set=*/true);
    if (expanded_post.ok()) {
      post = std::move(expanded_post).value();
    } else {
      warnings->push_back(expanded_post.status());
      post = SlackPostFields{.link_names = config.link_names};
    }
    body = RenderSlackBlocksBody(data, post);
  }
  if (config.api_url.value.starts_with(kChatPostMessageUrl) && post.channel.empty()) {
    return Status::Error("Slack's chat.postMessage needs a channel: set `channel`",
                         Status::Code::kInvalidInput);
  }
  return std::move(*body);
}

}  // namespace argus::notify
