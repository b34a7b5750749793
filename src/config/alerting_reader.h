#pragma once

#include "config/config.h"
#include "config/yaml_reader.h"

namespace argus::config {

// Reads the `alerting:` section of the mapping of `parent` into `out`, with Prometheus 2.42's
// defaults and checks: alertmanagers (static and file service discovery, scheme, path_prefix,
// timeout, api_version, the HTTP client settings, relabel_configs) and alert_relabel_configs.
// The service discovery kinds and HTTP client settings Argus does not act on are accepted with a
// warning. Errors and warnings go to parent.diagnostics().
void ReadAlerting(MapReader& parent, AlertingConfig* out);

}  // namespace argus::config
