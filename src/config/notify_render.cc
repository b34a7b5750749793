// NotifyConfig::original: the section as Alertmanager shows its configuration, with what each
// integration takes from `global:` written in and every secret hidden.

#include "config/notify_integrations.h"
#include "config/notify_parts.h"

namespace argus::config {
namespace {

constexpr const char* kSecret = "<secret>";

void Hide(YAML::Node node, std::string_view key) {
  if (IsSet(node, key)) node[std::string(key)] = kSecret;
}

// The secrets of Prometheus' HTTP client settings.
void HideHttpSecrets(YAML::Node entry) {
  if (!entry.IsMap() || !entry["http_config"].IsMap()) return;
  YAML::Node http = entry["http_config"];
  Hide(http, "bearer_token");
  if (http["basic_auth"].IsMap()) Hide(http["basic_auth"], "password");
  if (http["authorization"].IsMap()) Hide(http["authorization"], "credentials");
  if (http["oauth2"].IsMap()) Hide(http["oauth2"], "client_secret");
}

void Inherit(YAML::Node entry, const YAML::Node& global, const InheritedField& field) {
  auto set = [](const YAML::Node& node, std::string_view key) {
    return !key.empty() && IsSet(node, key);
  };
  if (set(entry, field.key) || set(entry, field.file_key)) return;
  // Copies, not references, which the emitter would write as YAML aliases.
  if (set(global, field.global_key)) {
    entry[std::string(field.key)] = YAML::Clone(global[std::string(field.global_key)]);
  }
  if (set(global, field.global_file_key)) {
    entry[std::string(field.file_key)] = YAML::Clone(global[std::string(field.global_file_key)]);
  }
}

}  // namespace

std::string RenderWithoutSecrets(const YAML::Node& body) {
  YAML::Node copy = YAML::Clone(body);
  YAML::Node global = copy["global"];
  YAML::Node receivers = copy["receivers"];
  for (size_t i = 0; receivers.IsSequence() && i < receivers.size(); ++i) {
    YAML::Node receiver = receivers[i];
    if (!receiver.IsMap()) continue;
    for (const Integration& integration : Integrations()) {
      YAML::Node list = receiver[std::string(integration.key)];
      for (size_t j = 0; list.IsSequence() && j < list.size(); ++j) {
        YAML::Node entry = list[j];
        if (!entry.IsMap()) continue;
        for (const InheritedField& field : integration.inherited) Inherit(entry, global, field);
        for (std::string_view secret : integration.secrets) Hide(entry, secret);
        HideHttpSecrets(entry);
        if (entry["sigv4"].IsMap()) Hide(entry["sigv4"], "secret_key");
      }
    }
  }
  if (global.IsMap()) {
    for (std::string_view secret : GlobalSecrets()) Hide(global, secret);
    HideHttpSecrets(global);
  }
  YAML::Emitter out;
  out << copy;
  return std::string(out.c_str()) + "\n";
}

}  // namespace argus::config
