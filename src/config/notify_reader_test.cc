// The `notify:` section: Alertmanager's schema read into NotifyConfig, its defaults, what children
// inherit, and errors located as the rest of the configuration locates them.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "config/config.h"

namespace argus::config {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

NotifyConfig Notify(const std::string& yaml, const std::string& source = "/etc/argus/argus.yml") {
  auto config = Parse(yaml, source);
  EXPECT_TRUE(config.ok()) << config.status().message();
  if (!config.ok() || !config->notify) return {};
  return *config->notify;
}

std::string ErrorOf(const std::string& yaml) {
  auto config = Parse(yaml, "argus.yml");
  EXPECT_FALSE(config.ok()) << yaml;
  return config.ok() ? "" : config.status().message();
}

TEST(NotifyReaderTest, ChildRoutesInheritWhatTheyDoNotSet) {
  NotifyConfig n = Notify(R"(
notify:
  route:
    receiver: team
    group_by: [alertname, cluster]
    group_wait: 10s
    repeat_interval: 1h
    routes:
      - match: {service: db}
        group_interval: 1m
        routes:
          - receiver: pager
            group_by: ['...']
      - matchers: ['severity="critical"']
        receiver: pager
        group_by: []
        mute_time_intervals: [nights]
  receivers: [{name: team}, {name: pager}]
  time_intervals:
    - name: nights
      time_intervals: [{times: [{start_time: '00:00', end_time: '06:00'}]}]
)");
  const Route& root = n.route;
  EXPECT_EQ(root.receiver, "team");
  EXPECT_EQ(root.group_wait, seconds(10));
  EXPECT_EQ(root.group_interval, minutes(5));  // Alertmanager's default.
  EXPECT_EQ(root.repeat_interval, hours(1));
  ASSERT_EQ(root.routes.size(), 2u);
  const Route& db = root.routes[0];
  EXPECT_EQ(db.receiver, "team");
  EXPECT_EQ(db.group_by, (std::vector<std::string>{"alertname", "cluster"}));
  EXPECT_EQ(db.group_wait, seconds(10));
  EXPECT_EQ(db.group_interval, minutes(1));
  EXPECT_EQ(db.repeat_interval, hours(1));
  ASSERT_EQ(db.matchers.size(), 1u);
  EXPECT_EQ(db.matchers[0].ToString(), "service=\"db\"");
  ASSERT_EQ(db.routes.size(), 1u);
  const Route& all = db.routes[0];
  EXPECT_EQ(all.receiver, "pager");
  EXPECT_TRUE(all.group_by_all);
  EXPECT_TRUE(all.group_by.empty());
  EXPECT_EQ(all.group_interval, minutes(1));
  EXPECT_TRUE(all.matchers.empty());  // Matchers are the route's own, never inherited.
  const Route& critical = root.routes[1];
  EXPECT_TRUE(critical.group_by.empty());  // An empty list groups everything together.
  EXPECT_FALSE(critical.group_by_all);
  EXPECT_EQ(critical.mute_time_intervals, std::vector<std::string>{"nights"});
  ASSERT_EQ(critical.matchers.size(), 1u);
  EXPECT_EQ(critical.matchers[0].ToString(), "severity=\"critical\"");
}

TEST(NotifyReaderTest, MatchersOfAllThreeKindsAndInhibitRules) {
  NotifyConfig n = Notify(R"(
notify:
  route:
    receiver: r
    routes:
      - receiver: r
        match: {a: b}
        match_re: {c: 'd|e'}
        matchers: ['f!="g"', '{h=~"i.*", j!~k}']
  receivers: [{name: r}]
  inhibit_rules:
    - source_matchers: [severity="critical"]
      target_match: {severity: warning}
      target_match_re: {team: 'db|web'}
      equal: [alertname]
)");
  std::vector<std::string> got;
  for (const auto& m : n.route.routes.at(0).matchers) got.push_back(m.ToString());
  EXPECT_EQ(got, (std::vector<std::string>{"a=\"b\"", "c=~\"d|e\"", "f!=\"g\"", "h=~\"i.*\"",
                                           "j!~\"k\""}));
  EXPECT_TRUE(n.route.routes[0].matchers[1].Matches("e"));
  EXPECT_FALSE(n.route.routes[0].matchers[1].Matches("de"));  // Anchored.
  ASSERT_EQ(n.inhibit_rules.size(), 1u);
  const InhibitRule& rule = n.inhibit_rules[0];
  ASSERT_EQ(rule.source_matchers.size(), 1u);
  EXPECT_EQ(rule.source_matchers[0].ToString(), "severity=\"critical\"");
  ASSERT_EQ(rule.target_matchers.size(), 2u);
  EXPECT_EQ(rule.equal, std::vector<std::string>{"alertname"});
}

TEST(NotifyReaderTest, TimeIntervals) {
  NotifyConfig n = Notify(R"(
notify:
  route: {receiver: r}
  receivers: [{name: r}]
  mute_time_intervals:
    - name: old
      time_intervals: [{weekdays: [saturday]}]
  time_intervals:
    - name: business
      time_intervals:
        - times: [{start_time: '09:00', end_time: '17:30'}]
          weekdays: ['monday:friday']
          days_of_month: ['1:10', '-3:-1']
          months: ['January:march', '12']
          years: ['2024:2026']
          location: Europe/Berlin
)");
  ASSERT_EQ(n.time_intervals.size(), 2u);
  EXPECT_EQ(n.time_intervals[0].name, "old");
  EXPECT_EQ(n.time_intervals[0].periods.at(0).location, "UTC");
  EXPECT_EQ(n.time_intervals[0].periods[0].weekdays, (std::vector<TimePeriod::Range>{{6, 6}}));
  const TimePeriod& p = n.time_intervals[1].periods.at(0);
  using R = TimePeriod::Range;
  EXPECT_EQ(p.times, (std::vector<R>{{9 * 60, 17 * 60 + 30}}));
  EXPECT_EQ(p.weekdays, (std::vector<R>{{1, 5}}));
  EXPECT_EQ(p.days_of_month, (std::vector<R>{{1, 10}, {-3, -1}}));
  EXPECT_EQ(p.months, (std::vector<R>{{1, 3}, {12, 12}}));
  EXPECT_EQ(p.years, (std::vector<R>{{2024, 2026}}));
  EXPECT_EQ(p.location, "Europe/Berlin");
}

TEST(NotifyReaderTest, BadTimeIntervalsGetAlertmanagersWords) {
  const std::string head =
      "notify:\n  route: {receiver: r}\n  receivers: [{name: r}]\n"
      "  time_intervals:\n    - name: t\n      time_intervals:\n        - ";
  const std::pair<std::string, std::string> cases[] = {
      {"weekdays: ['friday:monday']", "start day cannot be before end day"},
      {"weekdays: [funday]", "funday is not a valid weekday"},
      {"days_of_month: ['0']", "0 is not a valid day of the month: out of range"},
      {"days_of_month: ['-1:5']", "end day must be negative if start day is negative"},
      {"days_of_month: ['10:2']", "end day 2 is always before start day 10"},
      {"months: ['march:january']", "end month january is before start month march"},
      {"months: [smarch]", "smarch is not a valid month"},
      {"years: ['2022:2020']", "end year 2020 is before start year 2022"},
      {"times: [{start_time: '10:00'}]", "both start and end times must be provided"},
      {"times: [{start_time: '10:00', end_time: '25:00'}]",
       "couldn't parse timestamp 25:00, invalid format"},
      {"times: [{start_time: '10:00', end_time: '09:00'}]",
       "start time cannot be equal or greater than end time"},
      {"location: Mars/Olympus", "unknown time zone Mars/Olympus"},
  };
  for (const auto& [period, error] : cases) {
    std::string message = ErrorOf(head + "{" + period + "}\n");
    EXPECT_NE(message.find("notify.time_intervals[0].time_intervals[0]."), std::string::npos)
        << message;
    EXPECT_NE(message.find(error), std::string::npos) << period << ": " << message;
  }
}

TEST(NotifyReaderTest, SlackAndWebhookDefaultsAndInheritance) {
  NotifyConfig n = Notify(R"(
notify:
  global:
    slack_api_url_file: slack-url
    http_config: {follow_redirects: false}
  route: {receiver: r}
  receivers:
    - name: r
      slack_configs:
        - channel: '#alerts'
        - api_url: https://hooks.slack.com/services/x
          title: custom
          http_config: {proxy_url: 'http://127.0.0.1:3128'}
      webhook_configs:
        - url: http://127.0.0.1:5001/
)");
  ASSERT_EQ(n.receivers.size(), 1u);
  const Receiver& r = n.receivers[0];
  ASSERT_EQ(r.slack_configs.size(), 2u);
  const SlackConfig& inherited = r.slack_configs[0];
  EXPECT_EQ(inherited.api_url_file, "/etc/argus/slack-url");  // Relative to the config file.
  EXPECT_TRUE(inherited.api_url.empty());
  EXPECT_FALSE(inherited.http_config.follow_redirects);  // The global http_config.
  EXPECT_FALSE(inherited.send_resolved);
  EXPECT_TRUE(inherited.uses_default_text);
  EXPECT_EQ(inherited.title, R"({{ template "slack.default.title" . }})");
  const SlackConfig& own = r.slack_configs[1];
  EXPECT_EQ(own.api_url.value, "https://hooks.slack.com/services/x");
  EXPECT_TRUE(own.api_url_file.empty());
  EXPECT_TRUE(own.http_config.follow_redirects);  // Its own, not merged with the global one.
  EXPECT_FALSE(own.uses_default_text);
  ASSERT_EQ(r.webhook_configs.size(), 1u);
  EXPECT_TRUE(r.webhook_configs[0].send_resolved);
  EXPECT_EQ(r.webhook_configs[0].url.value, "http://127.0.0.1:5001/");
  EXPECT_TRUE(r.unsupported_integrations.empty());
  EXPECT_NE(n.original.find("<secret>"), std::string::npos);
  EXPECT_EQ(n.original.find("hooks.slack.com"), std::string::npos) << n.original;
}

TEST(NotifyReaderTest, SlackAppTokenBecomesABearerAuthorization) {
  NotifyConfig n = Notify(R"(
notify:
  global: {slack_app_token: xoxb-1}
  route: {receiver: r}
  receivers: [{name: r, slack_configs: [{channel: '#a'}]}]
)");
  const SlackConfig& c = n.receivers.at(0).slack_configs.at(0);
  EXPECT_EQ(c.api_url.value, "https://slack.com/api/chat.postMessage");
  ASSERT_TRUE(c.http_config.authorization.has_value());
  EXPECT_EQ(c.http_config.authorization->type, "Bearer");
  EXPECT_EQ(c.http_config.authorization->credentials, "xoxb-1");
}

TEST(NotifyReaderTest, OtherIntegrationsAreCheckedAndNamedWithAWarning) {
  auto config = Parse(R"(
notify:
  global: {smtp_smarthost: 'localhost:25', smtp_from: am@example.org}
  route: {receiver: r}
  receivers:
    - name: r
      email_configs: [{to: team@example.org}]
)",
                      "argus.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->notify->receivers.at(0).unsupported_integrations,
            std::vector<std::string>{"email_configs"});
  bool warned = false;
  for (const std::string& w : config->warnings) {
    if (w.starts_with("argus.yml:7:7: notify.receivers[0].email_configs: accepted, but")) {
      warned = true;
    }
  }
  EXPECT_TRUE(warned) << ::testing::PrintToString(config->warnings);
  EXPECT_NE(ErrorOf("notify:\n  route: {receiver: r}\n  receivers:\n    - name: r\n"
                    "      email_configs: [{to: t@example.org}]\n")
                .find("no global SMTP smarthost set"),
            std::string::npos);
}

