#pragma once

#include <optional>
#include <string>

#include "base/status.h"
#include "config/http_client_config.h"

namespace argus::config {

// What HTTP client settings put on a request, read when the request is made, so that credential
// files can rotate: scrapes, notifications and (later) remote write use them alike.

// The first line of a file holding a secret (password_file, credentials_file, api_url_file),
// without its line ending, as Prometheus and Alertmanager read them. kIOError naming the file.
Result<std::string> ReadSecretFile(const std::string& path);

// The Authorization header that `client` asks for ("Basic <base64>" or "<type> <credentials>"),
// its files read now; nullopt when it asks for none.
Result<std::optional<std::string>> AuthorizationHeader(const HttpClientConfig& client);

}  // namespace argus::config
