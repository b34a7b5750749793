#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace argus::config {

// Secrets in configuration files: passwords, tokens, Slack URLs. Wherever Argus shows a
// configuration (/api/v1/status/config, /api/v2/status) they read "<secret>", as in Prometheus
// and Alertmanager.

inline constexpr std::string_view kSecretPlaceholder = "<secret>";

// Replaces the value at `key` of the mapping `node` with the placeholder, when it is set.
void HideSecret(YAML::Node node, std::string_view key);

// Hides the secrets of Prometheus' HTTP client settings held by the mapping `settings` (a
// scrape config, an `http_config:` block): bearer_token, basic_auth.password,
// authorization.credentials, oauth2.client_secret.
void HideHttpClientSecrets(YAML::Node settings);

// `node` as YAML text, ending in a newline.
std::string EmitYaml(const YAML::Node& node);

// The configuration file `yaml`, which parsed without errors, as /api/v1/status/config shows
// it: re-emitted (comments dropped), every secret of Prometheus' sections (HTTP client settings,
// service discovery and remote storage credentials) and of the `notify:` section replaced.
std::string ShownConfig(std::string_view yaml);

}  // namespace argus::config