// Alertmanager's checks, each located and all reported at once.
TEST(NotifyReaderTest, ErrorsAreLocatedAndAllReported) {
  std::string message = ErrorOf(R"(notify:
  route:
    receiver: team
    match: {a: b}
    routes:
      - receiver: nobody
        mute_time_intervals: [never]
        group_intervl: 5m
      - receiver: team
        repeat_interval: 0s
        group_by: [a, '...']
  receivers:
    - name: team
    - name: team
)");
  const std::string expected[] = {
      "argus.yml:3:5: notify.route: root route must not have any matchers",
      "argus.yml:6:19: notify.route.routes[0].receiver: undefined receiver \"nobody\" used in "
      "route",
      "argus.yml:7:31: notify.route.routes[0].mute_time_intervals[0]: undefined time interval "
      "\"never\" used in route",
      "argus.yml:8:9: notify.route.routes[0].group_intervl: unknown field \"group_intervl\"",
      "argus.yml:10:26: notify.route.routes[1].repeat_interval: repeat_interval cannot be zero",
      "argus.yml:11:19: notify.route.routes[1].group_by: cannot have wildcard group_by (`...`) "
      "and other labels at the same time",
      "argus.yml:14:13: notify.receivers[1].name: notification config name \"team\" is not "
      "unique",
  };
  for (const std::string& e : expected) {
    EXPECT_NE(message.find(e), std::string::npos) << e << "\n in:\n" << message;
  }
  EXPECT_NE(ErrorOf("notify:\n  receivers: [{name: r}]\n").find("no routes provided"),
            std::string::npos);
  EXPECT_NE(ErrorOf("notify:\n  route: {group_by: [a]}\n")
                .find("root route must specify a default receiver"),
            std::string::npos);
  EXPECT_NE(ErrorOf("notify:\n  route: {receiver: r, matchers: ['a=\"b']}\n"
                    "  receivers: [{name: r}]\n")
                .find("matcher value contains unescaped double quote"),
            std::string::npos);
}

