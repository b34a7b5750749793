#pragma once

#include <string_view>

#include "base/status.h"
#include "config/notify_config.h"
#include "notify/delivery_queue.h"

namespace argus::notify {

// The delivery queue's EndpointResolver over a notify configuration: the URL of integration
// `index` of `integration` ("slack", "webhook") of `receiver` (its api_url or url, or the file
// that holds it, read now so that it can rotate; global values are already in the integration's
// settings), with the Authorization header and TLS settings of its http_config. kNotFound when
// the configuration has no such integration; kIOError when a file cannot be read.
Result<Endpoint> ResolveEndpoint(const config::NotifyConfig& config, std::string_view receiver,
                                 std::string_view integration, int index);

}  // namespace argus::notify
