#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "notify/render_data.h"

namespace argus::notify {

// Expands a notification template, a field of a receiver's config such as a slack_config's
// `title` ("{{ template \"slack.default.title\" . }}"), over `data` as Alertmanager does.
//
// Until Argus has Go's template language, text without an action ("{{") comes back as it is, and
// text with one fails with kInvalidInput.
Result<std::string> ExpandNotificationTemplate(std::string_view text, const RenderData& data);

}  // namespace argus::notify
