// Alertmanager's configuration fixtures, checked by Debian's `amtool check-config` and by `argus
// check config` (each wrapped as `notify: {config_file: ...}`): both give every file the same
// verdict. Debian ships Alertmanager 0.25, while the fixtures come from a later Alertmanager whose
// schema Argus reads; where 0.25 refuses a file only because it predates what the file uses, the
// table below says so, and the test checks that amtool's refusal is that one.

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "process.h"

namespace argus::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr const char* kAmtool = "/usr/bin/amtool";

// Fixtures that Alertmanager 0.25 refuses only because they use later features, and the words of
// its refusal. The others get the same verdict from both.
const std::map<std::string, std::string>& NewerThanAmtool() {
  static const auto* files = new std::map<std::string, std::string>{
      // Mattermost (0.28) and Rocket.Chat (0.27) receivers.
      {"conf.mattermost-default-webhook-url-file.yml", "field mattermost_configs not found"},
      {"conf.mattermost-default-webhook-url.yml", "field mattermost_configs not found"},
      {"conf.rocketchat-default-token-file.yml", "field rocketchat_configs not found"},
      {"conf.rocketchat-default-token.yml", "field rocketchat_configs not found"},
      // Slack app tokens (0.28).
      {"conf.slack-default-app-token.yml", "field slack_app_token not found"},
      // *_file variants of the SMTP secret and of WeChat's secret.
      {"conf.smtp-password-global-and-local.yml", "field smtp_auth_secret_file not found"},
      {"conf.wechat-default-api-secret-file.yml", "field wechat_api_secret_file not found"},
      // 0.25's Telegram configs take no bot token from `global:`.
      {"conf.telegram-default-bot-token-file.yml", "missing bot_token on telegram_config"},
      {"conf.telegram-default-bot-token.yml", "missing bot_token on telegram_config"},
  };
  return *files;
}

// Fixtures whose error Alertmanager 0.25 words differently from the later Alertmanager whose
// words Argus uses.
const std::map<std::string, std::string>& WordedDifferentlyByAmtool() {
  static const auto* files = new std::map<std::string, std::string>{
      {"conf.slack-no-api-url-or-token.yml",
       "no global Slack API URL set either inline or in a file"},
      {"conf.telegram-both-bot-token-and-file.yml", "missing bot_token on telegram_config"},
      {"conf.telegram-no-bot-token.yml", "missing bot_token on telegram_config"},
      {"conf.wechat-no-api-secret.yml", "no global Wechat ApiSecret set"},
  };
  return *files;
}

// amtool's reason for refusing a file, unless it is the YAML decoder's.
std::string AmtoolReason(const std::string& output) {
  size_t at = output.find("FAILED: ");
  if (at == std::string::npos) return "";
  std::string reason = output.substr(at + 8, output.find('\n', at) - at - 8);
  return reason.starts_with("yaml: ") ? "" : reason;
}

struct Outcome {
  int code = -1;
  std::string output;
};

Outcome RunProcess(const TempDir& dir, const std::vector<std::string>& argv) {
  auto p = ChildProcess::Start(argv, dir.path() / "run.log");
  EXPECT_TRUE(p.has_value()) << argv[0];
  if (!p) return {};
  return {p->Wait(seconds(60)).value_or(-1), p->Log()};
}

TEST(AmtoolConfigTest, AmtoolAndArgusAgreeOnAlertmanagersFixtures) {
  if (!fs::exists(kAmtool)) {
    GTEST_SKIP() << "amtool (Debian's prometheus-alertmanager package) is not installed";
  }
  auto config_dir = SharedFile("conformance/alertmanager/config/testdata");
  auto cli_dir = SharedFile("conformance/alertmanager/cli/testdata");
  if (!config_dir || !cli_dir) {
    GTEST_SKIP() << "Alertmanager's fixtures (ARGUS_SHARED_DIR) are not available";
  }
  size_t compared = 0;
  for (const fs::path& folder : {*config_dir, *cli_dir}) {
    for (const auto& entry : fs::directory_iterator(folder)) {
      TempDir dir;
      std::string name = entry.path().filename().string();
      Outcome amtool = RunProcess(dir, {kAmtool, "check-config", entry.path().string()});
      auto argus_yml =
          dir.Write("argus.yml", "notify: {config_file: '" + entry.path().string() + "'}\n");
      Outcome argus =
          RunProcess(dir, {std::getenv("ARGUS_BINARY"), "check", "config", argus_yml.string()});
      ASSERT_TRUE(amtool.code == 0 || amtool.code == 1) << name << ": " << amtool.output;
      ++compared;
      auto newer = NewerThanAmtool().find(name);
      if (newer != NewerThanAmtool().end() && amtool.code == 1 && argus.code == 0) {
        std::printf("%s: Alertmanager 0.25 refuses it for a later feature (%s); Argus reads it\n",
                    name.c_str(), newer->second.c_str());
        EXPECT_NE(amtool.output.find(newer->second), std::string::npos) << name << amtool.output;
        continue;
      }
      EXPECT_EQ(argus.code, amtool.code) << name << "\namtool:\n"
                                         << amtool.output << "\nargus:\n"
                                         << argus.output;
      // Both refuse it: Argus gives Alertmanager's reason, where 0.25 words it as later ones do.
      std::string reason = AmtoolReason(amtool.output);
      auto worded = WordedDifferentlyByAmtool().find(name);
      if (worded != WordedDifferentlyByAmtool().end()) {
        EXPECT_EQ(reason, worded->second) << name;
      } else if (amtool.code == 1 && !reason.empty()) {
        EXPECT_NE(argus.output.find(reason), std::string::npos) << name << "\n" << argus.output;
      }
    }
  }
  EXPECT_EQ(compared, 50u);
}

}  // namespace
}  // namespace argus::testing
