#pragma once

#include <string>
#include <vector>

#include "notify/render_json.h"

namespace argus::notify {

// The parts of a Slack request body (incoming webhook or chat.postMessage) that both kinds of
// Slack message share, and Alertmanager's attachment message.

// The top-level fields that choose where and as whom a message is posted. Empty ones are left
// out; a webhook made after 2019 ignores all but `channel`'s absence.
struct SlackPostFields {
  std::string channel;
  std::string username;
  std::string icon_emoji;
  std::string icon_url;
  bool link_names = false;
};

// Writes the non-empty post fields as keys of the open top-level object, in Alertmanager's order.
void WriteSlackPostFields(JsonWriter& writer, const SlackPostFields& post);

// The one attachment of Alertmanager's Slack message, its templates expanded.
struct SlackAttachmentFields {
  std::string title;  // Cut to 1024 code points when written, as Alertmanager does.
  std::string title_link;
  std::string pretext;
  std::string text;
  std::string fallback;
  std::string callback_id;
  std::string footer;
  std::string color;
  std::vector<std::string> mrkdwn_in;  // Empty: ["fallback", "pretext", "text"].
};

// The body Alertmanager's Slack notifier sends: the post fields, then `attachments` with the one
// attachment, whose text, fallback, callback_id and footer are always present and whose other
// fields are left out when empty.
std::string RenderSlackAttachmentBody(const SlackPostFields& post,
                                      const SlackAttachmentFields& attachment);

}  // namespace argus::notify
