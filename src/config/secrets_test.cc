#include "config/secrets.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace argus::config {
namespace {

int Count(std::string_view text, std::string_view what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(ShownConfigTest, HidesEverySecretAndKeepsTheRest) {
  constexpr std::string_view kYaml = R"(
global: {scrape_interval: 30s}
scrape_configs:
  - job_name: api
    basic_auth: {username: scraper, password: pw-scrape}
    static_configs: [{targets: ['a:80']}]
  - job_name: consul
    authorization: {credentials: cred-scrape}
    consul_sd_configs: [{server: 'consul:8500', token: tok-consul}]
notify:
  global: {slack_api_url: 'https://hooks.slack.com/services/T0/B0/url-slack'}
  route: {receiver: team}
  receivers:
    - name: team
      slack_configs: [{channel: '#alerts'}]
      webhook_configs:
        - url: 'http://hook.example/url-hook'
          http_config: {bearer_token: tok-hook}
)";
  ASSERT_TRUE(Parse(kYaml, "test.yml").ok());
  std::string shown = ShownConfig(kYaml);
  for (std::string_view secret :
       {"pw-scrape", "cred-scrape", "tok-consul", "url-slack", "url-hook", "tok-hook"}) {
    EXPECT_EQ(shown.find(secret), std::string::npos) << secret << " shown in:\n" << shown;
  }
  // The global Slack URL, the one the Slack config inherits, and the five others.
  EXPECT_EQ(Count(shown, "<secret>"), 7) << shown;
  EXPECT_NE(shown.find("username: scraper"), std::string::npos) << shown;
  EXPECT_NE(shown.find("consul:8500"), std::string::npos) << shown;
  EXPECT_NE(shown.find("#alerts"), std::string::npos) << shown;
}

TEST(ShownConfigTest, ANotifyFileIsNamedNotShown) {
  constexpr std::string_view kYaml = "notify: {config_file: alertmanager.yml}\n";
  EXPECT_NE(ShownConfig(kYaml).find("config_file: alertmanager.yml"), std::string::npos);
}

}  // namespace
}  // namespace argus::config
