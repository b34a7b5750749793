#pragma once

#include <string>

#include "notify/render_data.h"

namespace argus::notify {

// The body a <webhook_config> POSTs: Alertmanager's JSON message, version 4, with the fields of
// Alertmanager 0.25 in its order (receiver, status, alerts, groupLabels, commonLabels,
// commonAnnotations, externalURL, version, groupKey, truncatedAlerts). Each alert has status,
// labels, annotations, startsAt, endsAt ("0001-01-01T00:00:00Z" while it fires, as Alertmanager
// hides an end that has not come), generatorURL and fingerprint. `data` comes from MakeRenderData
// with the config's send_resolved and max_alerts.
std::string RenderWebhookBody(const RenderData& data);

}  // namespace argus::notify
