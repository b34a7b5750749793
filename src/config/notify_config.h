#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/http_client_config.h"
#include "model/duration.h"
#include "model/matcher.h"

namespace argus::config {

// The `notify:` section: an alertmanager.yml body as Alertmanager 0.25 reads it (or the file
// named by `notify: {config_file: ...}`), with Alertmanager's defaults filled in. Of the
// integrations, Argus delivers to Slack, webhooks and (through `alerting:`) external
// Alertmanagers; the others (email, PagerDuty, OpsGenie, ...) are read and checked as
// Alertmanager checks them, and a receiver that uses them gets a warning in Config::warnings.

// A string that must never be shown: Slack URLs, tokens, passwords. Renders as "<secret>".
struct Secret {
  std::string value;
  bool empty() const { return value.empty(); }
  bool operator==(const Secret&) const = default;
};

struct NotifyGlobalConfig {
  // How long after an alert was last updated it counts as resolved when its sender gave no end.
  model::Duration resolve_timeout = std::chrono::minutes(5);
  HttpClientConfig http_config;
  Secret slack_api_url;            // At most one of the URL and the file.
  std::string slack_api_url_file;  // Read when a notification is sent, so it can rotate.
  bool operator==(const NotifyGlobalConfig&) const = default;
};

// One node of the routing tree. A child's unset receiver, group_by and intervals are its parent's
// (the reader fills them in, so every node here has all of them); its matchers, `continue` and
// time intervals are its own.
struct Route {
  std::string receiver;
  // The labels that split alerts into groups; empty groups everything together.
  std::vector<std::string> group_by;
  bool group_by_all = false;  // group_by: ['...']: every alert is its own group.
  // match, match_re and matchers, all of which must hold, in that order.
  std::vector<model::Matcher> matchers;
  bool continue_matching = false;  // `continue`
  model::Duration group_wait = std::chrono::seconds(30);
  model::Duration group_interval = std::chrono::minutes(5);
  model::Duration repeat_interval = std::chrono::hours(4);
  std::vector<std::string> mute_time_intervals;    // Names from time_intervals.
  std::vector<std::string> active_time_intervals;  // Likewise.
  std::vector<Route> routes;
};

struct InhibitRule {
  // An alert matching all target matchers is muted while an alert matching all source matchers
  // fires with the same values of `equal` (a label missing in both counts as equal). An alert
  // matching both is never muted by itself.
  std::vector<model::Matcher> source_matchers;
  std::vector<model::Matcher> target_matchers;
  std::vector<std::string> equal;
};

// Alertmanager's <time_interval>: a set of periods in a time zone. A time is in the interval
// when it is in one of the periods; a period holds when each of its non-empty lists has a range
// containing the time. Ranges are inclusive; days of the month may be negative (from the end).
struct TimePeriod {
  struct Range {
    int begin = 0;
    int end = 0;
    bool operator==(const Range&) const = default;
  };
  std::vector<Range> times;          // Minutes of the day, [begin, end).
  std::vector<Range> weekdays;       // 0 = Sunday.
  std::vector<Range> days_of_month;  // 1..31 or -31..-1.
  std::vector<Range> months;         // 1..12.
  std::vector<Range> years;
  std::string location = "UTC";  // An IANA zone name.
  bool operator==(const TimePeriod&) const = default;
};

struct TimeInterval {
  std::string name;
  std::vector<TimePeriod> periods;
};

// Alertmanager's <slack_config>, with its defaults. Text fields are notification templates.
struct SlackConfig {
  bool send_resolved = false;
  HttpClientConfig http_config;
  Secret api_url;  // Incoming webhook, or https://slack.com/api/chat.postMessage with a token.
  std::string api_url_file;
  std::string channel;
  std::string username = R"({{ template "slack.default.username" . }})";
  std::string color = R"({{ if eq .Status "firing" }}danger{{ else }}good{{ end }})";
  std::string title = R"({{ template "slack.default.title" . }})";
  std::string title_link = R"({{ template "slack.default.titlelink" . }})";
  std::string pretext = R"({{ template "slack.default.pretext" . }})";
  std::string text = R"({{ template "slack.default.text" . }})";
  std::string fallback = R"({{ template "slack.default.fallback" . }})";
  std::string icon_emoji = R"({{ template "slack.default.iconemoji" . }})";
  std::string icon_url = R"({{ template "slack.default.iconurl" . }})";
  std::string image_url;
  std::string thumb_url;
  std::string footer = R"({{ template "slack.default.footer" . }})";
  std::string callback_id = R"({{ template "slack.default.callbackid" . }})";
  bool short_fields = false;
  bool link_names = false;
  std::vector<std::string> mrkdwn_in = {"fallback", "pretext", "text"};
  // Whether title, text, ... were set in the file: when none was, Argus sends its own Block Kit
  // message instead of the attachment Alertmanager's defaults make.
  bool uses_default_text = true;
  bool operator==(const SlackConfig&) const = default;
};

// Alertmanager's <webhook_config>: POSTs Alertmanager's JSON message, version 4.
struct WebhookConfig {
  bool send_resolved = true;
  HttpClientConfig http_config;
  Secret url;
  std::string url_file;
  uint64_t max_alerts = 0;  // 0: all.
  bool operator==(const WebhookConfig&) const = default;
};

struct Receiver {
  std::string name;
  std::vector<SlackConfig> slack_configs;
  std::vector<WebhookConfig> webhook_configs;
  // The other integrations the receiver lists ("email_configs", "pagerduty_configs", ...):
  // checked as Alertmanager checks them, not delivered to; each has a warning in
  // Config::warnings.
  std::vector<std::string> unsupported_integrations;
};

struct NotifyConfig {
  NotifyGlobalConfig global;
  Route route;  // The root: no matchers, a receiver.
  std::vector<Receiver> receivers;
  std::vector<InhibitRule> inhibit_rules;
  std::vector<TimeInterval> time_intervals;  // time_intervals and mute_time_intervals.
  // Files (globs in the last component), relative ones resolved against the directory of the
  // file the section came from.
  std::vector<std::string> templates;
  std::string source;  // The file the section came from: the config file, or `config_file`.
  // The section as YAML, as Alertmanager shows its configuration (/api/v2/status): with the
  // values each receiver takes from `global:` written in, and every secret shown as "<secret>".
  // The file's comments are not kept.
  std::string original;
};

}  // namespace argus::config
