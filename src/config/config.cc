#include "config/config.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "config/yaml_reader.h"
#include "model/labels.h"

namespace argus::config {
namespace {

// Sections that later capabilities add; until then they may appear only empty.
constexpr const char* kNotYetSupported[] = {"rule_files",  "alerting", "remote_write",
                                            "remote_read", "storage",  "tracing"};

class Parser {
 public:
  Parser(std::string_view source, Status* status) : source_(source), status_(status) {}

  void ParseRoot(const YAML::Node& root, Config* config) {
    MapReader r(root, "", source_, status_);
    ParseGlobal(r.Child("global"), r.ChildPath("global"), &config->global);
    YAML::Node jobs = r.Child("scrape_configs");
    if (jobs.IsDefined() && !jobs.IsNull()) {
      if (!jobs.IsSequence()) return r.Fail(jobs, "scrape_configs", "expected a list");
      std::set<std::string> names;
      for (size_t i = 0; i < jobs.size() && r.ok(); ++i) {
        ScrapeConfig job;
        std::string path = r.ChildPath("scrape_configs", i);
        ParseScrapeConfig(jobs[i], path, config->global, &job);
        if (r.ok() && !names.insert(job.job_name).second) {
          r.Fail(jobs[i], path,
                 fmt::format("found multiple scrape configs with job name \"{}\"", job.job_name));
        }
        config->scrape_configs.push_back(std::move(job));
      }
    }
    ParseCollectors(r.Child("collectors"), r.ChildPath("collectors"), *config);
    for (const char* key : kNotYetSupported) {
      YAML::Node n = r.Child(key);
      if (n.IsDefined() && !n.IsNull() && n.size() > 0) {
        r.Fail(n, key, "this section is not supported yet by this version of Argus");
      }
    }
    r.Finish();
  }

 private:
  void ParseGlobal(const YAML::Node& node, const std::string& path, GlobalConfig* g) {
    MapReader r(node, path, source_, status_);
    r.Read("scrape_interval", &g->scrape_interval);
    bool timeout_set = node.IsMap() && node["scrape_timeout"].IsDefined();
    r.Read("scrape_timeout", &g->scrape_timeout);
    r.Read("evaluation_interval", &g->evaluation_interval);
    ParseLabels(r.Child("external_labels"), r.ChildPath("external_labels"), &g->external_labels);
    r.Finish();
    if (!r.ok()) return;
    // As Prometheus: an interval shorter than the default timeout lowers the timeout with it.
    if (!timeout_set && g->scrape_timeout > g->scrape_interval) {
      g->scrape_timeout = g->scrape_interval;
    }
    if (g->scrape_timeout > g->scrape_interval) {
      r.Fail(node, path, "global scrape timeout greater than scrape interval");
    }
  }

