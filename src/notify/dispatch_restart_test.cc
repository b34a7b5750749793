#include "notify/dispatch_restart.h"

#include <gtest/gtest.h>

#include <map>

namespace argus::notify {
namespace {

TEST(AlreadyDeliveredTest, EveryIntegrationMustHaveDeliveredTheState) {
  auto config = std::make_shared<config::NotifyConfig>();
  config::Receiver team{.name = "team"};
  team.slack_configs.resize(1);
  team.webhook_configs.resize(2);
  config->receivers = {team, config::Receiver{.name = "nobody"}};
  std::map<DeliveryKey, DeliveryEntry> delivered;
  auto hook = AlreadyDelivered(config, [&](const DeliveryKey& key) {
    auto it = delivered.find(key);
    return it == delivered.end() ? std::nullopt : std::optional<DeliveryEntry>(it->second);
  });
  const std::string group = R"({}:{alertname="Down"})";
  auto deliver = [&](std::string integration, int index, uint64_t hash) {
    delivered[DeliveryKey{"team", std::move(integration), index, group}] = DeliveryEntry{hash, 1};
  };

  EXPECT_FALSE(hook("team", group, 7));
  deliver("slack", 0, 7);
  deliver("webhook", 0, 7);
  EXPECT_FALSE(hook("team", group, 7));  // webhook_configs[1] has not.
  deliver("webhook", 1, 8);
  EXPECT_FALSE(hook("team", group, 7));  // It delivered another state.
  deliver("webhook", 1, 7);
  EXPECT_TRUE(hook("team", group, 7));
  EXPECT_FALSE(hook("team", R"({}:{alertname="Other"})", 7));
  EXPECT_FALSE(hook("nobody", group, 7));  // No integrations: nothing was told.
  EXPECT_FALSE(hook("unknown", group, 7));
}

}  // namespace
}  // namespace argus::notify
