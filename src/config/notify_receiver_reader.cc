// The receivers of the `notify:` section: Slack and webhook configs read into their types, the
// other integrations checked against notify_integrations' tables and named as not delivered to.

#include <set>

#include "config/http_client_reader.h"
#include "config/notify_integrations.h"
#include "config/notify_parts.h"

namespace argus::config {
namespace {

constexpr std::string_view kSlackAppUrl = "https://slack.com/api/chat.postMessage";

constexpr Field kSlackFieldFields[] = {
    {"title", FieldKind::kString}, {"value", FieldKind::kString}, {"short", FieldKind::kBool}};
constexpr Shape kSlackField{kSlackFieldFields};
constexpr Field kSlackConfirmFields[] = {{"text", FieldKind::kString},
                                         {"title", FieldKind::kString},
                                         {"ok_text", FieldKind::kString},
                                         {"dismiss_text", FieldKind::kString}};
constexpr Shape kSlackConfirm{kSlackConfirmFields};
constexpr Field kSlackActionFields[] = {{"type", FieldKind::kString},
                                        {"text", FieldKind::kString},
                                        {"url", FieldKind::kString},
                                        {"style", FieldKind::kString},
                                        {"name", FieldKind::kString},
                                        {"value", FieldKind::kString},
                                        {"confirm", FieldKind::kMapping, &kSlackConfirm}};
constexpr Shape kSlackAction{kSlackActionFields};
// Slack's fields that Argus checks but does not act on.
constexpr Field kSlackNotActedOnFields[] = {{"fields", FieldKind::kMappings, &kSlackField},
                                            {"actions", FieldKind::kMappings, &kSlackAction},
                                            {"message_text", FieldKind::kString},
                                            {"update_message", FieldKind::kBool},
                                            {"timeout", FieldKind::kDuration}};
constexpr Shape kSlackNotActedOn{kSlackNotActedOnFields};

// What the receivers take from `global:`.
struct Globals {
  const YAML::Node& node;
  const NotifyGlobalConfig& config;
};

// The checks every integration's entry gets from its table: required fields, pairs of which at
// most one may be set, and fields that must come from the entry or from `global:`.
void CheckEntry(MapReader& e, const Integration& integration, const YAML::Node& global) {
  const YAML::Node& entry = e.node();
  for (const ExclusiveFields& pair : integration.exclusive) {
    if (IsSet(entry, pair.first) && IsSet(entry, pair.second)) {
      e.Fail(entry, e.path(),
             fmt::format("at most one of {} & {} must be configured", pair.first, pair.second));
    }
  }
  for (const RequiredField& required : integration.required) {
    bool any = std::any_of(required.keys.begin(), required.keys.end(),
                           [&entry](std::string_view key) { return IsSet(entry, key); });
    if (!any) e.Fail(entry, e.path(), required.missing);
  }
  for (const InheritedField& field : integration.inherited) {
    auto set = [](const YAML::Node& node, std::string_view key, std::string_view file) {
      return IsSet(node, key) || (!file.empty() && IsSet(node, file));
    };
    if (field.missing.empty() || set(entry, field.key, field.file_key) ||
        set(global, field.global_key, field.global_file_key)) {
      continue;
    }
    e.Fail(entry, e.path(), field.missing);
  }
}

// Reads http_config of the entry of `e`, or takes the global one.
void ReadEntryHttpConfig(MapReader& e, const NotifyGlobalConfig& global, HttpClientConfig* out) {
  YAML::Node node = e.Child("http_config");
  if (!Present(node)) {
    *out = global.http_config;
    return;
  }
  MapReader h(node, e.ChildPath("http_config"), e.diagnostics());
  ReadHttpClient(h, out);
  AcceptNotActedOn(h, kHttpClientNotActedOn);
  h.Finish();
}

SlackConfig ReadSlack(MapReader& e, const Globals& globals) {
  SlackConfig c;
  e.Read("send_resolved", &c.send_resolved);
  ReadEntryHttpConfig(e, globals.config, &c.http_config);
  bool own_authorization = Present(e.Child("http_config")) && c.http_config.authorization;
  ReadUrl(e, "api_url", &c.api_url.value);
  e.Read("api_url_file", &c.api_url_file);
  std::string app_token, app_token_file, app_url;
  e.Read("app_token", &app_token);
  e.Read("app_token_file", &app_token_file);
  ReadUrl(e, "app_url", &app_url);
  for (auto [key, field] : {std::pair{"channel", &c.channel},
                            {"username", &c.username},
                            {"color", &c.color},
                            {"title", &c.title},
                            {"title_link", &c.title_link},
                            {"pretext", &c.pretext},
                            {"text", &c.text},
                            {"fallback", &c.fallback},
                            {"icon_emoji", &c.icon_emoji},
                            {"icon_url", &c.icon_url},
                            {"image_url", &c.image_url},
                            {"thumb_url", &c.thumb_url},
                            {"footer", &c.footer},
                            {"callback_id", &c.callback_id}}) {
    e.Read(key, field);
  }
  e.Read("short_fields", &c.short_fields);
  e.Read("link_names", &c.link_names);
  e.Read("mrkdwn_in", &c.mrkdwn_in);
  c.uses_default_text = true;
  for (const char* key : {"title", "title_link", "pretext", "text", "fallback", "fields"}) {
    if (IsSet(e.node(), key)) c.uses_default_text = false;
  }
  bool update_message = false;
  e.Read("update_message", &update_message);
  AcceptNotActedOn(e, kSlackNotActedOn);
  e.Finish();
  if (!e.ok()) return c;

  bool has_url = !c.api_url.empty() || !c.api_url_file.empty();
  bool has_token = !app_token.empty() || !app_token_file.empty();
  if (has_url && has_token) {
    e.Fail(e.node(), e.path(),
           "at most one of api_url/api_url_file & app_token/app_token_file must be configured");
  }
  if (update_message && c.api_url.value != kSlackAppUrl) {
    e.Fail(e.Child("update_message"), e.ChildPath("update_message"),
           "update_message can only be used with bot tokens. api_url must be set to "
           "https://slack.com/api/chat.postMessage");
  }
  // Alertmanager's inheritance: the global app token unless the entry authorizes itself, then
  // the global URL; a token turns into a bearer authorization of requests to the app URL.
  const YAML::Node& g = globals.node;
  if (app_url.empty()) app_url = IsSet(g, "slack_app_url") ? g["slack_app_url"].Scalar() : "";
  if (app_url.empty()) app_url = kSlackAppUrl;
  if (!has_token && !own_authorization && c.api_url.empty()) {
    if (IsSet(g, "slack_app_token")) app_token = g["slack_app_token"].Scalar();
    if (IsSet(g, "slack_app_token_file")) app_token_file = g["slack_app_token_file"].Scalar();
  }
  if (!has_url) {
    c.api_url = globals.config.slack_api_url;
    c.api_url_file = globals.config.slack_api_url_file;
  } else {
    c.api_url_file = ResolvePath(e, c.api_url_file);
  }
  if (c.api_url.empty() && c.api_url_file.empty() && app_token.empty() && app_token_file.empty()) {
    e.Fail(e.node(), e.path(), "no Slack API URL nor App token set either inline or in a file");
  } else if (!app_token.empty() || !app_token_file.empty()) {
    if (c.http_config.authorization) {
      e.Fail(e.node(), e.path(), "http authorization can't be set when using Slack App tokens");
    }
    c.http_config.authorization =
        HttpClientConfig::Authorization{"Bearer", app_token, ResolvePath(e, app_token_file)};
    c.api_url.value = app_url;
    c.api_url_file.clear();
  }
  return c;
}

WebhookConfig ReadWebhook(MapReader& e, const Globals& globals) {
  WebhookConfig c;
  e.Read("send_resolved", &c.send_resolved);
  ReadEntryHttpConfig(e, globals.config, &c.http_config);
  ReadUrl(e, "url", &c.url.value);
  e.Read("url_file", &c.url_file);
  c.url_file = ResolvePath(e, c.url_file);
  e.Read("max_alerts", &c.max_alerts);
  e.Finish();
  return c;
}

// Reads or checks each entry of the integration `integration` in the receiver of `r`.
void ReadIntegration(MapReader& r, const Integration& integration, const Globals& globals,
                     Receiver* out) {
  std::string key(integration.key);
  YAML::Node list = r.Child(key.c_str());
  if (!Present(list)) return;
  if (!list.IsSequence()) return r.Fail(list, r.ChildPath(key.c_str()), "expected a list");
  bool all_mappings = true;
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = r.ChildPath(key.c_str(), i);
    YAML::Node entry = list[i];
    if (!Present(entry) && !integration.null_is_empty) {
      r.Fail(entry, path, fmt::format("missing {} config", integration.name));
      continue;
    }
    MapReader e(Present(entry) ? entry : YAML::Node(YAML::NodeType::Map), path, r.diagnostics());
    if (!e.ok()) {
      all_mappings = false;
      continue;
    }
    CheckEntry(e, integration, globals.node);
    if (integration.key == "slack_configs") {
      out->slack_configs.push_back(ReadSlack(e, globals));
    } else if (integration.key == "webhook_configs") {
      out->webhook_configs.push_back(ReadWebhook(e, globals));
    }
  }
  if (integration.shape == nullptr || !all_mappings) return;
  // Checked field by field, then named with a warning.
  const Field field[] = {{integration.key, FieldKind::kMappings, integration.shape}};
  AcceptNotActedOn(r, Shape{field});
  if (list.size() > 0) out->unsupported_integrations.push_back(key);
}

}  // namespace

