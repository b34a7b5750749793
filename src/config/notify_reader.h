#pragma once

#include <optional>

#include "config/notify_config.h"
#include "config/yaml_reader.h"

namespace argus::config {

// Reads the `notify:` section of the mapping of `root`, if it has one: an alertmanager.yml body
// as Alertmanager 0.25 reads it, inline, or `{config_file: path}` naming such a file (relative to
// the file `root` reads). Errors and warnings go to root's diagnostics; those found in a named
// file name that file and its positions, and sort where `config_file` is. Returns nullopt when
// there is no section or when it has an error.
std::optional<NotifyConfig> ReadNotify(MapReader& root);

}  // namespace argus::config
