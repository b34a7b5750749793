#include "config/config.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

namespace argus::config {
namespace {

using std::chrono::seconds;

Config MustParse(const std::string& yaml) {
  auto c = Parse(yaml, "test.yml");
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? *c : Config{};
}

std::string ErrorOf(const std::string& yaml) {
  auto c = Parse(yaml, "test.yml");
  EXPECT_FALSE(c.ok()) << yaml;
  return c.ok() ? "" : c.status().message();
}

TEST(ConfigTest, EmptyFileHasPrometheusDefaults) {
  Config c = MustParse("");
  EXPECT_EQ(c.global.scrape_interval, seconds(60));
  EXPECT_EQ(c.global.scrape_timeout, seconds(10));
  EXPECT_EQ(c.global.evaluation_interval, seconds(60));
  EXPECT_TRUE(c.scrape_configs.empty());
}

TEST(ConfigTest, EmbeddedDefaultParses) {
  auto c = Parse(EmbeddedDefault(), "<embedded>");
  ASSERT_TRUE(c.ok()) << c.status().message();
  // Argus' own metrics come from its self collector, wherever it listens: no scrape of a port.
  EXPECT_TRUE(c->scrape_configs.empty());
  EXPECT_TRUE(c->collectors.self.enabled);
}

TEST(ConfigTest, EveryScrapeField) {
  Config c = MustParse(R"(
global:
  scrape_interval: 30s
  external_labels: {cluster: eu1}
scrape_configs:
  - job_name: api
    scrape_interval: 5s
    metrics_path: /m
    scheme: https
    params: {module: [http_2xx, tcp]}
    honor_labels: true
    honor_timestamps: false
    follow_redirects: false
    basic_auth: {username: u, password_file: secret}
    tls_config: {ca_file: /ca.pem, server_name: api.local, insecure_skip_verify: true}
    sample_limit: 1000
    target_limit: 10
    label_limit: 30
    label_name_length_limit: 100
    label_value_length_limit: 200
    body_size_limit: 10MB
    static_configs:
      - targets: ['a:9100', 'b:9100']
        labels: {env: prod}
    file_sd_configs:
      - files: [targets/*.json]
        refresh_interval: 1m
    relabel_configs:
      - source_labels: [__address__]
        regex: '(.*):.*'
        target_label: host
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'go_.*', action: drop}
  - job_name: b
    bearer_token: tok
)");
  ASSERT_EQ(c.scrape_configs.size(), 2u);
  EXPECT_EQ(c.global.external_labels.Get("cluster"), "eu1");
  const ScrapeConfig& s = c.scrape_configs[0];
  EXPECT_EQ(s.scrape_interval, seconds(5));
  EXPECT_EQ(s.scrape_timeout, seconds(5));  // min(global timeout 10s, interval 5s)
  EXPECT_EQ(s.metrics_path, "/m");
  EXPECT_EQ(s.scheme, "https");
  EXPECT_EQ(s.params.at("module"), (std::vector<std::string>{"http_2xx", "tcp"}));
  EXPECT_TRUE(s.honor_labels);
  EXPECT_FALSE(s.honor_timestamps);
  EXPECT_FALSE(s.http_client.follow_redirects);
  EXPECT_EQ(s.http_client.basic_auth->username, "u");
  EXPECT_EQ(s.http_client.basic_auth->password_file, "secret");  // Relative to test.yml's dir.
  EXPECT_EQ(s.http_client.tls_config.server_name, "api.local");
  EXPECT_TRUE(s.http_client.tls_config.insecure_skip_verify);
  EXPECT_EQ(s.sample_limit, 1000u);
  EXPECT_EQ(s.target_limit, 10u);
  EXPECT_EQ(s.label_limit, 30u);
  EXPECT_EQ(s.label_name_length_limit, 100u);
  EXPECT_EQ(s.label_value_length_limit, 200u);
  EXPECT_EQ(s.body_size_limit, 10u << 20);
  EXPECT_EQ(s.static_configs[0].targets.size(), 2u);
  EXPECT_EQ(s.static_configs[0].labels.Get("env"), "prod");
  EXPECT_EQ(s.file_sd_configs[0].refresh_interval, seconds(60));
  EXPECT_EQ(s.relabel_configs[0].target_label, "host");
  EXPECT_EQ(s.metric_relabel_configs[0].action, model::RelabelAction::kDrop);
  const ScrapeConfig& b = c.scrape_configs[1];
  EXPECT_EQ(b.scrape_interval, seconds(30));
  EXPECT_EQ(b.metrics_path, "/metrics");
  EXPECT_EQ(b.scheme, "http");
  EXPECT_EQ(b.http_client.authorization->type, "Bearer");
  EXPECT_EQ(b.http_client.authorization->credentials, "tok");
}

TEST(ConfigTest, ErrorsNameFileLineColumnAndKey) {
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    scrape_interval: 5x\n"),
            "test.yml:3:22: scrape_configs[0].scrape_interval: invalid duration \"5x\"");
  EXPECT_EQ(ErrorOf("global:\n  scrape_intervl: 15s\n"),
            "test.yml:2:3: global.scrape_intervl: unknown field \"scrape_intervl\"");
  EXPECT_NE(ErrorOf("scrape_configs:\n  - job_name: a\n  - job_name: a\n").find("multiple"),
            std::string::npos);
  EXPECT_NE(ErrorOf("scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n"
                    "    scrape_timeout: 10s\n")
                .find("scrape timeout greater than scrape interval"),
            std::string::npos);
  EXPECT_NE(ErrorOf("scrape_configs:\n  - job_name: a\n    relabel_configs:\n"
                    "      - action: hashmod\n        target_label: x\n")
                .find("requires non-zero modulus"),
            std::string::npos);
  EXPECT_NE(ErrorOf("scrape_configs:\n  - job_name: a\n    relabel_configs:\n"
                    "      - action: explode\n")
                .find("unknown relabel action"),
            std::string::npos);
  EXPECT_NE(ErrorOf("scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n"
                    "    bearer_token: t\n")
                .find("at most one of"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("scrape_configs:\n  - job_name: a\n    body_size_limit: 10XB\n").find("invalid size"),
      std::string::npos);
  EXPECT_NE(ErrorOf("global: [\n").find("test.yml:"), std::string::npos);
  EXPECT_NE(ErrorOf("scrape_configs: {a: 1}\n").find("expected a list"), std::string::npos);
}

TEST(ConfigTest, LoadFileReportsMissingFiles) {
  auto c = LoadFile("/nonexistent/argus.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kIOError);
  EXPECT_NE(c.status().message().find("/nonexistent/argus.yml"), std::string::npos);
}

// Argus accepts exactly the configurations that Prometheus' own checker accepts.
TEST(ConfigTest, AgreesWithPromtool) {
  if (!std::filesystem::exists("/usr/bin/promtool")) {
    GTEST_SKIP() << "promtool (Debian's prometheus package) is not installed";
  }
  auto dir = std::filesystem::temp_directory_path() /
             ("argus-config-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "secret") << "s3cret";
  std::ofstream(dir / "rules.yml") << "groups: []\n";
  const std::vector<std::string> configs = {
      "",
      "global:\n  scrape_interval: 15s\n",
      "global:\n  scrape_interval: 15x\n",
      "global:\n  scrape_intervl: 15s\n",
      "global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n",
      "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['x:1']\n",
      "scrape_configs:\n  - job_name: a\n  - job_name: a\n",
      "scrape_configs:\n  - job_name: a\n    scheme: ftp\n",
      "scrape_configs:\n  - job_name: a\n    scrape_interval: 1s\n    scrape_timeout: 2s\n",
      "scrape_configs:\n  - job_name: a\n    body_size_limit: 10MB\n",
      "scrape_configs:\n  - job_name: a\n    body_size_limit: 10XB\n",
      "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password_file: secret}\n",
      "scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    bearer_token: t\n",
      "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n"
      "        target_label: x\n",
      "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n"
      "        target_label: x\n        modulus: 2\n",
      "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: labeldrop\n"
      "        regex: 'x'\n        source_labels: [a]\n",
      "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: keepequal\n"
      "        source_labels: [a]\n        target_label: b\n",
      "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: '('\n",
      "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n"
      "      - {source_labels: [__name__], regex: 'go_.*', action: drop}\n",
      "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [t.json]\n",
      "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - files: [t.txt]\n",
      "scrape_configs:\n  - job_name: a\n    static_configs:\n      - labels: {1x: y}\n",
      "scrape_configs:\n  - job_name: a\n    honor_labels: maybe\n",
      "scrape_configs:\n  - job_name: a\n    tls_config: {cert_file: secret}\n",
      // Sections and fields Argus accepts without acting on them yet.
      "rule_files: [rules.yml]\nglobal:\n  query_log_file: q.log\n",
      "storage:\n  tsdb:\n    out_of_order_time_window: 5m\n  exemplars:\n    max_exemplars: 10\n",
      "storage:\n  tsdb:\n    out_of_order_window: 5m\n",
      "remote_write:\n  - url: http://127.0.0.1:1/write\n    queue_config: {max_shards: 2}\n",
      "remote_write:\n  - url: http://127.0.0.1:1/write\n    queue_config: {max_shard: 2}\n",
      "remote_write:\n  - queue_config: {max_shards: 2}\n",
      "remote_read:\n  - url: http://127.0.0.1:1/read\n    read_recent: true\n",
      "tracing:\n  endpoint: 127.0.0.1:4317\n",
      "tracing:\n  endpont: 127.0.0.1:4317\n",
      "alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:9093']\n",
      "alerting:\n  alertmanagers:\n    - static_config:\n        - targets: ['127.0.0.1:9093']\n",
      "alerting:\n  alertmanagers:\n    - api_version: v1\n      scheme: ftp\n"
      "      static_configs: [{targets: ['127.0.0.1:9093']}]\n",
      "alerting:\n  alertmanagers:\n    - api_version: v3\n",
      "alerting:\n  alertmanagers:\n    - timeout: 1x\n",
      "alerting:\n  alertmanagers:\n    - static_configs: [{targets: ['http://127.0.0.1:9093']}]\n",
      "scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n      - names: "
      "[_m._tcp.example.com]\n",
      "scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n      - name: "
      "[_m._tcp.example.com]\n",
      "scrape_configs:\n  - job_name: a\n    ec2_sd_configs:\n      - {region: eu-west-1, prot: "
      "1}\n",
      "scrape_configs:\n  - job_name: a\n    oauth2: {client_id: a, client_secret: b, "
      "token_url: 'http://127.0.0.1:1/t'}\n",
      "scrape_configs:\n  - job_name: a\n    enable_http2: false\n"
      "    proxy_url: http://127.0.0.1:3128\n",
      // A URL is not a target address, unless relabeling makes one of it.
      "scrape_configs:\n  - job_name: a\n    static_configs:\n"
      "      - targets: ['http://127.0.0.1:9090/metrics']\n",
      "scrape_configs:\n  - job_name: a\n    static_configs:\n"
      "      - targets: ['http://127.0.0.1:9090/metrics']\n    relabel_configs:\n"
      "      - {target_label: __address__, replacement: '127.0.0.1:9115'}\n",
  };
  for (size_t i = 0; i < configs.size(); ++i) {
    auto path = dir / ("c" + std::to_string(i) + ".yml");
    std::ofstream(path) << configs[i];
    std::string command = "/usr/bin/promtool check config " + path.string() + " >/dev/null 2>&1";
    bool promtool_accepts = WEXITSTATUS(std::system(command.c_str())) == 0;
    auto ours = LoadFile(path.string());
    EXPECT_EQ(ours.ok(), promtool_accepts)
        << configs[i] << "\nArgus: " << (ours.ok() ? "accepted" : ours.status().message());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace argus::config
