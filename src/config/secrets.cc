#include "config/secrets.h"

#include <array>
#include <string>

#include "config/notify_parts.h"

namespace argus::config {
namespace {

// The fields of Prometheus 2.42's configuration whose type is Secret, wherever they appear:
// HTTP client settings, service discovery (Consul's token, OpenStack's and EC2's keys, Azure's
// client secret) and remote storage (SigV4).
constexpr std::array<std::string_view, 7> kPrometheusSecrets = {"password",
                                                                "credentials",
                                                                "bearer_token",
                                                                "client_secret",
                                                                "secret_key",
                                                                "token",
                                                                "application_credential_secret"};

void HidePrometheusSecrets(YAML::Node node) {
  if (node.IsSequence()) {
    for (YAML::Node item : node) HidePrometheusSecrets(item);
    return;
  }
  if (!node.IsMap()) return;
  for (std::string_view key : kPrometheusSecrets) HideSecret(node, key);
  for (auto entry : node) {
    if (!entry.second.IsScalar()) HidePrometheusSecrets(entry.second);
  }
}

}  // namespace

void HideSecret(YAML::Node node, std::string_view key) {
  if (IsSet(node, key)) node[std::string(key)] = std::string(kSecretPlaceholder);
}

void HideHttpClientSecrets(YAML::Node settings) {
  HideSecret(settings, "bearer_token");
  if (settings["basic_auth"].IsMap()) HideSecret(settings["basic_auth"], "password");
  if (settings["authorization"].IsMap()) HideSecret(settings["authorization"], "credentials");
  if (settings["oauth2"].IsMap()) HideSecret(settings["oauth2"], "client_secret");
}

std::string EmitYaml(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

std::string ShownConfig(std::string_view yaml) {
  YAML::Node root = YAML::Load(std::string(yaml));
  if (!root.IsMap()) return EmitYaml(root);
  YAML::Node shown(YAML::NodeType::Map);
  for (auto entry : root) {
    std::string key = entry.first.as<std::string>();
    YAML::Node value = YAML::Clone(entry.second);
    if (key == "notify" && value.IsMap() && !value["config_file"]) {
      value = WithoutSecrets(value);
    } else if (key != "notify") {
      HidePrometheusSecrets(value);
    }
    shown[key] = value;
  }
  return EmitYaml(shown);
}

}  // namespace argus::config
