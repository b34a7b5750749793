#include "api/alertmanager_api.h"

#include <gtest/gtest.h>

#include "base/manual_timer_source.h"
#include "notify/render_data.h"

namespace argus::api {
namespace {

using namespace std::chrono_literals;

// The API over a dispatcher on a manual clock that starts at 2023-11-14T22:13:20Z.
class AlertmanagerApiTest : public ::testing::Test {
 protected:
  AlertmanagerApiTest() : timers_(clock_) {
    silences_ = notify::SilenceStore::Open(clock_, "", 120h).value();
    auto config = std::make_shared<config::NotifyConfig>();
    config->route.receiver = "team";
    config->route.group_by = {"alertname"};
    config->receivers = {config::Receiver{.name = "team"}, config::Receiver{.name = "other"}};
    config->original = "route:\n  receiver: team\n";
    config_ = config;
    dispatcher_ = notify::Dispatcher::Make(
                      *config_,
                      notify::DispatcherDeps{
                          .timers = timers_,
                          .alerts = alerts_,
                          .silences = *silences_,
                          .notification_log = log_,
                          .notify = [](const notify::GroupNotification&) { return Status::Ok(); }})
                      .value();
    sources_.clock = &clock_;
    sources_.dispatcher = [this] { return dispatcher_; };
    sources_.config = [this] { return config_; };
    sources_.alerts = &alerts_;
    sources_.silences = silences_.get();
    sources_.build.version = "0.1.0";
    sources_.start_time_ms = clock_.NowMillis() - 1000;
  }

  http::Response Call(void (*handler)(const AlertmanagerSources&, const http::Request&,
                                      http::Response*),
                      std::string path, std::string body = "",
                      std::multimap<std::string, std::string> params = {}) {
    http::Request req;
    req.path = std::move(path);
    req.body = std::move(body);
    req.params = std::move(params);
    http::Response r;
    handler(sources_, req, &r);
    return r;
  }

  ManualClock clock_;
  ManualTimerSource timers_;
  notify::AlertStore alerts_;
  std::unique_ptr<notify::SilenceStore> silences_;
  notify::MemoryNotificationLog log_;
  std::shared_ptr<const config::NotifyConfig> config_;
  std::shared_ptr<notify::Dispatcher> dispatcher_;
  AlertmanagerSources sources_;
};

TEST_F(AlertmanagerApiTest, PostedAlertsAreListedInAlertmanagersShape) {
  http::Response posted = Call(PostAlerts, "/api/v2/alerts", R"([{
      "labels": {"alertname": "Down", "job": "api"},
      "annotations": {"summary": "api is down"},
      "startsAt": "2023-11-14T22:00:00Z",
      "generatorURL": "http://argus/graph"}])");
  ASSERT_EQ(posted.status, 200) << posted.body;

  http::Response got = Call(GetAlerts, "/api/v2/alerts");
  ASSERT_EQ(got.status, 200);
  const std::string fp = notify::FormatFingerprint(
      notify::AlertFingerprint(model::Labels{{"alertname", "Down"}, {"job", "api"}}));
  EXPECT_EQ(got.body,
            R"([{"annotations":{"summary":"api is down"},"endsAt":"2023-11-14T22:18:20.000Z",)"
            R"("fingerprint":")" +
                fp +
                R"(","receivers":[{"name":"team"}],"startsAt":"2023-11-14T22:00:00.000Z",)"
                R"("status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},)"
                R"("updatedAt":"2023-11-14T22:13:20.000Z","generatorURL":"http://argus/graph",)"
                R"("labels":{"alertname":"Down","job":"api"}}])");

  // Grouped once the group has flushed; listed by receiver.
  timers_.Advance(30s);
  http::Response groups = Call(GetAlertGroups, "/api/v2/alerts/groups");
  ASSERT_EQ(groups.status, 200);
  EXPECT_NE(groups.body.find(R"("labels":{"alertname":"Down"},"receiver":{"name":"team"}})"),
            std::string::npos)
      << groups.body;
  EXPECT_EQ(Call(GetAlertGroups, "/api/v2/alerts/groups", "", {{"receiver", "oth.*"}}).body, "[]");
}

