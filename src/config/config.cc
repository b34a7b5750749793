#include "config/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "config/accepted_fields.h"
#include "config/alerting_reader.h"
#include "config/http_client_reader.h"
#include "config/model_readers.h"
#include "config/notify_reader.h"
#include "config/scrape_config_reader.h"
#include "config/yaml_reader.h"

namespace argus::config {
namespace {

void ReadGlobal(MapReader& parent, GlobalConfig* g) {
  YAML::Node node = parent.Child("global");
  MapReader r(node, parent.ChildPath("global"), parent.diagnostics());
  r.Read("scrape_interval", &g->scrape_interval);
  bool timeout_set = node.IsMap() && node["scrape_timeout"].IsDefined();
  r.Read("scrape_timeout", &g->scrape_timeout);
  r.Read("evaluation_interval", &g->evaluation_interval);
  ReadLabels(r, "external_labels", &g->external_labels);
  AcceptNotActedOn(r, kGlobalNotActedOn);
  r.Finish();
  if (!r.ok()) return;
  // As Prometheus: an interval shorter than the default timeout lowers the timeout with it.
  if (!timeout_set && g->scrape_timeout > g->scrape_interval) {
    g->scrape_timeout = g->scrape_interval;
  }
  if (g->scrape_timeout > g->scrape_interval) {
    r.Fail(node, r.path(), "global scrape timeout greater than scrape interval");
  }
}

void ReadScrapeConfigs(MapReader& r, Config* config) {
  YAML::Node jobs = r.Child("scrape_configs");
  if (!Present(jobs)) return;
  if (!jobs.IsSequence()) return r.Fail(jobs, "scrape_configs", "expected a list");
  std::set<std::string> names;
  for (size_t i = 0; i < jobs.size(); ++i) {
    ScrapeConfig job;
    std::string path = r.ChildPath("scrape_configs", i);
    ReadScrapeConfig(jobs[i], path, config->global, r.diagnostics(), &job);
    if (!job.job_name.empty() && !names.insert(job.job_name).second) {
      r.Fail(jobs[i], path,
             fmt::format("found multiple scrape configs with job name \"{}\"", job.job_name));
    }
    config->scrape_configs.push_back(std::move(job));
  }
}

void ReadStorage(MapReader& parent, StorageConfig* storage) {
  MapReader r(parent.Child("storage"), parent.ChildPath("storage"), parent.diagnostics());
  MapReader tsdb(r.Child("tsdb"), r.ChildPath("tsdb"), r.diagnostics());
  tsdb.Read("out_of_order_time_window", &storage->tsdb.out_of_order_time_window);
  tsdb.Finish();
  AcceptNotActedOn(r, kStorageNotActedOn);
  r.Finish();
}

void ReadCollectors(MapReader& parent, Config& config) {
  YAML::Node node = parent.Child("collectors");
  MapReader r(node, parent.ChildPath("collectors"), parent.diagnostics());
  CollectorsConfig& c = config.collectors;
  // The fields the host and container collectors share.
  auto read_common = [](MapReader& m, auto* collector) {
    m.Read("enabled", &collector->enabled);
    m.Read("job_name", &collector->job_name);
    m.Read("scrape_interval", &collector->scrape_interval);
    m.Read("instance", &collector->instance);
    m.Read("proc_path", &collector->proc_path);
    m.Read("sys_path", &collector->sys_path);
  };
  YAML::Node host = r.Child("host");
  MapReader h(host, r.ChildPath("host"), r.diagnostics());
  read_common(h, &c.host);
  h.Read("rootfs_path", &c.host.rootfs_path);
  h.Finish();
  YAML::Node containers = r.Child("containers");
  MapReader k(containers, r.ChildPath("containers"), r.diagnostics());
  read_common(k, &c.containers);
  k.Read("cgroup_path", &c.containers.cgroup_path);
  k.Read("docker_socket", &c.containers.docker_socket);
  k.Read("pod_logs_path", &c.containers.pod_logs_path);
  k.Finish();
  YAML::Node self = r.Child("self");
  MapReader s(self, r.ChildPath("self"), r.diagnostics());
  s.Read("enabled", &c.self.enabled);
  s.Read("job_name", &c.self.job_name);
  s.Read("scrape_interval", &c.self.scrape_interval);
  s.Read("instance", &c.self.instance);
  s.Finish();
  r.Finish();
  if (!r.ok()) return;
  struct Collector {
    const char* key;
    const YAML::Node& node;
    bool enabled;
    const std::string& job_name;
    model::Duration* interval;
  };
  const Collector collectors[] = {
      {"host", host, c.host.enabled, c.host.job_name, &c.host.scrape_interval},
      {"containers", containers, c.containers.enabled, c.containers.job_name,
       &c.containers.scrape_interval},
      {"self", self, c.self.enabled, c.self.job_name, &c.self.scrape_interval}};
  std::set<std::string> jobs;
  for (const auto& job : config.scrape_configs) jobs.insert(job.job_name);
  for (const Collector& collector : collectors) {
    if (collector.interval->count() == 0) *collector.interval = config.global.scrape_interval;
    std::string where = r.ChildPath(collector.key);
    if (collector.job_name.empty()) return r.Fail(collector.node, where, "job_name is empty");
    if (collector.enabled && !jobs.insert(collector.job_name).second) {
      return r.Fail(collector.node, where + ".job_name",
                    fmt::format("job name \"{}\" is already taken by a scrape config or "
                                "another collector",
                                collector.job_name));
    }
  }
}

// As Prometheus: a glob only in the last path component.
void ReadRuleFiles(MapReader& r, std::vector<std::string>* out) {
  r.Read("rule_files", out);
  for (size_t i = 0; i < out->size(); ++i) {
    std::string& file = (*out)[i];
    size_t star = file.find('*');
    if (star != std::string::npos && file.find('/', star) != std::string::npos) {
      r.Fail(r.Child("rule_files")[i], r.ChildPath("rule_files", i),
             fmt::format("invalid rule file path \"{}\"", file));
    }
    file = ResolvePath(r, file);
  }
}

void ReadRoot(const YAML::Node& root, Diagnostics& diagnostics, Config* config) {
  MapReader r(root, "", diagnostics);
  ReadGlobal(r, &config->global);
  ReadRuleFiles(r, &config->rule_files);
  ReadScrapeConfigs(r, config);
  ReadCollectors(r, *config);
  ReadStorage(r, &config->storage);
  ReadAlerting(r, &config->alerting);
  config->notify = ReadNotify(r);
  AcceptNotActedOn(r, kRootNotActedOn);
  r.Finish();
}

// One error per line.
Status Errors(const std::vector<std::string>& errors) {
  std::string message;
  for (const std::string& error : errors) {
    if (!message.empty()) message += '\n';
    message += error;
  }
  return Status::Error(std::move(message), Status::Code::kInvalidInput);
}

Status YamlError(std::string_view source, const YAML::Exception& e) {
  return Status::Errorf(Status::Code::kInvalidInput, "{}:{}:{}: {}", source, e.mark.line + 1,
                        e.mark.column + 1, e.msg);
}

}  // namespace

Result<Config> Parse(std::string_view yaml, std::string_view source) {
  Config config;
  config.source = std::string(source);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return YamlError(source, e);
  }
  Diagnostics diagnostics(config.source);
  try {
    ReadRoot(root, diagnostics, &config);
  } catch (const YAML::Exception& e) {
    // yaml-cpp gave up on a node it could not convert: report what was found before it too.
    std::vector<std::string> errors = diagnostics.errors();
    errors.push_back(YamlError(source, e).message());
    return Errors(errors);
  }
  if (diagnostics.error_count() > 0) return Errors(diagnostics.errors());
  config.warnings = diagnostics.warnings();
  return config;
}

Result<Config> LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Errorf(Status::Code::kIOError, "cannot read config file \"{}\": {}", path,
                          std::strerror(errno));
  }
  std::string text(std::istreambuf_iterator<char>(in), {});
  return Parse(text, path);
}

}  // namespace argus::config
