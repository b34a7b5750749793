#include "notify/endpoints.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace argus::notify {
namespace {

config::NotifyConfig TwoReceivers(const std::string& url_file) {
  config::NotifyConfig config;
  config::Receiver team{.name = "team"};
  config::SlackConfig inline_url;
  inline_url.api_url.value = "https://hooks.slack.test/services/T/B/inline";
  inline_url.http_config.authorization =
      config::HttpClientConfig::Authorization{"Bearer", "xoxb-1", ""};
  config::SlackConfig from_file;
  from_file.api_url_file = url_file;
  from_file.http_config.follow_redirects = false;
  team.slack_configs = {inline_url, from_file};
  config::WebhookConfig hook;
  hook.url.value = "http://127.0.0.1:1/hook";
  team.webhook_configs = {hook};
  config.receivers = {config::Receiver{.name = "quiet"}, team};
  return config;
}

TEST(ResolveEndpointTest, TakesEachIntegrationsUrlAndCredentials) {
  auto path = std::filesystem::temp_directory_path() / "argus_endpoints_test_url";
  std::ofstream(path) << "https://hooks.slack.test/services/T/B/fromfile\n";
  config::NotifyConfig config = TwoReceivers(path.string());

  auto first = ResolveEndpoint(config, "team", "slack", 0);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->url, "https://hooks.slack.test/services/T/B/inline");
  EXPECT_EQ(first->headers.at("Authorization"), "Bearer xoxb-1");
  EXPECT_TRUE(first->follow_redirects);

  auto second = ResolveEndpoint(config, "team", "slack", 1);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->url, "https://hooks.slack.test/services/T/B/fromfile");
  EXPECT_FALSE(second->headers.contains("Authorization"));
  EXPECT_FALSE(second->follow_redirects);

  // The file is read at each resolution: a rotated URL applies to the next attempt.
  std::ofstream(path) << "https://hooks.slack.test/services/T/B/rotated\n";
  EXPECT_EQ(ResolveEndpoint(config, "team", "slack", 1)->url,
            "https://hooks.slack.test/services/T/B/rotated");

  EXPECT_EQ(ResolveEndpoint(config, "team", "webhook", 0)->url, "http://127.0.0.1:1/hook");
  std::filesystem::remove(path);
}

TEST(ResolveEndpointTest, WhatTheConfigurationLacksIsNotFoundAndAnUnreadableFileIsAnIOError) {
  config::NotifyConfig config = TwoReceivers("/nonexistent/argus/slack-url");
  EXPECT_EQ(ResolveEndpoint(config, "team", "slack", 2).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ResolveEndpoint(config, "team", "email", 0).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ResolveEndpoint(config, "gone", "slack", 0).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ResolveEndpoint(config, "quiet", "slack", 0).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(ResolveEndpoint(config, "team", "slack", 1).status().code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace argus::notify
