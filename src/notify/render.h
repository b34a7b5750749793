#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/notify_config.h"
#include "notify/notification.h"
#include "notify/render_template.h"

namespace argus::notify {

// The renderer: turns a group notification into one request body per integration of the
// receiver, as Alertmanager 0.25 would for the same config, except that Slack configs without
// templates of their own get Argus' Block Kit message (slack_message.h).
//
// Pure: the result depends only on the arguments (times come from the notification), so the same
// group state always gives the same bytes. Thread-safe.

struct RenderOptions {
  // Where Argus' UI is (--web.external-url): the webhook's externalURL and the links in Slack
  // messages. May be empty.
  std::string external_url;
  // The notify section's templates (NotificationTemplates::Load); null: Argus' defaults alone.
  std::shared_ptr<const NotificationTemplates> templates;
};

struct RenderResult {
  // One message per integration that has something to tell: slack_configs in order, then
  // webhook_configs. An integration whose send_resolved is off has nothing to tell about a group
  // that is all resolved.
  std::vector<Message> messages;
  // What went wrong, each naming the integration ("slack_configs[1]: ..."): an integration that
  // could not be rendered (it has no message), or a template that failed (its Slack message went
  // out in Argus' form).
  std::vector<Status> errors;
};

RenderResult RenderNotification(const GroupNotification& notification,
                                const config::Receiver& receiver, const RenderOptions& options);

}  // namespace argus::notify
