#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/embedded_file.h"
#include "base/status.h"
#include "config/http_client_config.h"
#include "config/notify_config.h"
#include "model/duration.h"
#include "model/labels.h"
#include "model/relabel.h"

namespace argus::config {

// The configuration file: prometheus.yml as Prometheus 2.42 reads it, plus Argus' own sections.
// Every field has Prometheus' default; `notify:` holds an alertmanager.yml body (or names one) and
// is read as Alertmanager 0.25 reads it (notify_config.h). The sections and fields Argus does not
// act on yet (remote_write, remote_read, tracing, service discovery other than static
// and file, ...) are checked as Prometheus checks them and otherwise only named in
// Config::warnings; they are added here as Argus learns to act on them.

struct GlobalConfig {
  model::Duration scrape_interval = std::chrono::minutes(1);
  model::Duration scrape_timeout = std::chrono::seconds(10);
  model::Duration evaluation_interval = std::chrono::minutes(1);
  model::Labels external_labels;
};

struct StaticConfig {
  std::vector<std::string> targets;  // host:port; checked by CheckTargetAddress unless relabeled.
  model::Labels labels;
  bool operator==(const StaticConfig&) const = default;
};

struct FileSdConfig {
  std::vector<std::string> files;  // Paths or globs in the last path component (*.json, *.yml).
  model::Duration refresh_interval = std::chrono::minutes(5);
  bool operator==(const FileSdConfig&) const = default;
};

struct ScrapeConfig {
  std::string job_name;
  model::Duration scrape_interval{0};  // 0 here until Load fills in the global default.
  model::Duration scrape_timeout{0};   // Likewise; never longer than scrape_interval.
  std::string metrics_path = "/metrics";
  std::string scheme = "http";
  std::map<std::string, std::vector<std::string>> params;
  bool honor_labels = false;
  bool honor_timestamps = true;
  HttpClientConfig http_client;
  std::vector<StaticConfig> static_configs;
  std::vector<FileSdConfig> file_sd_configs;
  std::vector<model::RelabelConfig> relabel_configs;
  std::vector<model::RelabelConfig> metric_relabel_configs;
  uint64_t sample_limit = 0;  // 0 means no limit, for all the limits.
  uint64_t target_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  uint64_t body_size_limit = 0;  // Bytes; the YAML takes units ("10MB").
  // Equal configs scrape the same way: a reload keeps such a job's targets running.
  bool operator==(const ScrapeConfig&) const = default;
};

// One entry of alerting.alertmanagers: a set of external Alertmanagers that the rules' alerts
// are posted to, found by static or file service discovery, as Prometheus 2.42 reads it.
struct AlertmanagerConfig {
  std::string scheme = "http";
  std::string path_prefix;  // Put before /api/v2/alerts.
  model::Duration timeout = std::chrono::seconds(10);
  // "v2" (the default) or "v1", which Prometheus 2.42 still accepts, deprecated; anything else is
  // an error.
  std::string api_version = "v2";
  HttpClientConfig http_client;
  std::vector<StaticConfig> static_configs;
  std::vector<FileSdConfig> file_sd_configs;
  // Applied to each discovered Alertmanager's labels (__address__, __scheme__, __alerts_path__).
  std::vector<model::RelabelConfig> relabel_configs;
  // Applied to the alerts sent to this set only, after alerting.alert_relabel_configs; a later
  // Prometheus' field, which 2.42 does not know.
  std::vector<model::RelabelConfig> alert_relabel_configs;
  bool operator==(const AlertmanagerConfig&) const = default;
};

// Prometheus' `alerting:` section.
struct AlertingConfig {
  // Applied to every alert sent to the external Alertmanagers, after the external labels.
  std::vector<model::RelabelConfig> alert_relabel_configs;
  std::vector<AlertmanagerConfig> alertmanagers;
  bool operator==(const AlertingConfig&) const = default;
};

// Argus' own collectors, which read the host, its containers and Argus itself with no exporter
// installed (`collectors:`). Each is off unless configured; the embedded default turns them on.
struct HostCollectorConfig {
  bool enabled = false;
  std::string job_name = "node";
  model::Duration scrape_interval{0};  // 0 here until Load fills in the global default.
  std::string instance;                // Empty: the host name.
  // node_exporter's --path.procfs, --path.sysfs and --path.rootfs.
  std::string proc_path = "/proc";
  std::string sys_path = "/sys";
  std::string rootfs_path = "/";
  bool operator==(const HostCollectorConfig&) const = default;
};

struct ContainerCollectorConfig {
  bool enabled = false;
  std::string job_name = "cadvisor";
  model::Duration scrape_interval{0};
  std::string instance;  // Empty: the host name.
  std::string cgroup_path = "/sys/fs/cgroup";
  std::string proc_path = "/proc";
  std::string sys_path = "/sys";
  std::string docker_socket = "/var/run/docker.sock";  // Empty: never ask Docker.
  // Where the kubelet keeps pods/ and containers/ of its logs, whose names give pods', namespaces'
  // and containers' names; empty: not read.
  std::string pod_logs_path = "/var/log";
  bool operator==(const ContainerCollectorConfig&) const = default;
};

// Argus' own metrics, those /metrics serves, collected in-process.
struct SelfCollectorConfig {
  bool enabled = false;
  std::string job_name = "argus";
  model::Duration scrape_interval{0};
  std::string instance;  // Empty: the server's listen address.
  bool operator==(const SelfCollectorConfig&) const = default;
};

struct CollectorsConfig {
  HostCollectorConfig host;
  ContainerCollectorConfig containers;
  SelfCollectorConfig self;
};

// Prometheus' `storage:` section; of it Argus reads the TSDB's settings.
struct TsdbConfig {
  // How far behind the head's newest sample a sample older than its series' newest may be and
  // still be appended (Prometheus' out_of_order_time_window); 0 rejects every such sample.
  model::Duration out_of_order_time_window{0};
  bool operator==(const TsdbConfig&) const = default;
};

struct StorageConfig {
  TsdbConfig tsdb;
  bool operator==(const StorageConfig&) const = default;
};

struct Config {
  GlobalConfig global;
  // The rule files: paths, or globs in the last path component ("rules/*.yml"), resolved against
  // the directory of the configuration file.
  std::vector<std::string> rule_files;
  std::vector<ScrapeConfig> scrape_configs;
  CollectorsConfig collectors;
  StorageConfig storage;
  AlertingConfig alerting;
  std::optional<NotifyConfig> notify;  // The `notify:` section, when the file has one.
  std::string source;                  // The file name it was read from, or "<embedded>".
  // One per section or field that the file sets and Argus accepts without acting on it, in the
  // file's order: "<source>:<line>:<column>: <key path>: accepted, but ...".
  std::vector<std::string> warnings;
};

// Parses `yaml`, named `source` in messages, fills in defaults and checks it as Prometheus does.
// Unknown keys are errors. On failure the status (kInvalidInput) lists every error found, one per
// line in the file's order, each "<source>:<line>:<column>: <key path>: <what is wrong>"; a YAML
// syntax error stops parsing and is the only one. Relative file paths in the config (file_sd
// files, TLS and credential files) are resolved against the directory of `source`.
Result<Config> Parse(std::string_view yaml, std::string_view source);

// Reads and parses the file at `path`; a file that cannot be read fails with kIOError and the
// reason.
Result<Config> LoadFile(const std::string& path);

// Checks a target's address as Prometheus does before scraping it: a URL such as
// "http://host:9090/metrics" is not an address, the scheme and path have fields of their own.
// Fails with kInvalidInput: "\"http://host:9090/metrics\" is not a valid hostname". Config
// parsing checks static targets with it, the scrape pools every discovered target.
Status CheckTargetAddress(std::string_view address);

// The default configuration compiled into the binary (config/default.yml), and the source name
// it is parsed under.
std::string_view EmbeddedDefault();
inline constexpr std::string_view kEmbeddedSource = "<embedded>";

// A file compiled into the binary beside the default configuration, named as the default
// configuration refers to it: "rules/host.yml".
using argus::EmbeddedFile;

// The default rule files (config/rules/*.yml), which the embedded configuration's rule_files
// name: a configuration read from kEmbeddedSource finds its rule files here, not on disk.
std::span<const EmbeddedFile> EmbeddedRuleFiles();

}  // namespace argus::config
