#pragma once

#include <string>

#include "config/http_client_config.h"
#include "config/yaml_reader.h"

namespace argus::config {

// Reads the HTTP client settings inlined in the mapping of `r` (basic_auth, authorization,
// bearer_token, bearer_token_file, tls_config, follow_redirects) into `out`, checked as
// Prometheus' common config checks them ("at most one of ..."). The caller accepts or reads the
// remaining keys (oauth2, proxy_url, ...) and calls r.Finish(). File names are resolved with
// ResolvePath.
void ReadHttpClient(MapReader& r, HttpClientConfig* out);

// `file` relative to the directory of the file `r` reads (diagnostics().source()); absolute and
// empty names are returned as they are.
std::string ResolvePath(const MapReader& r, const std::string& file);

}  // namespace argus::config
