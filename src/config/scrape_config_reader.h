#pragma once

#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace argus::config {

// Reads one entry of scrape_configs at `node` into `out`, with the defaults of `global` filled
// in, and checks it as Prometheus does. Errors and warnings go to `diagnostics`; relative file
// paths are resolved against the directory of diagnostics.source().
void ReadScrapeConfig(const YAML::Node& node, std::string path, const GlobalConfig& global,
                      Diagnostics& diagnostics, ScrapeConfig* out);

}  // namespace argus::config
