#pragma once

#include <optional>
#include <string>

namespace argus::config {

struct TlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
  bool operator==(const TlsConfig&) const = default;
};

// The HTTP client settings shared by everything that makes requests (scrapes now; later remote
// write, alerting, probes).
struct HttpClientConfig {
  struct BasicAuth {
    std::string username;
    std::string password;
    std::string password_file;
    bool operator==(const BasicAuth&) const = default;
  };
  struct Authorization {
    std::string type = "Bearer";
    std::string credentials;
    std::string credentials_file;  // bearer_token_file is read into this too.
    bool operator==(const Authorization&) const = default;
  };
  std::optional<BasicAuth> basic_auth;
  std::optional<Authorization> authorization;  // Also set by bearer_token / bearer_token_file.
  TlsConfig tls_config;
  bool follow_redirects = true;
  bool operator==(const HttpClientConfig&) const = default;
};

}  // namespace argus::config
