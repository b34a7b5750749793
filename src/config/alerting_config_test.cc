// The `alerting:` section as Prometheus 2.42 reads it: defaults, every field, and its errors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config.h"

namespace argus::config {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(AlertingConfigTest, DefaultsAreThoseOfPrometheus) {
  auto c = Parse("alerting:\n  alertmanagers:\n    - static_configs: [{targets: ['am:9093']}]\n",
                 "/etc/argus/p.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->warnings.empty());
  ASSERT_EQ(c->alerting.alertmanagers.size(), 1u);
  const AlertmanagerConfig& am = c->alerting.alertmanagers[0];
  EXPECT_EQ(am.scheme, "http");
  EXPECT_EQ(am.path_prefix, "");
  EXPECT_EQ(am.timeout, seconds(10));
  EXPECT_EQ(am.api_version, "v2");
  EXPECT_TRUE(am.http_client.follow_redirects);
  ASSERT_EQ(am.static_configs.size(), 1u);
  EXPECT_THAT(am.static_configs[0].targets, ElementsAre("am:9093"));
}

TEST(AlertingConfigTest, EveryFieldIsRead) {
  auto c = Parse(R"(alerting:
  alert_relabel_configs:
    - {action: labeldrop, regex: replica}
  alertmanagers:
    - scheme: https
      path_prefix: /am
      timeout: 3s
      api_version: v1
      basic_auth: {username: argus, password_file: am-password}
      tls_config: {ca_file: ca.pem, server_name: am.example}
      static_configs: [{targets: ['am-0:9093'], labels: {zone: a}}]
      file_sd_configs: [{files: ['am/*.json'], refresh_interval: 30s}]
      relabel_configs:
        - {source_labels: [zone], regex: b, action: drop}
      alert_relabel_configs:
        - {target_label: via, replacement: argus}
    - authorization: {credentials_file: token}
      static_configs: [{targets: ['am-1:9093']}]
      kubernetes_sd_configs: [{role: pod}]
)",
                 "/etc/argus/p.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->alerting.alert_relabel_configs.size(), 1u);
  ASSERT_EQ(c->alerting.alertmanagers.size(), 2u);
  const AlertmanagerConfig& am = c->alerting.alertmanagers[0];
  EXPECT_EQ(am.scheme, "https");
  EXPECT_EQ(am.path_prefix, "/am");
  EXPECT_EQ(am.timeout, seconds(3));
  EXPECT_EQ(am.api_version, "v1");
  ASSERT_TRUE(am.http_client.basic_auth.has_value());
  EXPECT_EQ(am.http_client.basic_auth->password_file, "/etc/argus/am-password");
  EXPECT_EQ(am.http_client.tls_config.ca_file, "/etc/argus/ca.pem");
  EXPECT_EQ(am.static_configs[0].labels.Get("zone"), "a");
  ASSERT_EQ(am.file_sd_configs.size(), 1u);
  EXPECT_THAT(am.file_sd_configs[0].files, ElementsAre("/etc/argus/am/*.json"));
  EXPECT_EQ(am.relabel_configs.size(), 1u);
  EXPECT_EQ(am.alert_relabel_configs.size(), 1u);
  const AlertmanagerConfig& second = c->alerting.alertmanagers[1];
  ASSERT_TRUE(second.http_client.authorization.has_value());
  EXPECT_EQ(second.http_client.authorization->credentials_file, "/etc/argus/token");
  // Service discovery Argus does not run is accepted and named.
  EXPECT_THAT(c->warnings,
              ElementsAre(HasSubstr("p.yml:19:7: alerting.alertmanagers[1].kubernetes_sd_configs: "
                                    "accepted, but this version of Argus does not act on it yet")));
}

TEST(AlertingConfigTest, ErrorsAreLocatedAsPrometheusWordsThem) {
  struct Case {
    std::string yaml;
    std::string error;
  } cases[] = {
      {"alerting:\n  alertmanagers:\n    - api_version: v3\n",
       "test.yml:3:20: alerting.alertmanagers[0].api_version: expected Alertmanager api version "
       "to be one of [v1 v2] but got v3"},
      {"alerting:\n  alertmanagers:\n    - static_configs: [{targets: ['http://am:9093']}]\n",
       "test.yml:3:35: alerting.alertmanagers[0].static_configs[0].targets[0]: "
       "\"http://am:9093\" is not a valid hostname"},
      {"alerting:\n  alertmanagers:\n    - timeout: soon\n",
       "test.yml:3:16: alerting.alertmanagers[0].timeout: invalid duration \"soon\""},
      {"alerting:\n  alertmanagers:\n    - static_config: []\n",
       "test.yml:3:7: alerting.alertmanagers[0].static_config: unknown field \"static_config\""},
      {"alerting:\n  alertmanagers:\n    - basic_auth: {username: a}\n      bearer_token: b\n",
       "test.yml:3:7: alerting.alertmanagers[0]: at most one of basic_auth, oauth2, bearer_token "
       "& bearer_token_file, or authorization must be configured"},
      {"alerting:\n  alertmanagers: {}\n",
       "test.yml:2:18: alerting.alertmanagers: expected a list"},
  };
  for (const Case& c : cases) {
    auto parsed = Parse(c.yaml, "test.yml");
    ASSERT_FALSE(parsed.ok()) << c.yaml;
    EXPECT_EQ(parsed.status().message(), c.error) << c.yaml;
  }
  // A URL is allowed when relabeling may make an address of it, as for scrape targets.
  EXPECT_TRUE(Parse("alerting:\n  alertmanagers:\n    - static_configs: [{targets: ['http://a']}]\n"
                    "      relabel_configs: [{target_label: __address__, replacement: 'a:1'}]\n",
                    "test.yml")
                  .ok());
}

}  // namespace
}  // namespace argus::config
