#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace argus::config {

// Reads one entry of scrape_configs at `node` into `out`, with the defaults of `global` filled
// in, and checks it as Prometheus does. Errors and warnings go to `diagnostics`; relative file
// paths are resolved against the directory of diagnostics.source().
void ReadScrapeConfig(const YAML::Node& node, std::string path, const GlobalConfig& global,
                      Diagnostics& diagnostics, ScrapeConfig* out);

// Reads the static_configs and file_sd_configs of the mapping of `r`, as scrape configs and
// Alertmanager configs hold them. Unless `relabeled` (relabeling may make an address of any
// string), each static target is checked with CheckTargetAddress.
void ReadServiceDiscovery(MapReader& r, bool relabeled, std::vector<StaticConfig>* static_configs,
                          std::vector<FileSdConfig>* file_sd_configs);

}  // namespace argus::config
