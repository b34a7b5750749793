#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "config/notify_config.h"
#include "notify/queue_record.h"

namespace argus::notify {

// What the delivery queue last delivered on one lane and group (DeliveryQueue::LastDelivery).
using LastDeliveryFunc = std::function<std::optional<DeliveryEntry>(const DeliveryKey& key)>;

// The DispatcherDeps::already_accepted hook over the delivery queue's log: a group's state counts
// as told to a receiver when each of the receiver's slack_configs and webhook_configs last
// delivered exactly that state (the renderer's GroupStateHash) for the group. A receiver without
// such integrations has been told nothing. `config` is the configuration in force (a reload gives
// the dispatcher a new hook); `last_delivery` must outlive the hook. Thread-safe when
// `last_delivery` is.
std::function<bool(std::string_view receiver, std::string_view group_key,
                   uint64_t group_state_hash)>
AlreadyDelivered(std::shared_ptr<const config::NotifyConfig> config,
                 LastDeliveryFunc last_delivery);

}  // namespace argus::notify