TEST(NotifyReaderTest, ConfigFileIsReadRelativeToTheConfig) {
  auto dir = std::filesystem::temp_directory_path() /
             ("argus-notify-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(dir / "am");
  std::ofstream(dir / "am/alertmanager.yml")
      << "route: {receiver: r}\nreceivers: [{name: r}]\ntemplates: ['tmpl/*.tmpl']\n";
  std::ofstream(dir / "am/bad.yml") << "route: {receiver: nobody}\nreceivers: [{name: r}]\nx: 1\n";
  auto config = Parse("notify: {config_file: am/alertmanager.yml}\n", (dir / "argus.yml").string());
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->notify->source, (dir / "am/alertmanager.yml").string());
  EXPECT_EQ(config->notify->templates, std::vector<std::string>{(dir / "am/tmpl/*.tmpl").string()});
  auto bad = Parse("\nnotify: {config_file: am/bad.yml}\n", (dir / "argus.yml").string());
  ASSERT_FALSE(bad.ok());
  // In the named file's order, though found in another.
  const std::string bad_yml = (dir / "am/bad.yml").string();
  EXPECT_EQ(bad.status().message(),
            bad_yml + ":1:19: route.receiver: undefined receiver \"nobody\" used in route\n" +
                bad_yml + ":3:1: x: unknown field \"x\"");
  auto missing = Parse("notify: {config_file: am/none.yml}\n", (dir / "argus.yml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("argus.yml:1:23: notify.config_file: cannot read"),
            std::string::npos)
      << missing.status().message();
  EXPECT_NE(ErrorOf("notify: {config_file: a.yml, route: {receiver: r}}\n")
                .find("notify.route: unknown field \"route\""),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

// Cases of Alertmanager's config_test.go, with its error texts.
TEST(NotifyReaderTest, AlertmanagersInlineCases) {
  const std::string receiver = "  route: {receiver: r}\n  receivers:\n    - name: r\n";
  const std::pair<std::string, std::string> cases[] = {
      {"  route: {receiver: r, continue: true}\n  receivers: [{name: r}]\n",
       "cannot have continue in root route"},
      {"  route: {receiver: r, routes: [{group_interval: 0s}]}\n  receivers: [{name: r}]\n",
       "group_interval cannot be zero"},
      {"  route: {receiver: r, group_by: [a, a]}\n  receivers: [{name: r}]\n",
       "duplicated label \"a\" in group_by"},
      {"  route: {receiver: r, group_by: [-invalid-]}\n  receivers: [{name: r}]\n",
       "invalid label name \"-invalid-\" in group_by list"},
      {"  route: {receiver: r, mute_time_intervals: [m]}\n  receivers: [{name: r}]\n"
       "  time_intervals: [{name: m}]\n",
       "root route must not have any mute time intervals"},
      {"  route: {receiver: r, active_time_intervals: [m]}\n  receivers: [{name: r}]\n"
       "  time_intervals: [{name: m}]\n",
       "root route must not have any active time intervals"},
      {"  route: {receiver: r}\n  receivers: [{email_configs: []}]\n", "missing name in receiver"},
      {receiver + "  time_intervals: [{time_intervals: []}]\n", "missing name in time interval"},
      {receiver + "  time_intervals:\n    -\n", "missing name in time interval"},
      {"  route: {receiver: r}\n  receivers:\n    -\n", "missing name in receiver"},
      {receiver + "  mute_time_intervals: [{name: d}, {name: d}]\n",
       "mute time interval \"d\" is not unique"},
      {receiver + "  inhibit_rules: [{equal: [-x-]}]\n",
       "invalid label name \"-x-\" in equal list"},
      {receiver + "      webhook_configs: [{url: 'ftp://x'}]\n",
       "invalid URL: unsupported scheme \"ftp\" for URL"},
      {receiver + "      webhook_configs: [{max_alerts: 1}]\n",
       "one of url or url_file must be configured"},
      {receiver + "      webex_configs: [{room_id: x}]\n",
       "missing webex_configs.http_config.authorization"},
  };
  for (const auto& [body, error] : cases) {
    std::string message = ErrorOf("notify:\n" + body);
    EXPECT_NE(message.find(error), std::string::npos) << body << "\n" << message;
  }
  // TestEmptyConfigOfIntegration: a null entry.
  const std::pair<std::string, std::string> empty[] = {
      {"discord_configs", "missing discord config"},
      {"email_configs", "missing email config"},
      {"pagerduty_configs", "missing pagerduty config"},
      {"webhook_configs", "missing webhook config"},
      {"pushover_configs", "missing pushover config"},
      {"victorops_configs", "missing victorops config"},
      {"sns_configs", "missing sns config"},
      {"telegram_configs", "missing telegram config"},
      {"webex_configs", "missing webex config"},
      {"msteams_configs", "missing msteams config"},
      {"mattermost_configs", "missing mattermost config"},
      {"slack_configs", "no Slack API URL nor App token set either inline or in a file"},
      {"opsgenie_configs", "no global OpsGenie API Key set either inline or in a file"},
      {"wechat_configs", "no global Wechat Api Secret set either inline or in a file"},
      {"rocketchat_configs", "no global Rocketchat TokenID set either inline or in a file"},
  };
  for (const auto& [key, error] : empty) {
    std::string message = ErrorOf("notify:\n" + receiver + "      " + key + ":\n        -\n");
    EXPECT_NE(message.find("notify.receivers[0]." + key + "[0]: " + error), std::string::npos)
        << message;
  }
}

// The embedded default has no notify section, and its commented example reads once uncommented.
TEST(NotifyReaderTest, TheDefaultsCommentedExampleReads) {
  auto embedded = Parse(EmbeddedDefault(), "<embedded>");
  ASSERT_TRUE(embedded.ok()) << embedded.status().message();
  EXPECT_FALSE(embedded->notify.has_value());
  std::string text(EmbeddedDefault());
  size_t start = text.find("\n# notify:\n");
  ASSERT_NE(start, std::string::npos);
  std::string uncommented;
  for (size_t at = start + 1; at < text.size() && text.compare(at, 2, "# ") == 0;) {
    size_t end = text.find('\n', at);
    uncommented += text.substr(at + 2, end - at - 2) + "\n";
    at = end + 1;
  }
  NotifyConfig n = Notify(uncommented);
  ASSERT_EQ(n.receivers.size(), 1u);
  ASSERT_EQ(n.receivers[0].slack_configs.size(), 1u);
  EXPECT_EQ(n.receivers[0].slack_configs[0].api_url_file, "/etc/argus/slack-url");
  EXPECT_EQ(n.receivers[0].slack_configs[0].channel, "#alerts");
  EXPECT_EQ(n.route.group_by, (std::vector<std::string>{"alertname", "namespace"}));
}

}  // namespace
}  // namespace argus::config
