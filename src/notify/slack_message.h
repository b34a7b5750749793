#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "config/notify_config.h"
#include "notify/render_data.h"
#include "notify/render_template.h"

namespace argus::notify {

// The request body for one slack_config, made from MakeRenderData's data with the config's
// send_resolved.
//
// When the config sets none of title, text, ... (SlackConfig::uses_default_text) the body is
// Argus' own Block Kit message (slack_blocks.h); `channel`, `username`, `icon_emoji` and
// `icon_url` are added when the config sets them. Otherwise it is Alertmanager's attachment
// message (slack_request.h) with every field expanded with `templates`. When a template fails, the
// message falls back to Argus' own, so that the alert is still told, and the failure is appended to
// `*warnings`.
//
// Fails with kInvalidInput when api_url is Slack's chat.postMessage (a bot token in
// http_config.authorization) and the message has no channel: Slack would refuse it.
Result<std::string> RenderSlackBody(const RenderData& data, const config::SlackConfig& config,
                                    const NotificationTemplates& templates,
                                    std::vector<Status>* warnings);

}  // namespace argus::notify
