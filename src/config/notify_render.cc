// NotifyConfig::original: the section as Alertmanager shows its configuration, with what each
// integration takes from `global:` written in and every secret hidden.

#include "config/notify_integrations.h"
#include "config/notify_parts.h"
#include "config/secrets.h"

namespace argus::config {
namespace {

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

YAML::Node WithoutSecrets(const YAML::Node& body) {
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
        for (std::string_view secret : integration.secrets) HideSecret(entry, secret);
        if (entry["http_config"].IsMap()) HideHttpClientSecrets(entry["http_config"]);
        if (entry["sigv4"].IsMap()) HideSecret(entry["sigv4"], "secret_key");
      }
    }
  }
  if (global.IsMap()) {
    for (std::string_view secret : GlobalSecrets()) HideSecret(global, secret);
    if (global["http_config"].IsMap()) HideHttpClientSecrets(global["http_config"]);
  }
  return copy;
}

}  // namespace argus::config