  void ParseCollectors(const YAML::Node& node, const std::string& path, Config& config) {
    MapReader r(node, path, source_, status_);
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
    MapReader h(host, r.ChildPath("host"), source_, status_);
    read_common(h, &c.host);
    h.Read("rootfs_path", &c.host.rootfs_path);
    h.Finish();
    YAML::Node containers = r.Child("containers");
    MapReader k(containers, r.ChildPath("containers"), source_, status_);
    read_common(k, &c.containers);
    k.Read("cgroup_path", &c.containers.cgroup_path);
    k.Read("docker_socket", &c.containers.docker_socket);
    k.Read("pod_logs_path", &c.containers.pod_logs_path);
    k.Finish();
    YAML::Node self = r.Child("self");
    MapReader s(self, r.ChildPath("self"), source_, status_);
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

  void ParseLabels(const YAML::Node& node, const std::string& path, model::Labels* out) {
    if (!node.IsDefined() || node.IsNull() || !status_->ok()) return;
    if (!node.IsMap()) return Fail(node, path, "expected a mapping of label names to values");
    std::vector<model::Label> labels;
    for (const auto& entry : node) {
      std::string name = entry.first.Scalar();
      if (!model::IsValidLabelName(name)) {
        return Fail(entry.first, path, fmt::format("\"{}\" is not a valid label name", name));
      }
      if (!entry.second.IsScalar())
        return Fail(entry.second, path + "." + name, "expected a value");
      labels.push_back({name, entry.second.Scalar()});
    }
    *out = model::Labels::FromUnsorted(std::move(labels));
  }

  void ParseScrapeConfig(const YAML::Node& node, const std::string& path,
                         const GlobalConfig& global, ScrapeConfig* c) {
    MapReader r(node, path, source_, status_);
    r.Read("job_name", &c->job_name);
    r.Read("scrape_interval", &c->scrape_interval);
    r.Read("scrape_timeout", &c->scrape_timeout);
    r.Read("metrics_path", &c->metrics_path);
    r.Read("scheme", &c->scheme);
    r.Read("honor_labels", &c->honor_labels);
    r.Read("honor_timestamps", &c->honor_timestamps);
    r.Read("sample_limit", &c->sample_limit);
    r.Read("target_limit", &c->target_limit);
    r.Read("label_limit", &c->label_limit);
    r.Read("label_name_length_limit", &c->label_name_length_limit);
    r.Read("label_value_length_limit", &c->label_value_length_limit);
    r.ReadBytes("body_size_limit", &c->body_size_limit);
    ParseParams(r, c);
    ParseHttpClient(r, &c->http_client);
    ParseStaticConfigs(r, c);
    ParseFileSdConfigs(r, c);
    ParseRelabelConfigs(r, "relabel_configs", &c->relabel_configs);
    ParseRelabelConfigs(r, "metric_relabel_configs", &c->metric_relabel_configs);
    r.Finish();
    if (!r.ok()) return;
    if (c->job_name.empty()) return r.Fail(node, path, "job_name is empty");
    if (c->scrape_interval.count() == 0) c->scrape_interval = global.scrape_interval;
    if (c->scrape_timeout.count() == 0) {
      c->scrape_timeout = std::min(global.scrape_timeout, c->scrape_interval);
    }
    if (c->scrape_timeout > c->scrape_interval) {
      r.Fail(node, path,
             fmt::format("scrape timeout greater than scrape interval for scrape config with job "
                         "name \"{}\"",
                         c->job_name));
    }
  }

  void ParseParams(MapReader& r, ScrapeConfig* c) {
    YAML::Node params = r.Child("params");
    if (!params.IsDefined() || params.IsNull() || !r.ok()) return;
    if (!params.IsMap()) return Fail(params, r.ChildPath("params"), "expected a mapping");
    for (const auto& entry : params) {
      std::string name = entry.first.Scalar();
      std::string path = r.ChildPath("params") + "." + name;
      if (!entry.second.IsSequence()) return Fail(entry.second, path, "expected a list of values");
      auto& values = c->params[name];
      for (const auto& v : entry.second) values.push_back(v.Scalar());
    }
  }

  std::string Resolve(const std::string& file) const {
    if (file.empty() || std::filesystem::path(file).is_absolute()) return file;
    return (std::filesystem::path(std::string(source_)).parent_path() / file).string();
  }

  void ParseHttpClient(MapReader& r, HttpClientConfig* h) {
    r.Read("follow_redirects", &h->follow_redirects);
    YAML::Node basic = r.Child("basic_auth");
    if (basic.IsDefined() && !basic.IsNull()) {
      MapReader b(basic, r.ChildPath("basic_auth"), source_, status_);
      HttpClientConfig::BasicAuth auth;
      b.Read("username", &auth.username);
      b.Read("password", &auth.password);
      b.Read("password_file", &auth.password_file);
      b.Finish();
      if (!auth.password.empty() && !auth.password_file.empty()) {
        b.Fail(basic, r.ChildPath("basic_auth"),
               "at most one of basic_auth password & password_file must be configured");
      }
      auth.password_file = Resolve(auth.password_file);
      h->basic_auth = auth;
    }
    YAML::Node authorization = r.Child("authorization");
    if (authorization.IsDefined() && !authorization.IsNull()) {
      MapReader a(authorization, r.ChildPath("authorization"), source_, status_);
      HttpClientConfig::Authorization auth;
      a.Read("type", &auth.type);
      a.Read("credentials", &auth.credentials);
      a.Read("credentials_file", &auth.credentials_file);
      a.Finish();
      if (!auth.credentials.empty() && !auth.credentials_file.empty()) {
        a.Fail(authorization, r.ChildPath("authorization"),
               "at most one of authorization credentials & credentials_file must be configured");
      }
      if (auth.type == "Basic" || auth.type == "basic") {
        a.Fail(authorization, r.ChildPath("authorization.type"),
               "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      auth.credentials_file = Resolve(auth.credentials_file);
      h->authorization = auth;
    }
    std::string bearer, bearer_file;
    r.Read("bearer_token", &bearer);
    r.Read("bearer_token_file", &bearer_file);
    if (!bearer.empty() || !bearer_file.empty()) {
      if (!bearer.empty() && !bearer_file.empty()) {
        return r.Fail(r.Child("bearer_token"), r.ChildPath("bearer_token"),
                      "at most one of bearer_token & bearer_token_file must be configured");
      }
      if (h->authorization || h->basic_auth) {
        return r.Fail(r.Child("bearer_token"), r.ChildPath("bearer_token"),
                      "at most one of basic_auth, bearer_token & bearer_token_file, or "
                      "authorization must be configured");
      }
      h->authorization = HttpClientConfig::Authorization{"Bearer", bearer, Resolve(bearer_file)};
    }
    if (h->basic_auth && h->authorization) {
      return r.Fail(r.Child("basic_auth"), r.ChildPath("basic_auth"),
                    "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be "
                    "configured");
    }
    YAML::Node tls = r.Child("tls_config");
    if (tls.IsDefined() && !tls.IsNull()) {
      MapReader t(tls, r.ChildPath("tls_config"), source_, status_);
      t.Read("ca_file", &h->tls_config.ca_file);
      t.Read("cert_file", &h->tls_config.cert_file);
      t.Read("key_file", &h->tls_config.key_file);
      t.Read("server_name", &h->tls_config.server_name);
      t.Read("insecure_skip_verify", &h->tls_config.insecure_skip_verify);
      t.Finish();
      if (h->tls_config.cert_file.empty() != h->tls_config.key_file.empty()) {
        t.Fail(tls, r.ChildPath("tls_config"),
               "exactly one of key or cert file specified: both are needed for a client "
               "certificate");
      }
      for (std::string* f :
           {&h->tls_config.ca_file, &h->tls_config.cert_file, &h->tls_config.key_file}) {
        *f = Resolve(*f);
      }
    }
  }

  void ParseStaticConfigs(MapReader& r, ScrapeConfig* c) {
    YAML::Node list = r.Child("static_configs");
    if (!list.IsDefined() || list.IsNull() || !r.ok()) return;
    if (!list.IsSequence()) return Fail(list, r.ChildPath("static_configs"), "expected a list");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string path = r.ChildPath("static_configs", i);
      MapReader s(list[i], path, source_, status_);
      StaticConfig sc;
      s.Read("targets", &sc.targets);
      ParseLabels(s.Child("labels"), s.ChildPath("labels"), &sc.labels);
      s.Finish();
      c->static_configs.push_back(std::move(sc));
    }
  }

  void ParseFileSdConfigs(MapReader& r, ScrapeConfig* c) {
    YAML::Node list = r.Child("file_sd_configs");
    if (!list.IsDefined() || list.IsNull() || !r.ok()) return;
    if (!list.IsSequence()) return Fail(list, r.ChildPath("file_sd_configs"), "expected a list");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string path = r.ChildPath("file_sd_configs", i);
      MapReader f(list[i], path, source_, status_);
      FileSdConfig fc;
      f.Read("files", &fc.files);
      f.Read("refresh_interval", &fc.refresh_interval);
      f.Finish();
      if (!f.ok()) return;
      if (fc.files.empty())
        return f.Fail(list[i], path,
                      "file service discovery config must contain at least one path name");
      for (auto& file : fc.files) {
        std::string ext = std::filesystem::path(file).extension().string();
        if (ext != ".json" && ext != ".yml" && ext != ".yaml") {
          return f.Fail(list[i], path + ".files",
                        fmt::format("path name \"{}\" is not valid for file discovery: it must "
                                    "end in .json, .yml or .yaml",
                                    file));
        }
        file = Resolve(file);
      }
      c->file_sd_configs.push_back(std::move(fc));
    }
  }

  void ParseRelabelConfigs(MapReader& r, const char* key, std::vector<model::RelabelConfig>* out) {
    YAML::Node list = r.Child(key);
    if (!list.IsDefined() || list.IsNull() || !r.ok()) return;
    if (!list.IsSequence()) return Fail(list, r.ChildPath(key), "expected a list");
    for (size_t i = 0; i < list.size() && status_->ok(); ++i) {
      std::string path = r.ChildPath(key, i);
      MapReader c(list[i], path, source_, status_);
      model::RelabelConfig rc;
      c.Read("source_labels", &rc.source_labels);
      c.Read("separator", &rc.separator);
      c.Read("regex", &rc.regex_text);
      c.Read("modulus", &rc.modulus);
      c.Read("target_label", &rc.target_label);
      c.Read("replacement", &rc.replacement);
      std::string action = "replace";
      c.Read("action", &action);
      c.Finish();
      if (!c.ok()) return;
      std::string lowered = action;
      for (char& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (!model::ParseRelabelAction(lowered, &rc.action)) {
        return c.Fail(list[i]["action"], path + ".action",
                      fmt::format("unknown relabel action \"{}\"", action));
      }
      Status valid = rc.Validate();
      if (!valid.ok()) return c.Fail(list[i], path, valid.message());
      out->push_back(std::move(rc));
    }
  }

  void Fail(const YAML::Node& node, std::string_view path, std::string_view message) {
    if (status_->ok()) *status_ = ErrorAt(source_, node, path, message);
  }

  std::string_view source_;
  Status* status_;
};

}  // namespace

Result<Config> Parse(std::string_view yaml, std::string_view source) {
  Config config;
  config.source = std::string(source);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::Errorf(Status::Code::kInvalidInput, "{}:{}:{}: {}", source, e.mark.line + 1,
                          e.mark.column + 1, e.msg);
  }
  Status status;
  try {
    Parser(source, &status).ParseRoot(root, &config);
  } catch (const YAML::Exception& e) {
    return Status::Errorf(Status::Code::kInvalidInput, "{}:{}:{}: {}", source, e.mark.line + 1,
                          e.mark.column + 1, e.msg);
  }
  if (!status.ok()) return status;
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
