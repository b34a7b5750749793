#include "notify/dispatch_restart.h"

#include <algorithm>
#include <string>

namespace argus::notify {

std::function<bool(std::string_view, std::string_view, uint64_t)> AlreadyDelivered(
    std::shared_ptr<const config::NotifyConfig> config, LastDeliveryFunc last_delivery) {
  return [config = std::move(config), last_delivery = std::move(last_delivery)](
             std::string_view receiver, std::string_view group_key, uint64_t hash) {
    auto it = std::find_if(config->receivers.begin(), config->receivers.end(),
                           [&](const config::Receiver& r) { return r.name == receiver; });
    if (it == config->receivers.end()) return false;
    const std::pair<std::string_view, size_t> lanes[] = {{"slack", it->slack_configs.size()},
                                                         {"webhook", it->webhook_configs.size()}};
    bool any = false;
    for (auto [integration, count] : lanes) {
      for (size_t i = 0; i < count; ++i) {
        std::optional<DeliveryEntry> last =
            last_delivery(DeliveryKey{std::string(receiver), std::string(integration),
                                      static_cast<int>(i), std::string(group_key)});
        if (!last || last->group_state_hash != hash) return false;
        any = true;
      }
    }
    return any;
  };
}

}  // namespace argus::notify
