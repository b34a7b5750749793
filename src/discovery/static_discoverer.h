#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "discovery/discoverer.h"

namespace argus::discovery {

// The targets written in the configuration (static_configs): one group per entry, sourced by its
// index, each target as {__address__=...}.
std::unique_ptr<Discoverer> NewStaticDiscoverer(std::vector<config::StaticConfig> configs);

}  // namespace argus::discovery
