// Alertmanager's own configuration fixtures, each read as `notify: {config_file: ...}`: Argus
// gives every file Alertmanager's verdict, and its error message contains Alertmanager's text
// (after Argus' "<file>:<line>:<column>: <key path>: " prefix).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "config/config.h"

namespace argus::config {
namespace {

namespace fs = std::filesystem;

// What Alertmanager's tests (config/config_test.go, cli/check_config_test.go) expect of each
// file: nothing for a file that loads, else texts its error contains. Where Alertmanager's text is
// the YAML decoder's ("line 16: field teams not found in type opsgenie.plain"), Argus says the
// same in its own words, and the table holds those.
const std::map<std::string, std::vector<std::string>>& Verdicts() {
  static const auto* verdicts = new std::map<std::string, std::vector<std::string>>{
      {"config/conf.empty-fields.yml", {}},
      {"config/conf.good.yml", {}},
      {"config/conf.group-by-all.yml", {}},
      {"config/conf.http-config.good.yml", {}},
      {"config/conf.mattermost-both-webhook-url-and-file.yml",
       {"at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured"}},
      {"config/conf.mattermost-default-webhook-url-file.yml", {}},
      {"config/conf.mattermost-default-webhook-url.yml", {}},
      {"config/conf.mattermost-no-webhook-url.yml",
       {"missing webhook_url or webhook_url_file on mattermost_config"}},
      {"config/conf.mattermost-valid-receiver-both-webhook-url-and-file.yml",
       {"at most one of mattermost_webhook_url & mattermost_webhook_url_file must be configured"}},
      {"config/conf.nil-match_re-route.yml", {"invalid_label"}},
      {"config/conf.nil-source_match_re-inhibition.yml", {"invalid_source_label"}},
      {"config/conf.nil-target_match_re-inhibition.yml", {"invalid_target_label"}},
      {"config/conf.opsgenie-both-file-and-apikey.yml",
       {"at most one of opsgenie_api_key & opsgenie_api_key_file must be configured"}},
      {"config/conf.opsgenie-default-apikey-file.yml", {}},
      {"config/conf.opsgenie-default-apikey-old-team.yml",
       {"conf.opsgenie-default-apikey-old-team.yml:16:", "unknown field \"teams\""}},
      {"config/conf.opsgenie-default-apikey.yml", {}},
      {"config/conf.opsgenie-no-apikey.yml",
       {"no global OpsGenie API Key set either inline or in a file"}},
      {"config/conf.rocketchat-both-token-and-tokenfile.yml",
       {"at most one of rocketchat_token & rocketchat_token_file must be configured"}},
      {"config/conf.rocketchat-both-tokenid-and-tokenidfile.yml",
       {"at most one of rocketchat_token_id & rocketchat_token_id_file must be configured"}},
      {"config/conf.rocketchat-default-token-file.yml", {}},
      {"config/conf.rocketchat-default-token.yml", {}},
      {"config/conf.rocketchat-no-token.yml",
       {"no global Rocketchat Token set either inline or in a file"}},
      {"config/conf.slack-both-file-and-token.yml",
       {"at most one of slack_app_token & slack_app_token_file must be configured"}},
      {"config/conf.slack-both-file-and-url.yml",
       {"at most one of slack_api_url & slack_api_url_file must be configured"}},
      {"config/conf.slack-both-url-and-token.yml",
       {"at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file "
        "must be configured"}},
      {"config/conf.slack-default-api-url-file.yml", {}},
      {"config/conf.slack-default-app-token.yml", {}},
      {"config/conf.slack-no-api-url-or-token.yml",
       {"no Slack API URL nor App token set either inline or in a file"}},
      {"config/conf.slack-update-message-and-webhook.yml",
       {"update_message can only be used with bot tokens. api_url must be set to "
        "https://slack.com/api/chat.postMessage"}},
      {"config/conf.smtp-both-password-and-file.yml",
       {"at most one of smtp_auth_password & smtp_auth_password_file must be configured"}},
      {"config/conf.smtp-no-username-or-password.yml", {}},
      {"config/conf.smtp-password-global-and-local.yml", {}},
      {"config/conf.sns-invalid.yml",
       {"must provide either a Target ARN, Topic ARN, or Phone Number for SNS config"}},
      {"config/conf.sns-topic-arn.yml", {}},
      {"config/conf.telegram-both-bot-token-and-file.yml",
       {"at most one of telegram_bot_token & telegram_bot_token_file must be configured"}},
      {"config/conf.telegram-default-bot-token-file.yml", {}},
      {"config/conf.telegram-default-bot-token.yml", {}},
      {"config/conf.telegram-no-bot-token.yml",
       {"missing bot_token or bot_token_file on telegram_config"}},
      {"config/conf.telegram-valid-receiver-both-bot-token-and-file.yml",
       {"at most one of telegram_bot_token & telegram_bot_token_file must be configured"}},
      {"config/conf.victorops-both-file-and-apikey.yml",
       {"at most one of victorops_api_key & victorops_api_key_file must be configured"}},
      {"config/conf.victorops-default-apikey-file.yml", {}},
      {"config/conf.victorops-default-apikey.yml", {}},
      {"config/conf.victorops-no-apikey.yml", {"no global VictorOps API Key set"}},
      {"config/conf.wechat-both-file-and-secret.yml",
       {"at most one of wechat_api_secret & wechat_api_secret_file must be configured"}},
      {"config/conf.wechat-default-api-secret-file.yml", {}},
      {"config/conf.wechat-no-api-secret.yml",
       {"no global Wechat Api Secret set either inline or in a file"}},
      // amtool check-config's fixtures.
      {"cli/conf.bad.yml", {"expected a mapping"}},
      {"cli/conf.good.yml", {}},
      {"cli/conf.routing-reverted.yml", {}},
      {"cli/conf.routing.yml", {}},
  };
  return *verdicts;
}

std::optional<fs::path> FixtureRoot() {
  const char* shared = std::getenv("ARGUS_SHARED_DIR");
  if (shared == nullptr) return std::nullopt;
  fs::path root = fs::path(shared) / "conformance/alertmanager";
  if (!fs::is_directory(root / "config/testdata")) return std::nullopt;
  return root;
}

Result<Config> ParseWrapped(const fs::path& file) {
  return Parse("notify: {config_file: '" + file.string() + "'}\n", "argus.yml");
}

TEST(AlertmanagerCompatTest, EveryFixtureGetsAlertmanagersVerdict) {
  auto root = FixtureRoot();
  if (!root) GTEST_SKIP() << "Alertmanager's fixtures (ARGUS_SHARED_DIR) are not available";
  size_t checked = 0;
  for (const char* folder : {"config", "cli"}) {
    for (const auto& entry : fs::directory_iterator(*root / folder / "testdata")) {
      std::string name = std::string(folder) + "/" + entry.path().filename().string();
      auto verdict = Verdicts().find(name);
      ASSERT_NE(verdict, Verdicts().end()) << name << " has no verdict in this test's table";
      auto config = ParseWrapped(entry.path());
      ++checked;
      if (verdict->second.empty()) {
        EXPECT_TRUE(config.ok()) << name << ": " << config.status().message();
        if (config.ok()) EXPECT_TRUE(config->notify.has_value()) << name;
        continue;
      }
      ASSERT_FALSE(config.ok()) << name << " loads, but Alertmanager refuses it";
      const std::string& message = config.status().message();
      for (const std::string& text : verdict->second) {
        EXPECT_NE(message.find(text), std::string::npos) << name << ": " << message;
      }
      // Located in the fixture, not in the file that names it.
      EXPECT_NE(message.find(entry.path().string() + ":"), std::string::npos) << message;
    }
  }
  EXPECT_EQ(checked, Verdicts().size());
}

// Alertmanager's TestHideConfigSecrets: the good configuration shows "<secret>" 13 times (the
// inherited SMTP password and Slack URL included) and never a secret.
TEST(AlertmanagerCompatTest, OriginalHidesEverySecret) {
  auto root = FixtureRoot();
  if (!root) GTEST_SKIP() << "Alertmanager's fixtures (ARGUS_SHARED_DIR) are not available";
  auto config = ParseWrapped(*root / "config/testdata/conf.good.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  const std::string& original = config->notify->original;
  size_t secrets = 0;
  for (size_t at = 0; (at = original.find("<secret>", at)) != std::string::npos; ++at) ++secrets;
  EXPECT_EQ(secrets, 13u) << original;
  EXPECT_EQ(original.find("mysecret"), std::string::npos) << original;
}

}  // namespace
}  // namespace argus::config
