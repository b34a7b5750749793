#pragma once

#include <span>
#include <string_view>

#include "base/status.h"
#include "config/accepted_fields.h"

namespace argus::config {

// Alertmanager's integrations (the `<name>_configs` lists of a receiver) described as data: what
// each entry may hold, which of its fields are secrets, which it takes from `global:` when it
// does not set them, and what Alertmanager requires of it, with Alertmanager's error texts. The
// notify reader checks the integrations Argus does not deliver to with these tables; it reads
// Slack and webhooks itself, and the renderer of NotifyConfig::original uses the tables for all.

// A field the entry takes from `global:` when it sets neither `key` nor `file_key`.
struct InheritedField {
  std::string_view key;
  std::string_view file_key;  // Empty when there is no file variant.
  std::string_view global_key;
  std::string_view global_file_key;
  std::string_view missing;  // The error when neither sets it; empty when it is optional.
};

// At least one of `keys` must be set (non-empty) in the entry itself.
struct RequiredField {
  std::span<const std::string_view> keys;
  std::string_view missing;
};

// At most one of the two may be set: "at most one of <first> & <second> must be configured".
struct ExclusiveFields {
  std::string_view first;
  std::string_view second;
};

struct Integration {
  std::string_view key;   // "email_configs"
  std::string_view name;  // "email": a null entry is "missing email config".
  const Shape* shape;     // Its fields; nullptr for those the reader reads itself.
  std::span<const std::string_view> secrets;
  std::span<const InheritedField> inherited;
  std::span<const RequiredField> required;
  std::span<const ExclusiveFields> exclusive;
  // Whether a null entry reads as an empty one (whose missing fields are then reported) rather
  // than as "missing <name> config".
  bool null_is_empty = false;
};

// The integrations of Alertmanager's receivers that Argus reads, Slack and webhook included:
// those of Alertmanager 0.25 and the later Rocket.Chat and Mattermost ones.
std::span<const Integration> Integrations();

// The integration named `key` ("slack_configs"), or nullptr.
const Integration* FindIntegration(std::string_view key);

// The fields of `global:` that Argus checks but does not act on (smtp_*, opsgenie_*, ...).
extern const Shape kNotifyGlobalNotActedOn;
// The secrets among global's fields, and its pairs of which at most one may be set.
std::span<const std::string_view> GlobalSecrets();
std::span<const ExclusiveFields> GlobalExclusiveFields();

// Checks a URL as Alertmanager does: http or https, with a host. Fails with kInvalidInput and
// Alertmanager's words ("unsupported scheme \"ftp\" for URL", "missing host for URL").
Status CheckUrl(std::string_view url);

}  // namespace argus::config
