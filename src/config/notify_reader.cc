#include "config/notify_reader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/accepted_fields.h"
#include "config/http_client_reader.h"
#include "config/notify_integrations.h"
#include "config/notify_parts.h"
#include "config/secrets.h"

namespace argus::config {
namespace {

constexpr std::string_view kDefaultSlackAppUrl = "https://slack.com/api/chat.postMessage";

void ReadGlobal(MapReader& parent, NotifyGlobalConfig* g) {
  YAML::Node node = parent.Child("global");
  MapReader r(node, parent.ChildPath("global"), parent.diagnostics());
  r.Read("resolve_timeout", &g->resolve_timeout);
  YAML::Node http = r.Child("http_config");
  if (Present(http)) {
    MapReader h(http, r.ChildPath("http_config"), r.diagnostics());
    ReadHttpClient(h, &g->http_config);
    AcceptNotActedOn(h, kHttpClientNotActedOn);
    h.Finish();
  }
  ReadUrl(r, "slack_api_url", &g->slack_api_url.value);
  r.Read("slack_api_url_file", &g->slack_api_url_file);
  g->slack_api_url_file = ResolvePath(r, g->slack_api_url_file);
  // The app token is read again by each Slack config that takes it.
  std::string app_token, app_token_file, app_url;
  r.Read("slack_app_token", &app_token);
  r.Read("slack_app_token_file", &app_token_file);
  ReadUrl(r, "slack_app_url", &app_url);
  AcceptNotActedOn(r, kNotifyGlobalNotActedOn);
  r.Finish();
  if (!r.ok()) return;
  for (const ExclusiveFields& pair : GlobalExclusiveFields()) {
    if (IsSet(node, pair.first) && IsSet(node, pair.second)) {
      r.Fail(node, r.path(),
             fmt::format("at most one of {} & {} must be configured", pair.first, pair.second));
    }
  }
  bool has_token = IsSet(node, "slack_app_token") || IsSet(node, "slack_app_token_file");
  bool has_url = !g->slack_api_url.empty() || !g->slack_api_url_file.empty();
  // Setting the URL to the app URL was the way to use a token before slack_app_token.
  if (app_url.empty()) app_url = kDefaultSlackAppUrl;
  if (has_token && has_url && g->slack_api_url.value != app_url) {
    r.Fail(node, r.path(),
           "at most one of slack_app_token/slack_app_token_file & slack_api_url/"
           "slack_api_url_file must be configured");
  }
}

void CheckRootRoute(MapReader& r, const Route& root) {
  YAML::Node node = r.Child("route");
  std::string path = r.ChildPath("route");
  if (root.receiver.empty()) r.Fail(node, path, "root route must specify a default receiver");
  if (!root.matchers.empty()) r.Fail(node, path, "root route must not have any matchers");
  if (!root.mute_time_intervals.empty()) {
    r.Fail(node, path, "root route must not have any mute time intervals");
  }
  if (!root.active_time_intervals.empty()) {
    r.Fail(node, path, "root route must not have any active time intervals");
  }
  if (root.continue_matching) r.Fail(node, path, "cannot have continue in root route");
}

// Reads an alertmanager.yml body at `body`, whose keys' paths start with `path`.
std::optional<NotifyConfig> ReadBody(const YAML::Node& body, const std::string& path,
                                     Diagnostics& diagnostics) {
  MapReader r(body, path, diagnostics);
  if (!r.ok()) return std::nullopt;
  NotifyConfig config;
  ReadGlobal(r, &config.global);
  ReadReceivers(r, r.Child("global"), config.global, &config.receivers);
  YAML::Node route = r.Child("route");
  if (Present(route)) {
    ReadRoute(route, r.ChildPath("route"), nullptr, diagnostics, &config.route);
    CheckRootRoute(r, config.route);
  } else {
    r.Fail(body, path.empty() ? "<document>" : path, "no routes provided");
  }
  ReadInhibitRules(r, &config.inhibit_rules);
  std::set<std::string> interval_names;
  ReadTimeIntervals(r, "mute_time_intervals", &interval_names, &config.time_intervals);
  ReadTimeIntervals(r, "time_intervals", &interval_names, &config.time_intervals);
  r.Read("templates", &config.templates);
  for (std::string& t : config.templates) t = ResolvePath(r, t);
  r.Finish();
  std::set<std::string> receiver_names;
  for (const Receiver& receiver : config.receivers) receiver_names.insert(receiver.name);
  if (Present(route)) {
    CheckRouteReferences(route, r.ChildPath("route"), config.route, receiver_names, interval_names,
                         diagnostics);
  }
  if (!r.ok()) return std::nullopt;
  config.source = std::string(diagnostics.source());
  config.original = EmitYaml(WithoutSecrets(body));
  return config;
}

// Reads the file named by `notify: {config_file: ...}`.
std::optional<NotifyConfig> ReadIncluded(MapReader& r) {
  std::string file;
  r.Read("config_file", &file);
  r.Finish();
  if (!r.ok()) return std::nullopt;
  YAML::Node at = r.Child("config_file");
  if (file.empty()) {
    r.Fail(at, r.ChildPath("config_file"), "config_file is empty");
    return std::nullopt;
  }
  std::string source = ResolvePath(r, file);
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    r.Fail(at, r.ChildPath("config_file"),
           fmt::format("cannot read \"{}\": {}", source, std::strerror(errno)));
    return std::nullopt;
  }
  std::string text(std::istreambuf_iterator<char>(in), {});
  YAML::Node body;
  try {
    body = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    r.Fail(at, r.ChildPath("config_file"),
           fmt::format("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
    return std::nullopt;
  }
  Diagnostics included(source);
  std::optional<NotifyConfig> config;
  if (!Present(body)) {
    included.Error(body, "<document>", "no route provided in config");
  } else {
    config = ReadBody(body, "", included);
  }
  r.diagnostics().Include(included, at);
  return config;
}

}  // namespace

std::optional<NotifyConfig> ReadNotify(MapReader& root) {
  YAML::Node node = root.Child("notify");
  if (!Present(node)) return std::nullopt;
  std::string path = root.ChildPath("notify");
  if (node.IsMap() && node["config_file"].IsDefined()) {
    MapReader r(node, path, root.diagnostics());
    return ReadIncluded(r);
  }
  return ReadBody(node, path, root.diagnostics());
}

}  // namespace argus::config