TEST_F(AlertmanagerApiTest, BadAlertsAreRefusedWithTheReason) {
  struct Case {
    std::string body;
    std::string error;
  };
  const Case cases[] = {
      {"{}", R"("body must be a JSON array of alerts")"},
      {R"([{"annotations": {}}])", R"("labels in body is required")"},
      {R"([{"labels": {"a": 1}}])", R"("labels: value of a must be a string")"},
      {R"([{"labels": {"a": "b"}, "startsAt": "yesterday"}])",
       R"("startsAt: cannot parse \"yesterday\" to a valid timestamp")"},
      {R"([{"labels": {"a": "b"}, "startsAt": "2023-11-14T22:00:00Z",
            "endsAt": "2023-11-14T21:00:00Z"}])",
       R"("{a=\"b\"}: start time must be before end time")"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    http::Response r = Call(PostAlerts, "/api/v2/alerts", c.body);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, c.error);
  }
  EXPECT_EQ(alerts_.size(), 0u);
}

// Alertmanager counts every alert of a request that parses, firing or resolved by its end on
// receipt, and the invalid ones apart; a request that does not parse counts nothing.
TEST_F(AlertmanagerApiTest, PostedAlertsAreCountedUnderAlertmanagersNames) {
  MetricsRegistry registry;
  AlertmanagerApiMetrics metrics(registry);
  sources_.metrics = &metrics;
  auto rendered = [&registry] {
    std::string out;
    registry.Render(&out);
    return out;
  };
  const std::string zero =
      "# HELP alertmanager_alerts_invalid_total The total number of received alerts that were "
      "invalid.\n# TYPE alertmanager_alerts_invalid_total counter\n"
      "alertmanager_alerts_invalid_total{version=\"v2\"} 0\n"
      "# HELP alertmanager_alerts_received_total The total number of received alerts.\n"
      "# TYPE alertmanager_alerts_received_total counter\n"
      "alertmanager_alerts_received_total{status=\"firing\",version=\"v2\"} 0\n"
      "alertmanager_alerts_received_total{status=\"resolved\",version=\"v2\"} 0\n";
  EXPECT_EQ(rendered(), zero);

  EXPECT_EQ(Call(PostAlerts, "/api/v2/alerts", R"([{"labels": {"a": 1}}])").status, 400);
  EXPECT_EQ(rendered(), zero);
  // Now is 2023-11-14T22:13:20Z.
  http::Response r = Call(PostAlerts, "/api/v2/alerts", R"([
      {"labels": {"alertname": "Up"}},
      {"labels": {"alertname": "Later"}, "endsAt": "2023-11-14T23:00:00Z"},
      {"labels": {"alertname": "Done"}, "startsAt": "2023-11-14T21:00:00Z",
       "endsAt": "2023-11-14T22:00:00Z"},
      {"labels": {}},
      {"labels": {"alertname": "Backwards"}, "startsAt": "2023-11-14T22:00:00Z",
       "endsAt": "2023-11-14T21:00:00Z"}])");
  EXPECT_EQ(r.status, 400);
  std::string text = rendered();
  for (const char* line :
       {"alertmanager_alerts_invalid_total{version=\"v2\"} 2\n",
        "alertmanager_alerts_received_total{status=\"firing\",version=\"v2\"} 3\n",
        "alertmanager_alerts_received_total{status=\"resolved\",version=\"v2\"} 2\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
  EXPECT_EQ(alerts_.size(), 3u);
}

TEST_F(AlertmanagerApiTest, SilencesThroughTheApi) {
  ASSERT_EQ(Call(PostAlerts, "/api/v2/alerts", R"([{"labels": {"alertname": "Down"}}])").status,
            200);
  http::Response created = Call(PostSilences, "/api/v2/silences", R"({
      "matchers": [{"name": "alertname", "value": "Do.*", "isRegex": true, "isEqual": true}],
      "startsAt": "2023-11-14T22:00:00Z", "endsAt": "2023-11-15T00:00:00Z",
      "createdBy": "alice", "comment": "deploy"})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id = created.body.substr(14, 36);
  EXPECT_EQ(created.body, R"({"silenceID":")" + id + R"("})");

  http::Response one = Call(GetSilence, "/api/v2/silence/" + id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.body,
            R"({"id":")" + id +
                R"(","status":{"state":"active"},"updatedAt":"2023-11-14T22:13:20.000Z",)"
                R"("comment":"deploy","createdBy":"alice","endsAt":"2023-11-15T00:00:00.000Z",)"
                R"("matchers":[{"isEqual":true,"isRegex":true,"name":"alertname","value":"Do.*"}],)"
                R"("startsAt":"2023-11-14T22:13:20.000Z"})");

  http::Response alerts = Call(GetAlerts, "/api/v2/alerts");
  EXPECT_NE(alerts.body.find(R"("silencedBy":[")" + id + R"("],"state":"suppressed")"),
            std::string::npos)
      << alerts.body;
  EXPECT_EQ(Call(GetAlerts, "/api/v2/alerts", "", {{"silenced", "false"}}).body, "[]");
  EXPECT_EQ(Call(GetAlerts, "/api/v2/alerts", "", {{"silenced", "maybe"}}).status, 400);
  EXPECT_EQ(Call(GetAlerts, "/api/v2/alerts", "", {{"filter", R"(alertname="Up")"}}).body, "[]");

  // Silences are filtered on their matchers' patterns, as Alertmanager does.
  EXPECT_EQ(Call(GetSilences, "/api/v2/silences", "", {{"filter", R"(alertname="Down")"}}).body,
            "[]");
  EXPECT_NE(
      Call(GetSilences, "/api/v2/silences", "", {{"filter", R"(alertname="Do.*")"}}).body.find(id),
      std::string::npos);
  EXPECT_EQ(Call(GetSilences, "/api/v2/silences", "", {{"filter", "alertname"}}).status, 400);

  EXPECT_EQ(Call(DeleteSilence, "/api/v2/silence/" + id).status, 200);
  clock_.Advance(1ms);
  EXPECT_NE(Call(GetSilences, "/api/v2/silences").body.find(R"("state":"expired")"),
            std::string::npos);
  EXPECT_EQ(Call(DeleteSilence, "/api/v2/silence/nope").status, 404);
  EXPECT_EQ(Call(GetSilence, "/api/v2/silence/nope").status, 404);
}

