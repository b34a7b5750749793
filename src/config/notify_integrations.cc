#include "config/notify_integrations.h"

#include <algorithm>

namespace argus::config {
namespace {

using enum FieldKind;

// Every integration has these.
constexpr Field kCommonFields[] = {{"send_resolved", kBool},
                                   {"http_config", kMapping, &kHttpClient}};
constexpr Shape kCommon{kCommonFields};
constexpr const Shape* kWithCommon[] = {&kCommon};

constexpr Field kEmailFields[] = {{"to", kString},
                                  {"from", kString},
                                  {"hello", kString},
                                  {"smarthost", kString},
                                  {"auth_username", kString},
                                  {"auth_password", kString},
                                  {"auth_password_file", kString},
                                  {"auth_secret", kString},
                                  {"auth_secret_file", kString},
                                  {"auth_identity", kString},
                                  {"headers", kStringMap},
                                  {"html", kString},
                                  {"text", kString},
                                  {"require_tls", kBool},
                                  {"tls_config", kMapping, &kTls},
                                  {"force_implicit_tls", kBool}};
constexpr Shape kEmail{kEmailFields, kWithCommon};

constexpr Field kPagerdutyLinkFields[] = {{"href", kString}, {"text", kString}};
constexpr Shape kPagerdutyLink{kPagerdutyLinkFields};
constexpr Field kPagerdutyImageFields[] = {{"src", kString}, {"alt", kString}, {"href", kString}};
constexpr Shape kPagerdutyImage{kPagerdutyImageFields};
constexpr Field kPagerdutyFields[] = {{"service_key", kString},
                                      {"service_key_file", kString},
                                      {"routing_key", kString},
                                      {"routing_key_file", kString},
                                      {"url", kString},
                                      {"client", kString},
                                      {"client_url", kString},
                                      {"description", kString},
                                      {"details", kStringMap},
                                      {"images", kMappings, &kPagerdutyImage},
                                      {"links", kMappings, &kPagerdutyLink},
                                      {"source", kString},
                                      {"severity", kString},
                                      {"class", kString},
                                      {"component", kString},
                                      {"group", kString}};
constexpr Shape kPagerduty{kPagerdutyFields, kWithCommon};

constexpr Field kResponderFields[] = {
    {"id", kString}, {"name", kString}, {"username", kString}, {"type", kString}};
constexpr Shape kResponder{kResponderFields};
constexpr Field kOpsGenieFields[] = {
    {"api_key", kString},    {"api_key_file", kString}, {"api_url", kString},
    {"message", kString},    {"description", kString},  {"source", kString},
    {"details", kStringMap}, {"entity", kString},       {"responders", kMappings, &kResponder},
    {"actions", kString},    {"tags", kString},         {"note", kString},
    {"priority", kString},   {"update_alerts", kBool}};
constexpr Shape kOpsGenie{kOpsGenieFields, kWithCommon};

constexpr Field kWechatFields[] = {{"api_secret", kString}, {"api_secret_file", kString},
                                   {"corp_id", kString},    {"message", kString},
                                   {"api_url", kString},    {"to_user", kString},
                                   {"to_party", kString},   {"to_tag", kString},
                                   {"agent_id", kString},   {"message_type", kString}};
constexpr Shape kWechat{kWechatFields, kWithCommon};

constexpr Field kPushoverFields[] = {
    {"user_key", kString},   {"user_key_file", kString}, {"token", kString},
    {"token_file", kString}, {"title", kString},         {"message", kString},
    {"url", kString},        {"url_title", kString},     {"device", kString},
    {"sound", kString},      {"priority", kString},      {"retry", kDuration},
    {"expire", kDuration},   {"ttl", kDuration},         {"html", kBool},
    {"monospace", kBool}};
constexpr Shape kPushover{kPushoverFields, kWithCommon};

constexpr Field kVictorOpsFields[] = {{"api_key", kString},
                                      {"api_key_file", kString},
                                      {"api_url", kString},
                                      {"routing_key", kString},
                                      {"message_type", kString},
                                      {"state_message", kString},
                                      {"entity_display_name", kString},
                                      {"monitoring_tool", kString},
                                      {"custom_fields", kStringMap}};
constexpr Shape kVictorOps{kVictorOpsFields, kWithCommon};

constexpr Field kSigV4Fields[] = {{"region", kString},
                                  {"access_key", kString},
                                  {"secret_key", kString},
                                  {"profile", kString},
                                  {"role_arn", kString}};
constexpr Shape kSigV4{kSigV4Fields};
constexpr Field kSnsFields[] = {{"api_url", kString},    {"sigv4", kMapping, &kSigV4},
                                {"topic_arn", kString},  {"phone_number", kString},
                                {"target_arn", kString}, {"subject", kString},
                                {"message", kString},    {"attributes", kStringMap}};
constexpr Shape kSns{kSnsFields, kWithCommon};

constexpr Field kTelegramFields[] = {
    {"api_url", kString}, {"bot_token", kString},           {"bot_token_file", kString},
    {"chat_id", kInt},    {"chat_id_file", kString},        {"message_thread_id", kInt},
    {"message", kString}, {"disable_notifications", kBool}, {"parse_mode", kString}};
constexpr Shape kTelegram{kTelegramFields, kWithCommon};

constexpr Field kDiscordFields[] = {{"webhook_url", kString}, {"webhook_url_file", kString},
                                    {"content", kString},     {"title", kString},
                                    {"message", kString},     {"username", kString},
                                    {"avatar_url", kString}};
constexpr Shape kDiscord{kDiscordFields, kWithCommon};

constexpr Field kWebexFields[] = {{"api_url", kString}, {"message", kString}, {"room_id", kString}};
constexpr Shape kWebex{kWebexFields, kWithCommon};

constexpr Field kMsTeamsFields[] = {{"webhook_url", kString},
                                    {"webhook_url_file", kString},
                                    {"title", kString},
                                    {"summary", kString},
                                    {"text", kString}};
constexpr Shape kMsTeams{kMsTeamsFields, kWithCommon};

constexpr Field kRocketchatFieldFields[] = {
    {"short", kBool}, {"title", kString}, {"value", kString}};
constexpr Shape kRocketchatField{kRocketchatFieldFields};
constexpr Field kRocketchatActionFields[] = {{"type", kString},
                                             {"text", kString},
                                             {"url", kString},
                                             {"image_url", kString},
                                             {"is_webview", kBool},
                                             {"webview_height_ratio", kString},
                                             {"msg", kString},
                                             {"msg_in_chat_window", kBool},
                                             {"msg_processing_type", kString}};
constexpr Shape kRocketchatAction{kRocketchatActionFields};
constexpr Field kRocketchatFields[] = {{"api_url", kString},
                                       {"token_id", kString},
                                       {"token_id_file", kString},
                                       {"token", kString},
                                       {"token_file", kString},
                                       {"channel", kString},
                                       {"color", kString},
                                       {"title", kString},
                                       {"title_link", kString},
                                       {"text", kString},
                                       {"fields", kMappings, &kRocketchatField},
                                       {"short_fields", kBool},
                                       {"emoji", kString},
                                       {"icon_url", kString},
                                       {"image_url", kString},
                                       {"thumb_url", kString},
                                       {"link_names", kBool},
                                       {"actions", kMappings, &kRocketchatAction}};
constexpr Shape kRocketchat{kRocketchatFields, kWithCommon};

constexpr Field kMattermostFieldFields[] = {
    {"title", kString}, {"value", kString}, {"short", kBool}};
constexpr Shape kMattermostField{kMattermostFieldFields};
constexpr Field kMattermostAttachmentFields[] = {
    {"fallback", kString},    {"color", kString},
    {"pretext", kString},     {"text", kString},
    {"author_name", kString}, {"author_link", kString},
    {"author_icon", kString}, {"title", kString},
    {"title_link", kString},  {"fields", kMappings, &kMattermostField},
    {"thumb_url", kString},   {"footer", kString},
    {"footer_icon", kString}, {"image_url", kString}};
constexpr Shape kMattermostAttachment{kMattermostAttachmentFields};
constexpr Field kMattermostPropsFields[] = {{"card", kString}};
constexpr Shape kMattermostProps{kMattermostPropsFields};
constexpr Field kMattermostPriorityFields[] = {
    {"priority", kString}, {"requested_ack", kBool}, {"persistent_notifications", kBool}};
constexpr Shape kMattermostPriority{kMattermostPriorityFields};
constexpr Field kMattermostFields[] = {{"webhook_url", kString},
                                       {"webhook_url_file", kString},
                                       {"channel", kString},
                                       {"username", kString},
                                       {"text", kString},
                                       {"fallback", kString},
                                       {"color", kString},
                                       {"pretext", kString},
                                       {"author_name", kString},
                                       {"author_link", kString},
                                       {"author_icon", kString},
                                       {"title", kString},
                                       {"title_link", kString},
                                       {"fields", kMappings, &kMattermostField},
                                       {"thumb_url", kString},
                                       {"footer", kString},
                                       {"footer_icon", kString},
                                       {"image_url", kString},
                                       {"icon_url", kString},
                                       {"icon_emoji", kString},
                                       {"attachments", kMappings, &kMattermostAttachment},
                                       {"type", kString},
                                       {"props", kMapping, &kMattermostProps},
                                       {"priority", kMapping, &kMattermostPriority}};
constexpr Shape kMattermost{kMattermostFields, kWithCommon};

// Secrets, inherited fields, requirements and exclusions, integration by integration.

constexpr std::string_view kToKeys[] = {"to"};
constexpr std::string_view kUrlKeys[] = {"url", "url_file"};
constexpr std::string_view kPagerdutyKeys[] = {"routing_key", "routing_key_file", "service_key",
                                               "service_key_file"};
constexpr std::string_view kUserKeyKeys[] = {"user_key", "user_key_file"};
constexpr std::string_view kTokenKeys[] = {"token", "token_file"};
constexpr std::string_view kRoutingKeyKeys[] = {"routing_key"};
constexpr std::string_view kSnsTargetKeys[] = {"target_arn", "topic_arn", "phone_number"};
constexpr std::string_view kChatIdKeys[] = {"chat_id", "chat_id_file"};
constexpr std::string_view kWebhookUrlKeys[] = {"webhook_url", "webhook_url_file"};
constexpr std::string_view kRoomIdKeys[] = {"room_id"};

constexpr std::string_view kEmailSecrets[] = {"auth_password", "auth_secret"};
constexpr InheritedField kEmailInherited[] = {
    {"smarthost", "", "smtp_smarthost", "", "no global SMTP smarthost set"},
    {"from", "", "smtp_from", "", "no global SMTP from set"},
    {"hello", "", "smtp_hello", "", ""},
    {"auth_username", "", "smtp_auth_username", "", ""},
    {"auth_password", "auth_password_file", "smtp_auth_password", "smtp_auth_password_file", ""},
    {"auth_secret", "auth_secret_file", "smtp_auth_secret", "smtp_auth_secret_file", ""},
    {"auth_identity", "", "smtp_auth_identity", "", ""}};
constexpr RequiredField kEmailRequired[] = {{kToKeys, "missing to address in email config"}};

constexpr std::string_view kSlackSecrets[] = {"api_url", "app_token"};
constexpr InheritedField kSlackInherited[] = {
    {"api_url", "api_url_file", "slack_api_url", "slack_api_url_file", ""}};
constexpr ExclusiveFields kSlackExclusive[] = {{"api_url", "api_url_file"},
                                               {"app_token", "app_token_file"}};

constexpr std::string_view kWebhookSecrets[] = {"url"};
constexpr RequiredField kWebhookRequired[] = {
    {kUrlKeys, "one of url or url_file must be configured"}};
constexpr ExclusiveFields kWebhookExclusive[] = {{"url", "url_file"}};

constexpr std::string_view kPagerdutySecrets[] = {"service_key", "routing_key"};
constexpr RequiredField kPagerdutyRequired[] = {
    {kPagerdutyKeys, "missing service or routing key in PagerDuty config"}};
constexpr ExclusiveFields kPagerdutyExclusive[] = {{"routing_key", "routing_key_file"},
                                                   {"service_key", "service_key_file"}};

constexpr std::string_view kApiKeySecrets[] = {"api_key"};
constexpr ExclusiveFields kApiKeyExclusive[] = {{"api_key", "api_key_file"}};
constexpr InheritedField kOpsGenieInherited[] = {
    {"api_key", "api_key_file", "opsgenie_api_key", "opsgenie_api_key_file",
     "no global OpsGenie API Key set either inline or in a file"}};

constexpr std::string_view kWechatSecrets[] = {"api_secret"};
constexpr InheritedField kWechatInherited[] = {
    {"api_secret", "api_secret_file", "wechat_api_secret", "wechat_api_secret_file",
     "no global Wechat Api Secret set either inline or in a file"},
    {"corp_id", "", "wechat_api_corp_id", "", "no global Wechat CorpID set"}};
constexpr ExclusiveFields kWechatExclusive[] = {{"api_secret", "api_secret_file"}};

constexpr std::string_view kPushoverSecrets[] = {"user_key", "token"};
constexpr RequiredField kPushoverRequired[] = {
    {kUserKeyKeys, "one of user_key or user_key_file must be configured"},
    {kTokenKeys, "one of token or token_file must be configured"}};
constexpr ExclusiveFields kPushoverExclusive[] = {
    {"user_key", "user_key_file"}, {"token", "token_file"}, {"monospace", "html"}};

constexpr InheritedField kVictorOpsInherited[] = {{"api_key", "api_key_file", "victorops_api_key",
                                                   "victorops_api_key_file",
                                                   "no global VictorOps API Key set"}};
constexpr RequiredField kVictorOpsRequired[] = {
    {kRoutingKeyKeys, "missing Routing key in VictorOps config"}};

constexpr RequiredField kSnsRequired[] = {
    {kSnsTargetKeys,
     "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config"}};

constexpr std::string_view kTelegramSecrets[] = {"bot_token"};
constexpr InheritedField kTelegramInherited[] = {
    {"bot_token", "bot_token_file", "telegram_bot_token", "telegram_bot_token_file",
     "missing bot_token or bot_token_file on telegram_config"}};
constexpr RequiredField kTelegramRequired[] = {
    {kChatIdKeys, "missing chat_id or chat_id_file on telegram_config"}};
constexpr ExclusiveFields kTelegramExclusive[] = {{"bot_token", "bot_token_file"},
                                                  {"chat_id", "chat_id_file"}};

constexpr std::string_view kWebhookUrlSecrets[] = {"webhook_url"};
constexpr RequiredField kWebhookUrlRequired[] = {
    {kWebhookUrlKeys, "one of webhook_url or webhook_url_file must be configured"}};
constexpr ExclusiveFields kWebhookUrlExclusive[] = {{"webhook_url", "webhook_url_file"}};

constexpr std::string_view kWebexAuthorizationKeys[] = {"http_config.authorization"};
constexpr RequiredField kWebexRequired[] = {
    {kRoomIdKeys, "missing room_id on webex_config"},
    {kWebexAuthorizationKeys, "missing webex_configs.http_config.authorization"}};

constexpr std::string_view kRocketchatSecrets[] = {"token_id", "token"};
constexpr InheritedField kRocketchatInherited[] = {
    {"token_id", "token_id_file", "rocketchat_token_id", "rocketchat_token_id_file",
     "no global Rocketchat TokenID set either inline or in a file"},
    {"token", "token_file", "rocketchat_token", "rocketchat_token_file",
     "no global Rocketchat Token set either inline or in a file"}};
constexpr ExclusiveFields kRocketchatExclusive[] = {{"token", "token_file"},
                                                    {"token_id", "token_id_file"}};

constexpr InheritedField kMattermostInherited[] = {
    {"webhook_url", "webhook_url_file", "mattermost_webhook_url", "mattermost_webhook_url_file",
     "missing webhook_url or webhook_url_file on mattermost_config"}};

constexpr Integration kIntegrations[] = {
    {"discord_configs",
     "discord",
     &kDiscord,
     kWebhookUrlSecrets,
     {},
     kWebhookUrlRequired,
     kWebhookUrlExclusive},
    {"email_configs", "email", &kEmail, kEmailSecrets, kEmailInherited, kEmailRequired, {}},
    {"pagerduty_configs",
     "pagerduty",
     &kPagerduty,
     kPagerdutySecrets,
     {},
     kPagerdutyRequired,
     kPagerdutyExclusive},
    {"slack_configs", "slack", nullptr, kSlackSecrets, kSlackInherited, {}, kSlackExclusive, true},
    {"webhook_configs",
     "webhook",
     nullptr,
     kWebhookSecrets,
     {},
     kWebhookRequired,
     kWebhookExclusive},
    {"opsgenie_configs",
     "opsgenie",
     &kOpsGenie,
     kApiKeySecrets,
     kOpsGenieInherited,
     {},
     kApiKeyExclusive,
     true},
    {"wechat_configs",
     "wechat",
     &kWechat,
     kWechatSecrets,
     kWechatInherited,
     {},
     kWechatExclusive,
     true},
    {"pushover_configs",
     "pushover",
     &kPushover,
     kPushoverSecrets,
     {},
     kPushoverRequired,
     kPushoverExclusive},
    {"victorops_configs", "victorops", &kVictorOps, kApiKeySecrets, kVictorOpsInherited,
     kVictorOpsRequired, kApiKeyExclusive},
    {"sns_configs", "sns", &kSns, {}, {}, kSnsRequired, {}},
    {"telegram_configs", "telegram", &kTelegram, kTelegramSecrets, kTelegramInherited,
     kTelegramRequired, kTelegramExclusive},
    {"webex_configs", "webex", &kWebex, {}, {}, kWebexRequired, {}},
    {"msteams_configs",
     "msteams",
     &kMsTeams,
     kWebhookUrlSecrets,
     {},
     kWebhookUrlRequired,
     kWebhookUrlExclusive},
    {"rocketchat_configs",
     "rocketchat",
     &kRocketchat,
     kRocketchatSecrets,
     kRocketchatInherited,
     {},
     kRocketchatExclusive,
     true},
    {"mattermost_configs",
     "mattermost",
     &kMattermost,
     kWebhookUrlSecrets,
     kMattermostInherited,
     {},
     kWebhookUrlExclusive},
};

constexpr Field kNotifyGlobalNotActedOnFields[] = {{"smtp_from", kString},
                                                   {"smtp_hello", kString},
                                                   {"smtp_smarthost", kString},
                                                   {"smtp_auth_username", kString},
                                                   {"smtp_auth_password", kString},
                                                   {"smtp_auth_password_file", kString},
                                                   {"smtp_auth_secret", kString},
                                                   {"smtp_auth_secret_file", kString},
                                                   {"smtp_auth_identity", kString},
                                                   {"smtp_require_tls", kBool},
                                                   {"smtp_tls_config", kMapping, &kTls},
                                                   {"smtp_force_implicit_tls", kBool},
                                                   {"pagerduty_url", kString},
                                                   {"opsgenie_api_url", kString},
                                                   {"opsgenie_api_key", kString},
                                                   {"opsgenie_api_key_file", kString},
                                                   {"wechat_api_url", kString},
                                                   {"wechat_api_secret", kString},
                                                   {"wechat_api_secret_file", kString},
                                                   {"wechat_api_corp_id", kString},
                                                   {"victorops_api_url", kString},
                                                   {"victorops_api_key", kString},
                                                   {"victorops_api_key_file", kString},
                                                   {"telegram_api_url", kString},
                                                   {"telegram_bot_token", kString},
                                                   {"telegram_bot_token_file", kString},
                                                   {"webex_api_url", kString},
                                                   {"rocketchat_api_url", kString},
                                                   {"rocketchat_token", kString},
                                                   {"rocketchat_token_file", kString},
                                                   {"rocketchat_token_id", kString},
                                                   {"rocketchat_token_id_file", kString},
                                                   {"mattermost_webhook_url", kString},
                                                   {"mattermost_webhook_url_file", kString}};

constexpr std::string_view kGlobalSecrets[] = {
    "smtp_auth_password", "smtp_auth_secret",    "slack_api_url",         "slack_app_token",
    "opsgenie_api_key",   "wechat_api_secret",   "victorops_api_key",     "telegram_bot_token",
    "rocketchat_token",   "rocketchat_token_id", "mattermost_webhook_url"};

// In Alertmanager's order of checking them.
constexpr ExclusiveFields kGlobalExclusive[] = {
    {"slack_app_token", "slack_app_token_file"},
    {"slack_api_url", "slack_api_url_file"},
    {"opsgenie_api_key", "opsgenie_api_key_file"},
    {"victorops_api_key", "victorops_api_key_file"},
    {"telegram_bot_token", "telegram_bot_token_file"},
    {"smtp_auth_password", "smtp_auth_password_file"},
    {"rocketchat_token", "rocketchat_token_file"},
    {"rocketchat_token_id", "rocketchat_token_id_file"},
    {"smtp_auth_secret", "smtp_auth_secret_file"},
    {"wechat_api_secret", "wechat_api_secret_file"},
    {"mattermost_webhook_url", "mattermost_webhook_url_file"}};

}  // namespace

const Shape kNotifyGlobalNotActedOn{kNotifyGlobalNotActedOnFields};

std::span<const Integration> Integrations() { return kIntegrations; }

const Integration* FindIntegration(std::string_view key) {
  auto it = std::find_if(std::begin(kIntegrations), std::end(kIntegrations),
                         [key](const Integration& i) { return i.key == key; });
  return it == std::end(kIntegrations) ? nullptr : it;
}

Status CheckUrl(std::string_view url) {
  size_t colon = url.find("://");
  std::string_view scheme = colon == std::string_view::npos ? "" : url.substr(0, colon);
  if (scheme != "http" && scheme != "https") {
    return Status::Errorf(Status::Code::kInvalidInput, "unsupported scheme \"{}\" for URL", scheme);
  }
  std::string_view rest = url.substr(colon + 3);
  if (rest.substr(0, rest.find_first_of("/?#")).empty()) {
    return Status::Error("missing host for URL", Status::Code::kInvalidInput);
  }
  return Status::Ok();
}

std::span<const std::string_view> GlobalSecrets() { return kGlobalSecrets; }
std::span<const ExclusiveFields> GlobalExclusiveFields() { return kGlobalExclusive; }

}  // namespace argus::config
