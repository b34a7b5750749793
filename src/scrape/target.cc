#include "scrape/target.h"

#include "http/url.h"
#include "model/duration.h"
#include "model/relabel.h"

namespace argus::scrape {

Result<std::optional<TargetLabels>> PopulateLabels(const model::Labels& discovered,
                                                   const config::ScrapeConfig& config) {
  model::LabelsBuilder b(discovered);
  const std::pair<const char*, std::string> defaults[] = {
      {"job", config.job_name},
      {"__scrape_interval__", model::FormatDuration(config.scrape_interval)},
      {"__scrape_timeout__", model::FormatDuration(config.scrape_timeout)},
      {"__metrics_path__", config.metrics_path},
      {"__scheme__", config.scheme},
  };
  for (const auto& [name, value] : defaults) {
    if (discovered.Get(name).empty()) b.Set(name, value);
  }
  for (const auto& [name, values] : config.params) {
    if (!values.empty()) b.Set("__param_" + name, values[0]);
  }
  TargetLabels out;
  out.discovered = b.Build();
  if (!model::Relabel(config.relabel_configs, &b)) return std::optional<TargetLabels>();
  std::string address(b.Get("__address__"));
  if (address.empty()) return Status::Error("no address", Status::Code::kInvalidInput);
  // An address without a port gets the scheme's default port, as in Prometheus 2.
  bool has_port = address.back() != ']' && address.find(':') != std::string::npos;
  if (!has_port) {
    address += b.Get("__scheme__") == "https" ? ":443" : ":80";
    b.Set("__address__", address);
  }
  if (Status valid = config::CheckTargetAddress(address); !valid.ok()) return valid;
  model::Labels relabeled = b.Build();
  for (const auto& l : relabeled) {
    if (l.name.starts_with("__meta_")) b.Del(l.name);
  }
  if (b.Get("instance").empty()) b.Set("instance", address);
  out.labels = b.Build();
  return std::optional<TargetLabels>(std::move(out));
}

model::Labels PublicLabels(const model::Labels& labels) {
  std::vector<model::Label> out;
  for (const auto& l : labels) {
    if (!l.name.starts_with("__")) out.push_back(l);
  }
  return model::Labels::FromUnsorted(std::move(out));
}

std::string ScrapeUrl(const model::Labels& labels) {
  std::string url = std::string(labels.Get("__scheme__")) + "://" +
                    std::string(labels.Get("__address__")) +
                    std::string(labels.Get("__metrics_path__"));
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  for (const auto& l : labels) {
    if (!l.name.starts_with("__param_")) continue;
    url += separator;
    url += http::QueryEscape(std::string_view(l.name).substr(8));
    url += '=';
    url += http::QueryEscape(l.value);
    separator = '&';
  }
  return url;
}

namespace {

std::chrono::milliseconds DurationLabel(const model::Labels& labels, std::string_view name,
                                        std::chrono::milliseconds fallback) {
  auto d = model::ParseDuration(labels.Get(name));
  return d.ok() && d->count() > 0 ? *d : fallback;
}

}  // namespace

std::chrono::milliseconds TargetInterval(const model::Labels& labels,
                                         const config::ScrapeConfig& config) {
  return DurationLabel(labels, "__scrape_interval__", config.scrape_interval);
}

std::chrono::milliseconds TargetTimeout(const model::Labels& labels,
                                        const config::ScrapeConfig& config) {
  return DurationLabel(labels, "__scrape_timeout__", config.scrape_timeout);
}

}  // namespace argus::scrape
