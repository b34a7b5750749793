#include "notify/render.h"

#include <fmt/format.h>

#include "notify/render_data.h"
#include "notify/slack_message.h"
#include "notify/webhook_message.h"

namespace argus::notify {

RenderResult RenderNotification(const GroupNotification& notification,
                                const config::Receiver& receiver, const RenderOptions& options) {
  RenderResult result;
  const NotificationTemplates& templates =
      options.templates ? *options.templates : *NotificationTemplates::Defaults();
  uint64_t state_hash = GroupStateHash(notification);
  auto add_message = [&](std::string_view integration, int index, std::string body) {
    result.messages.push_back({.receiver = notification.receiver,
                               .integration = std::string(integration),
                               .integration_index = index,
                               .group_key = notification.group_key,
                               .group_state_hash = state_hash,
                               .body = std::move(body),
                               .created_ms = notification.now_ms});
  };

  for (size_t i = 0; i < receiver.slack_configs.size(); ++i) {
    const config::SlackConfig& config = receiver.slack_configs[i];
    std::optional<RenderData> data = MakeRenderData(
        notification,
        {.external_url = options.external_url, .send_resolved = config.send_resolved});
    if (!data) continue;
    std::vector<Status> warnings;
    Result<std::string> body = RenderSlackBody(*data, config, templates, &warnings);
    std::string context = fmt::format("slack_configs[{}]", i);
    for (const Status& warning : warnings) result.errors.push_back(warning.Wrap(context));
    if (body.ok()) {
      add_message("slack", static_cast<int>(i), std::move(body).value());
    } else {
      result.errors.push_back(body.status().Wrap(context));
    }
  }
  for (size_t i = 0; i < receiver.webhook_configs.size(); ++i) {
    const config::WebhookConfig& config = receiver.webhook_configs[i];
    std::optional<RenderData> data =
        MakeRenderData(notification, {.external_url = options.external_url,
                                      .send_resolved = config.send_resolved,
                                      .max_alerts = config.max_alerts});
    if (data) add_message("webhook", static_cast<int>(i), RenderWebhookBody(*data));
  }
  return result;
}

}  // namespace argus::notify
