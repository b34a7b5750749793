#include "config/alerting_reader.h"

#include "config/accepted_fields.h"
#include "config/http_client_reader.h"
#include "config/model_readers.h"
#include "config/scrape_config_reader.h"

namespace argus::config {
namespace {

void ReadAlertmanager(const YAML::Node& node, std::string path, Diagnostics& diagnostics,
                      AlertmanagerConfig* am) {
  MapReader r(node, std::move(path), diagnostics);
  r.Read("scheme", &am->scheme);
  r.Read("path_prefix", &am->path_prefix);
  r.Read("timeout", &am->timeout);
  r.Read("api_version", &am->api_version);
  if (am->api_version != "v1" && am->api_version != "v2") {
    r.Fail(r.Child("api_version"), r.ChildPath("api_version"),
           fmt::format("expected Alertmanager api version to be one of [v1 v2] but got {}",
                       am->api_version));
  }
  ReadHttpClient(r, &am->http_client);
  ReadRelabelConfigs(r, "relabel_configs", &am->relabel_configs);
  ReadRelabelConfigs(r, "alert_relabel_configs", &am->alert_relabel_configs);
  ReadServiceDiscovery(r, !am->relabel_configs.empty(), &am->static_configs, &am->file_sd_configs);
  AcceptNotActedOn(r, kAlertmanagerNotActedOn);
  r.Finish();
}

}  // namespace

void ReadAlerting(MapReader& parent, AlertingConfig* out) {
  MapReader r(parent.Child("alerting"), parent.ChildPath("alerting"), parent.diagnostics());
  ReadRelabelConfigs(r, "alert_relabel_configs", &out->alert_relabel_configs);
  YAML::Node list = r.Child("alertmanagers");
  if (Present(list) && !list.IsSequence()) {
    r.Fail(list, r.ChildPath("alertmanagers"), "expected a list");
  } else if (Present(list)) {
    for (size_t i = 0; i < list.size(); ++i) {
      AlertmanagerConfig am;
      ReadAlertmanager(list[i], r.ChildPath("alertmanagers", i), r.diagnostics(), &am);
      out->alertmanagers.push_back(std::move(am));
    }
  }
  r.Finish();
}

}  // namespace argus::config