TEST_F(AlertmanagerApiTest, BadSilencesAreRefused) {
  struct Case {
    std::string body;
    int status;
    std::string error;
  };
  const std::string matchers = R"("matchers": [{"name": "a", "value": "b", "isRegex": false}])";
  const Case cases[] = {
      {"{" + matchers +
           R"(, "startsAt": "2023-11-15T00:00:00Z", "endsAt": "2023-11-14T23:00:00Z"})",
       400, R"("Failed to create silence: start time must be before end time")"},
      {"{" + matchers +
           R"(, "startsAt": "2023-11-14T20:00:00Z", "endsAt": "2023-11-14T21:00:00Z"})",
       400, R"("Failed to create silence: end time can't be in the past")"},
      {R"({"matchers": [{"name": "a", "value": "", "isRegex": false}],
           "startsAt": "2023-11-14T22:00:00Z", "endsAt": "2023-11-15T00:00:00Z"})",
       400, R"("silence invalid: at least one matcher must not match the empty string")"},
      {"{" + matchers + R"(, "id": "nope", "startsAt": "2023-11-14T22:00:00Z",)" +
           R"("endsAt": "2023-11-15T00:00:00Z"})",
       404, R"("silence not found")"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    http::Response r = Call(PostSilences, "/api/v2/silences", c.body);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.body, c.error);
  }
}

TEST_F(AlertmanagerApiTest, StatusAndReceivers) {
  http::Response status = Call(GetStatus, "/api/v2/status");
  EXPECT_EQ(status.body,
            R"({"cluster":{"peers":[],"status":"disabled"},)"
            R"("config":{"original":"route:\n  receiver: team\n"},)"
            R"("uptime":"2023-11-14T22:13:19.000Z","versionInfo":{"branch":"","buildDate":"",)"
            R"("buildUser":"","goVersion":"","revision":"","version":"0.1.0"}})");
  EXPECT_EQ(Call(GetReceivers, "/api/v2/receivers").body, R"([{"name":"team"},{"name":"other"}])");
}

}  // namespace
}  // namespace argus::api
