#include "config/scrape_config_reader.h"

#include <algorithm>
#include <filesystem>

#include "config/accepted_fields.h"
#include "config/model_readers.h"

namespace argus::config {
namespace {

void ReadParams(MapReader& r, ScrapeConfig* c) {
  YAML::Node params = r.Child("params");
  if (!Present(params)) return;
  if (!params.IsMap()) return r.Fail(params, r.ChildPath("params"), "expected a mapping");
  for (const auto& entry : params) {
    std::string name = entry.first.Scalar();
    std::string path = r.ChildPath("params") + "." + name;
    if (!entry.second.IsSequence()) {
      r.Fail(entry.second, path, "expected a list of values");
      continue;
    }
    auto& values = c->params[name];
    for (const auto& v : entry.second) values.push_back(v.Scalar());
  }
}

void ReadTls(MapReader& r, TlsConfig* tls) {
  YAML::Node node = r.Child("tls_config");
  if (!Present(node)) return;
  MapReader t(node, r.ChildPath("tls_config"), r.diagnostics());
  t.Read("ca_file", &tls->ca_file);
  t.Read("cert_file", &tls->cert_file);
  t.Read("key_file", &tls->key_file);
  t.Read("server_name", &tls->server_name);
  t.Read("insecure_skip_verify", &tls->insecure_skip_verify);
  AcceptNotActedOn(t, kTlsNotActedOn);
  t.Finish();
  if (tls->cert_file.empty() != tls->key_file.empty()) {
    t.Fail(node, t.path(),
           "exactly one of key or cert file specified: both are needed for a client certificate");
  }
  for (std::string* f : {&tls->ca_file, &tls->cert_file, &tls->key_file}) *f = ResolveFile(r, *f);
}

void ReadHttpClient(MapReader& r, HttpClientConfig* h) {
  r.Read("follow_redirects", &h->follow_redirects);
  YAML::Node basic = r.Child("basic_auth");
  if (Present(basic)) {
    MapReader b(basic, r.ChildPath("basic_auth"), r.diagnostics());
    HttpClientConfig::BasicAuth auth;
    b.Read("username", &auth.username);
    b.Read("password", &auth.password);
    b.Read("password_file", &auth.password_file);
    b.Finish();
    if (!auth.password.empty() && !auth.password_file.empty()) {
      b.Fail(basic, b.path(),
             "at most one of basic_auth password & password_file must be configured");
    }
    auth.password_file = ResolveFile(r, auth.password_file);
    h->basic_auth = auth;
  }
  YAML::Node authorization = r.Child("authorization");
  if (Present(authorization)) {
    MapReader a(authorization, r.ChildPath("authorization"), r.diagnostics());
    HttpClientConfig::Authorization auth;
    a.Read("type", &auth.type);
    a.Read("credentials", &auth.credentials);
    a.Read("credentials_file", &auth.credentials_file);
    a.Finish();
    if (!auth.credentials.empty() && !auth.credentials_file.empty()) {
      a.Fail(authorization, a.path(),
             "at most one of authorization credentials & credentials_file must be configured");
    }
    if (auth.type == "Basic" || auth.type == "basic") {
      a.Fail(authorization, a.ChildPath("type"),
             "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    auth.credentials_file = ResolveFile(r, auth.credentials_file);
    h->authorization = auth;
  }
  std::string bearer, bearer_file;
  r.Read("bearer_token", &bearer);
  r.Read("bearer_token_file", &bearer_file);
  YAML::Node oauth2 = r.Child("oauth2");
  int auth_methods = h->basic_auth.has_value() + h->authorization.has_value() +
                     (!bearer.empty() || !bearer_file.empty()) + Present(oauth2);
  if (!bearer.empty() && !bearer_file.empty()) {
    r.Fail(r.Child("bearer_token"), r.ChildPath("bearer_token"),
           "at most one of bearer_token & bearer_token_file must be configured");
  } else if (auth_methods > 1) {
    r.Fail(r.node(), r.path(),
           "at most one of basic_auth, oauth2, bearer_token & bearer_token_file, or "
           "authorization must be configured");
  } else if (!bearer.empty() || !bearer_file.empty()) {
    h->authorization =
        HttpClientConfig::Authorization{"Bearer", bearer, ResolveFile(r, bearer_file)};
  }
  ReadTls(r, &h->tls_config);
}

void ReadStaticConfigs(MapReader& r, ScrapeConfig* c) {
  YAML::Node list = r.Child("static_configs");
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath("static_configs"), "expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader s(list[i], r.ChildPath("static_configs", i), r.diagnostics());
    StaticConfig sc;
    s.Read("targets", &sc.targets);
    ReadLabels(s, "labels", &sc.labels);
    s.Finish();
    c->static_configs.push_back(std::move(sc));
  }
}

// As Prometheus: without relabeling, which may rewrite it, a static target must be an address
// the server can scrape.
void CheckStaticTargets(MapReader& r, const ScrapeConfig& c) {
  if (!c.relabel_configs.empty()) return;
  YAML::Node list = r.Child("static_configs");
  for (size_t i = 0; i < c.static_configs.size(); ++i) {
    const auto& targets = c.static_configs[i].targets;
    for (size_t j = 0; j < targets.size(); ++j) {
      Status valid = CheckTargetAddress(targets[j]);
      if (!valid.ok()) {
        r.Fail(list[i]["targets"][j],
               fmt::format("{}.targets[{}]", r.ChildPath("static_configs", i), j), valid.message());
      }
    }
  }
}

void ReadFileSdConfigs(MapReader& r, ScrapeConfig* c) {
  YAML::Node list = r.Child("file_sd_configs");
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath("file_sd_configs"), "expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader f(list[i], r.ChildPath("file_sd_configs", i), r.diagnostics());
    FileSdConfig fc;
    f.Read("files", &fc.files);
    f.Read("refresh_interval", &fc.refresh_interval);
    f.Finish();
    if (!f.ok()) continue;
    if (fc.files.empty()) {
      f.Fail(list[i], f.path(),
             "file service discovery config must contain at least one path name");
      continue;
    }
    for (auto& file : fc.files) {
      std::string ext = std::filesystem::path(file).extension().string();
      if (ext != ".json" && ext != ".yml" && ext != ".yaml") {
        f.Fail(list[i], f.ChildPath("files"),
               fmt::format("path name \"{}\" is not valid for file discovery: it must end in "
                           ".json, .yml or .yaml",
                           file));
      }
      file = ResolveFile(r, file);
    }
    if (f.ok()) c->file_sd_configs.push_back(std::move(fc));
  }
}

}  // namespace

Status CheckTargetAddress(std::string_view address) {
  if (address.find('/') == std::string_view::npos) return Status::Ok();
  return Status::Errorf(Status::Code::kInvalidInput, "\"{}\" is not a valid hostname", address);
}

void ReadScrapeConfig(const YAML::Node& node, std::string path, const GlobalConfig& global,
                      Diagnostics& diagnostics, ScrapeConfig* c) {
  MapReader r(node, std::move(path), diagnostics);
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
  ReadParams(r, c);
  ReadHttpClient(r, &c->http_client);
  ReadStaticConfigs(r, c);
  ReadFileSdConfigs(r, c);
  ReadRelabelConfigs(r, "relabel_configs", &c->relabel_configs);
  ReadRelabelConfigs(r, "metric_relabel_configs", &c->metric_relabel_configs);
  CheckStaticTargets(r, *c);
  AcceptNotActedOn(r, kScrapeConfigNotActedOn, fmt::format(" (job \"{}\")", c->job_name));
  r.Finish();
  if (!r.ok()) return;
  if (c->job_name.empty()) return r.Fail(node, r.path(), "job_name is empty");
  if (c->scrape_interval.count() == 0) c->scrape_interval = global.scrape_interval;
  if (c->scrape_timeout.count() == 0) {
    c->scrape_timeout = std::min(global.scrape_timeout, c->scrape_interval);
  }
  if (c->scrape_timeout > c->scrape_interval) {
    r.Fail(node, r.path(),
           fmt::format("scrape timeout greater than scrape interval for scrape config with job "
                       "name \"{}\"",
                       c->job_name));
  }
}

}  // namespace argus::config
