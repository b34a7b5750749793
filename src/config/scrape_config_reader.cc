#include "config/scrape_config_reader.h"

#include <algorithm>
#include <filesystem>

#include "config/accepted_fields.h"
#include "config/http_client_reader.h"
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

void ReadStaticConfigs(MapReader& r, std::vector<StaticConfig>* out) {
  YAML::Node list = r.Child("static_configs");
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath("static_configs"), "expected a list");
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader s(list[i], r.ChildPath("static_configs", i), r.diagnostics());
    StaticConfig sc;
    s.Read("targets", &sc.targets);
    ReadLabels(s, "labels", &sc.labels);
    s.Finish();
    out->push_back(std::move(sc));
  }
}

// As Prometheus: without relabeling, which may rewrite it, a static target must be an address
// the server can reach.
void CheckStaticTargets(MapReader& r, const std::vector<StaticConfig>& configs) {
  YAML::Node list = r.Child("static_configs");
  for (size_t i = 0; i < configs.size(); ++i) {
    const auto& targets = configs[i].targets;
    for (size_t j = 0; j < targets.size(); ++j) {
      Status valid = CheckTargetAddress(targets[j]);
      if (!valid.ok()) {
        r.Fail(list[i]["targets"][j],
               fmt::format("{}.targets[{}]", r.ChildPath("static_configs", i), j), valid.message());
      }
    }
  }
}

void ReadFileSdConfigs(MapReader& r, std::vector<FileSdConfig>* out) {
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
      file = ResolvePath(r, file);
    }
    if (f.ok()) out->push_back(std::move(fc));
  }
}

}  // namespace

void ReadServiceDiscovery(MapReader& r, bool relabeled, std::vector<StaticConfig>* static_configs,
                          std::vector<FileSdConfig>* file_sd_configs) {
  ReadStaticConfigs(r, static_configs);
  ReadFileSdConfigs(r, file_sd_configs);
  if (!relabeled) CheckStaticTargets(r, *static_configs);
}

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
  ReadRelabelConfigs(r, "relabel_configs", &c->relabel_configs);
  ReadRelabelConfigs(r, "metric_relabel_configs", &c->metric_relabel_configs);
  ReadServiceDiscovery(r, !c->relabel_configs.empty(), &c->static_configs, &c->file_sd_configs);
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