void ReadUrl(MapReader& e, const char* key, std::string* out) {
  e.Read(key, out);
  if (out->empty() || out->find("{{") != std::string::npos) return;
  if (Status valid = CheckUrl(*out); !valid.ok()) {
    e.Fail(e.Child(key), e.ChildPath(key), fmt::format("invalid URL: {}", valid.message()));
  }
}

bool IsSet(const YAML::Node& node, std::string_view key) {
  if (!node.IsDefined() || !node.IsMap()) return false;
  if (size_t dot = key.find('.'); dot != std::string_view::npos) {
    return IsSet(node[std::string(key.substr(0, dot))], key.substr(dot + 1));
  }
  YAML::Node value = node[std::string(key)];
  if (!Present(value)) return false;
  return !value.IsScalar() || !value.Scalar().empty();
}

void ReadReceivers(MapReader& parent, const YAML::Node& global_node,
                   const NotifyGlobalConfig& global, std::vector<Receiver>* out) {
  YAML::Node list = parent.Child("receivers");
  if (!Present(list)) return;
  if (!list.IsSequence())
    return parent.Fail(list, parent.ChildPath("receivers"), "expected a list");
  Globals globals{global_node, global};
  std::set<std::string> names;
  for (size_t i = 0; i < list.size(); ++i) {
    MapReader r(list[i], parent.ChildPath("receivers", i), parent.diagnostics());
    if (!Present(list[i])) r.Fail(list[i], r.path(), "missing name in receiver");
    if (!list[i].IsMap()) continue;  // Else reported by the reader.
    Receiver receiver;
    r.Read("name", &receiver.name);
    for (const Integration& integration : Integrations()) {
      ReadIntegration(r, integration, globals, &receiver);
    }
    r.Finish();
    if (receiver.name.empty()) {
      r.Fail(list[i], r.path(), "missing name in receiver");
    } else if (!names.insert(receiver.name).second) {
      r.Fail(r.Child("name"), r.ChildPath("name"),
             fmt::format("notification config name \"{}\" is not unique", receiver.name));
    }
    out->push_back(std::move(receiver));
  }
}

}  // namespace argus::config
