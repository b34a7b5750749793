// prometheus.yml files as people have them: every section of Prometheus 2.42 is accepted, what
// Argus does not act on yet is named in one warning each, and every error is reported at once.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "config/config.h"

namespace argus::config {
namespace {

using std::chrono::minutes;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

constexpr std::string_view kNotActedOn =
    ": accepted, but this version of Argus does not act on it yet";

// The key paths that the warnings of `c` name, each checked to be located and worded alike.
std::vector<std::string> WarnedPaths(const Config& c) {
  std::vector<std::string> paths;
  for (const std::string& w : c.warnings) {
    // "<source>:<line>:<column>: <path>: accepted, ..."
    size_t path_start = w.find(": ") + 2;
    size_t path_end = w.find(kNotActedOn);
    EXPECT_NE(path_end, std::string::npos) << w;
    if (path_end == std::string::npos) continue;
    paths.push_back(w.substr(path_start, path_end - path_start));
  }
  return paths;
}

std::vector<std::string> ErrorsOf(const std::string& yaml) {
  auto c = Parse(yaml, "test.yml");
  EXPECT_FALSE(c.ok()) << yaml;
  if (c.ok()) return {};
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidInput);
  std::vector<std::string> lines;
  std::string_view text = c.status().message();
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

TEST(PrometheusCompatTest, EachSectionNotActedOnIsAcceptedWithOneLocatedWarning) {
  auto c = Parse(R"(global:
  query_log_file: queries.log
rule_files: [alerts.yml, more.yml]
alerting:
  alertmanagers:
    - static_configs: [{targets: ['am:9093']}]
remote_write:
  - url: http://store/api/v1/write
  - url: http://other/api/v1/write
remote_read:
  - url: http://store/api/v1/read
storage:
  tsdb: {out_of_order_time_window: 5m}
  exemplars: {max_exemplars: 10}
tracing:
  endpoint: otel:4317
scrape_configs:
  - job_name: pods
    kubernetes_sd_configs: [{role: pod}, {role: node}]
    oauth2: {client_id: a, client_secret: b, token_url: 'http://t'}
    tls_config:
      min_version: TLS12
)",
                 "p.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const std::string suffix(kNotActedOn);
  EXPECT_THAT(c->warnings,
              ElementsAre("p.yml:2:3: global.query_log_file" + suffix,
                          "p.yml:7:1: remote_write" + suffix, "p.yml:10:1: remote_read" + suffix,
                          "p.yml:14:3: storage.exemplars" + suffix, "p.yml:15:1: tracing" + suffix,
                          "p.yml:19:5: scrape_configs[0].kubernetes_sd_configs" + suffix +
                              " (job \"pods\")",
                          "p.yml:20:5: scrape_configs[0].oauth2" + suffix + " (job \"pods\")",
                          "p.yml:22:7: scrape_configs[0].tls_config.min_version" + suffix));
  // The TSDB's window is acted on: read, and no warning.
  EXPECT_EQ(c->storage.tsdb.out_of_order_time_window, minutes(5));
  ASSERT_EQ(c->scrape_configs.size(), 1u);
  EXPECT_EQ(c->scrape_configs[0].job_name, "pods");
}

TEST(PrometheusCompatTest, RuleFilesAreResolvedAgainstTheConfigsDirectory) {
  auto c = Parse("rule_files: [rules/*.yml, /etc/argus/a.yml, b.yml]\n", "/srv/argus/p.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_THAT(c->rule_files,
              ElementsAre("/srv/argus/rules/*.yml", "/etc/argus/a.yml", "/srv/argus/b.yml"));
  EXPECT_TRUE(c->warnings.empty());
  EXPECT_THAT(
      ErrorsOf("rule_files: ['rules/*/a.yml']\n"),
      ElementsAre("test.yml:1:14: rule_files[0]: invalid rule file path \"rules/*/a.yml\""));
}

TEST(PrometheusCompatTest, EmptySectionsAreNotWarnedAbout) {
  auto c = Parse("rule_files: []\nremote_write: []\nalerting: {}\nstorage: {}\n", "p.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_TRUE(c->warnings.empty()) << c->warnings[0];
}

// Prometheus is strict about the parts Argus does not act on too, so a typo there is an error.
TEST(PrometheusCompatTest, PartsNotActedOnAreCheckedAsStrictlyAsTheRest) {
  EXPECT_THAT(ErrorsOf("remote_write:\n  - url: http://w\n    queue_config: {max_shard: 1}\n"),
              ElementsAre("test.yml:3:20: remote_write[0].queue_config.max_shard: unknown field "
                          "\"max_shard\""));
  EXPECT_THAT(
      ErrorsOf("remote_write:\n  - remote_timeout: 5x\n"),
      ElementsAre("test.yml:2:5: remote_write[0]: missing required field \"url\"",
                  "test.yml:2:21: remote_write[0].remote_timeout: invalid duration \"5x\""));
  EXPECT_THAT(ErrorsOf("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n"
                       "      - {role: pod, namespace: {names: [a]}}\n"),
              ElementsAre("test.yml:4:21: scrape_configs[0].kubernetes_sd_configs[0].namespace: "
                          "unknown field \"namespace\""));
  EXPECT_THAT(ErrorsOf("alerting:\n  alert_relabel_configs:\n    - action: hashmod\n"
                       "      target_label: x\n"),
              ElementsAre(::testing::HasSubstr("alerting.alert_relabel_configs[0]: relabel "
                                               "configuration for hashmod requires non-zero "
                                               "modulus")));
  EXPECT_THAT(ErrorsOf("tracing:\n  endpoint: otel:4317\n  sampling_fraction: half\n"),
              ElementsAre("test.yml:3:22: tracing.sampling_fraction: expected a number, got "
                          "\"half\""));
  EXPECT_THAT(ErrorsOf("rule_files: alerts.yml\n"),
              ElementsAre("test.yml:1:13: rule_files: expected a list"));
}

TEST(PrometheusCompatTest, EveryErrorIsReportedInTheFilesOrder) {
  EXPECT_THAT(ErrorsOf(R"(global:
  scrape_intervl: 15s
scrape_configs:
  - job_name: a
    scrape_interval: 5x
  - job_name: b
    static_configs:
      - targets: ['http://127.0.0.1:9090/metrics']
remote_write:
  - url: http://w
    queue_config: {max_shard: 1}
  - queue_config: {capacity: lots}
)"),
              ElementsAre("test.yml:2:3: global.scrape_intervl: unknown field \"scrape_intervl\"",
                          "test.yml:5:22: scrape_configs[0].scrape_interval: invalid duration "
                          "\"5x\"",
                          "test.yml:8:19: scrape_configs[1].static_configs[0].targets[0]: "
                          "\"http://127.0.0.1:9090/metrics\" is not a valid hostname",
                          "test.yml:11:20: remote_write[0].queue_config.max_shard: unknown field "
                          "\"max_shard\"",
                          "test.yml:12:5: remote_write[1]: missing required field \"url\"",
                          "test.yml:12:30: remote_write[1].queue_config.capacity: expected an "
                          "integer, got \"lots\""));
}

TEST(PrometheusCompatTest, AYamlSyntaxErrorIsTheOnlyError) {
  EXPECT_THAT(ErrorsOf("global: [\nscrape_configs: 5x\n"),
              ElementsAre(::testing::StartsWith("test.yml:")));
}

// Prometheus' message and check: a URL is not a target address, unless relabeling, which may make
// one of it (as for blackbox_exporter's targets), follows.
TEST(PrometheusCompatTest, AUrlAsAStaticTargetIsRejectedUnlessRelabeled) {
  EXPECT_THAT(ErrorsOf("scrape_configs:\n  - job_name: a\n    static_configs:\n"
                       "      - targets: ['127.0.0.1:9090', 'http://127.0.0.1:9090/metrics']\n"),
              ElementsAre("test.yml:4:37: scrape_configs[0].static_configs[0].targets[1]: "
                          "\"http://127.0.0.1:9090/metrics\" is not a valid hostname"));
  EXPECT_EQ(CheckTargetAddress("http://127.0.0.1:9090/metrics").message(),
            "\"http://127.0.0.1:9090/metrics\" is not a valid hostname");
  EXPECT_TRUE(CheckTargetAddress("127.0.0.1:9090").ok());
  EXPECT_TRUE(CheckTargetAddress("[::1]:9090").ok());
  auto relabeled = Parse(
      "scrape_configs:\n  - job_name: blackbox\n    static_configs:\n"
      "      - targets: ['https://example.com/health']\n    relabel_configs:\n"
      "      - {source_labels: [__address__], target_label: __param_target}\n"
      "      - {target_label: __address__, replacement: '127.0.0.1:9115'}\n",
      "test.yml");
  EXPECT_TRUE(relabeled.ok()) << relabeled.status().message();
}

// Real-world files (under testdata/, in the shapes of Prometheus' documented examples and of an
// EKS Container Insights collector) read with warnings and no error.
class RealWorldFileTest : public ::testing::Test {
 protected:
  Config Load(const std::string& name) {
    auto path =
        std::filesystem::path(std::getenv("ARGUS_SOURCE_DIR")) / "src/config/testdata" / name;
    auto c = LoadFile(path.string());
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : Config{};
  }
};

TEST_F(RealWorldFileTest, Kubernetes) {
  Config c = Load("kubernetes.yml");
  std::vector<std::string> expected = {"alerting.alertmanagers[0].kubernetes_sd_configs"};
  for (int job = 0; job < 7; ++job) {
    expected.push_back(fmt::format("scrape_configs[{}].kubernetes_sd_configs", job));
  }
  expected.push_back("remote_write");
  EXPECT_THAT(WarnedPaths(c), ElementsAreArray(expected));
  ASSERT_EQ(c.scrape_configs.size(), 8u);
  EXPECT_EQ(c.scrape_configs[1].http_client.authorization->credentials_file,
            "/var/run/secrets/kubernetes.io/serviceaccount/token");
  EXPECT_EQ(c.scrape_configs[7].static_configs[0].targets[0], "localhost:9090");
  EXPECT_EQ(c.storage.tsdb.out_of_order_time_window, minutes(10));
  EXPECT_EQ(c.global.external_labels.Get("cluster"), "prod-eu-1");
  ASSERT_EQ(c.alerting.alertmanagers.size(), 1u);
  EXPECT_EQ(c.alerting.alertmanagers[0].relabel_configs.size(), 2u);
  EXPECT_EQ(c.alerting.alert_relabel_configs.size(), 1u);
}

TEST_F(RealWorldFileTest, EksContainerInsights) {
  Config c = Load("eks-container-insights.yml");
  std::vector<std::string> expected;
  for (int job = 0; job < 6; ++job) {
    expected.push_back(fmt::format("scrape_configs[{}].kubernetes_sd_configs", job));
  }
  expected.push_back("remote_write");
  EXPECT_THAT(WarnedPaths(c), ElementsAreArray(expected));
  ASSERT_EQ(c.scrape_configs.size(), 7u);
  ASSERT_EQ(c.scrape_configs[0].relabel_configs.size(), 3u);
  EXPECT_EQ(c.scrape_configs[0].relabel_configs[2].replacement,
            "/api/v1/nodes/${1}/proxy/metrics/cadvisor");
  EXPECT_EQ(c.scrape_configs[0].scrape_timeout, std::chrono::seconds(40));
  EXPECT_EQ(c.scrape_configs[6].static_configs[0].labels.Get("Namespace"), "kube-system");
}

TEST_F(RealWorldFileTest, EverySection) {
  Config c = Load("every-section.yml");
  const std::vector<std::string> expected = {"global.query_log_file",
                                             "alerting.alertmanagers[1].dns_sd_configs",
                                             "scrape_configs[2].tls_config.min_version",
                                             "scrape_configs[2].oauth2",
                                             "scrape_configs[2].proxy_url",
                                             "scrape_configs[2].proxy_connect_header",
                                             "scrape_configs[2].enable_http2",
                                             "scrape_configs[3].ec2_sd_configs",
                                             "scrape_configs[4].azure_sd_configs",
                                             "scrape_configs[5].gce_sd_configs",
                                             "scrape_configs[6].docker_sd_configs",
                                             "scrape_configs[7].dockerswarm_sd_configs",
                                             "scrape_configs[8].dns_sd_configs",
                                             "scrape_configs[9].http_sd_configs",
                                             "scrape_configs[10].openstack_sd_configs",
                                             "remote_write",
                                             "remote_read",
                                             "storage.exemplars",
                                             "tracing"};
  EXPECT_THAT(WarnedPaths(c), ElementsAreArray(expected));
  ASSERT_EQ(c.scrape_configs.size(), 12u);
  const ScrapeConfig& federate = c.scrape_configs[2];
  EXPECT_EQ(federate.params.at("match[]").size(), 2u);
  EXPECT_FALSE(federate.http_client.follow_redirects);
  EXPECT_EQ(federate.http_client.tls_config.server_name, "prometheus.dc2.example.com");
  EXPECT_EQ(c.scrape_configs[11].static_configs[0].targets[1],
            "http://intranet.example.com/health");
  EXPECT_EQ(c.storage.tsdb.out_of_order_time_window, minutes(30));
}

}  // namespace
}  // namespace argus::config
