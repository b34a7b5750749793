#pragma once

#include <string>

#include "notify/render_data.h"
#include "notify/slack_request.h"

namespace argus::notify {

// Argus' own Slack message, sent when a slack_config sets none of title, text, ... It is an
// incoming-webhook (or chat.postMessage) body with:
//
// - `text`, the plain fallback that notifications show: the headline and the first alert's
//   summary, "[FIRING:2] HighMemoryUsage · namespace shop — Memory at 93% of the limit (+1 more)";
// - `blocks`: a headline section, ":red_circle: *[FIRING:2] HighMemoryUsage* · namespace `shop`",
//   then one section per event of the group (see slack_event.h);
// - `attachments`: one, coloured by the group's state ("danger" while any alert fires, "good" when
//   all are resolved), whose blocks give each alert a section: what fired (alertname linked to
//   its generator URL, severity, summary; with one alert also the description), where (the
//   cluster, namespace, pod, container and instance labels; with several alerts only those that
//   are not group labels), the value (a `value` annotation or label), since when and for how
//   long, or for a resolved alert how long it lasted. A context block says how many alerts were
//   not listed and links to the group in Argus' UI:
//   <external URL>/alerts?receiver=<receiver>&filter=<group labels as matchers>.
//
// A group of events alone gets the text and one section per event, and no attachment.
//
// Alerts are listed firing first, at most 10 of them, as are events. Everything from outside is
// escaped and cut so that the message stays within Slack's limits (slack_text.h) whatever the
// alerts hold. The output depends only on `data` and `post`.
std::string RenderSlackBlocksBody(const RenderData& data, const SlackPostFields& post);

}  // namespace argus::notify
