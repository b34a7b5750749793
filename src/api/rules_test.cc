#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using ::testing::HasSubstr;

class RulesApiTest : public ApiTest {
 protected:
  RulesApiTest() {
    rules::RuleStatus alerting;
    alerting.alerting = true;
    alerting.name = "Down";
    alerting.query = "up == 0";
    alerting.labels = {{"severity", "page"}};
    alerting.annotations = {{"summary", "down"}};
    alerting.for_ms = 300'000;
    alerting.state = rules::AlertState::kFiring;
    alerting.health = rules::RuleHealth::kOk;
    alerting.evaluation_seconds = 0.25;
    alerting.last_evaluation_ms = 1'700'000'000'500;
    alerting.alerts.push_back({.labels = {{"alertname", "Down"}, {"severity", "page"}},
                               .annotations = {{"summary", "down"}},
                               .state = rules::AlertState::kFiring,
                               .active_at_ms = 1'700'000'000'000,
                               .value = 0});
    rules::RuleStatus recording;
    recording.name = "job:up";
    recording.query = "sum by (job) (up)";
    recording.health = rules::RuleHealth::kBad;
    recording.last_error = "query timed out";
    groups_.push_back({.name = "g",
                       .file = "/etc/rules.yml",
                       .interval_ms = 15'000,
                       .limit = 0,
                       .rules = {alerting, recording},
                       .evaluation_seconds = 0.5,
                       .last_evaluation_ms = 1'700'000'000'500});
    groups_.push_back({.name = "other", .file = "/etc/other.yml", .interval_ms = 60'000});
    sources_.rule_groups = [this] { return groups_; };
  }
  std::vector<rules::GroupStatus> groups_;
};

constexpr char kAlertingRule[] =
    R"({"state":"firing","name":"Down","query":"up == 0","duration":300,"keepFiringFor":0,)"
    R"("labels":{"severity":"page"},"annotations":{"summary":"down"},"alerts":[)"
    R"({"labels":{"alertname":"Down","severity":"page"},"annotations":{"summary":"down"},)"
    R"("state":"firing","activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}],)"
    R"("health":"ok","evaluationTime":0.25,"lastEvaluation":"2023-11-14T22:13:20.5Z",)"
    R"("type":"alerting"})";
constexpr char kRecordingRule[] =
    R"json({"name":"job:up","query":"sum by (job) (up)","health":"err",)json"
    R"("lastError":"query timed out","evaluationTime":0,)"
    R"("lastEvaluation":"0001-01-01T00:00:00Z","type":"recording"})";

TEST_F(RulesApiTest, RulesInPrometheusShape) {
  EXPECT_EQ(Get("/api/v1/rules").body,
            std::string(R"({"status":"success","data":{"groups":[{"name":"g",)"
                        R"("file":"/etc/rules.yml","rules":[)") +
                kAlertingRule + "," + kRecordingRule +
                R"(],"interval":15,"limit":0,"evaluationTime":0.5,)"
                R"("lastEvaluation":"2023-11-14T22:13:20.5Z"},{"name":"other",)"
                R"("file":"/etc/other.yml","rules":[],"interval":60,"limit":0,)"
                R"("evaluationTime":0,"lastEvaluation":"0001-01-01T00:00:00Z"}]}})");
}

TEST_F(RulesApiTest, RulesFilteredByType) {
  std::string alerts = Get("/api/v1/rules?type=ALERT").body;
  EXPECT_THAT(alerts, HasSubstr(kAlertingRule));
  EXPECT_THAT(alerts, Not(HasSubstr("job:up")));
  EXPECT_THAT(alerts, HasSubstr(R"("name":"other")"));  // 2.42 keeps groups left empty.
  std::string records = Get("/api/v1/rules?type=record").body;
  EXPECT_THAT(records, HasSubstr(kRecordingRule));
  EXPECT_THAT(records, Not(HasSubstr("Down")));
  http::Response bad = Get("/api/v1/rules?type=both");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr(R"(invalid parameter \"type\": not supported value \"both\")"));
}

TEST_F(RulesApiTest, RulesFilteredByNameGroupAndFile) {
  std::string by_name = Get("/api/v1/rules?rule_name[]=job:up").body;
  EXPECT_THAT(by_name, HasSubstr(kRecordingRule));
  EXPECT_THAT(by_name, Not(HasSubstr("Down")));
  EXPECT_THAT(by_name, Not(HasSubstr("other")));
  EXPECT_THAT(Get("/api/v1/rules?rule_group[]=g&file[]=/etc/other.yml").body,
              HasSubstr(R"({"groups":[]})"));
  EXPECT_THAT(Get("/api/v1/rules?file[]=/etc/rules.yml").body, HasSubstr(kAlertingRule));
}

TEST_F(RulesApiTest, AlertsListsPendingAndFiringAlerts) {
  EXPECT_EQ(Get("/api/v1/alerts").body,
            R"({"status":"success","data":{"alerts":[{"labels":{"alertname":"Down",)"
            R"("severity":"page"},"annotations":{"summary":"down"},"state":"firing",)"
            R"("activeAt":"2023-11-14T22:13:20Z","value":"0e+00"}]}})");
}

TEST_F(RulesApiTest, WithoutRulesTheEndpointsAreUnavailable) {
  sources_.rule_groups = nullptr;
  EXPECT_EQ(Get("/api/v1/rules").status, 503);
  EXPECT_EQ(Get("/api/v1/alerts").status, 503);
}

}  // namespace
}  // namespace argus::api
