#include "cmd/server_stages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "base/manual_timer_source.h"
#include "storage/memory_storage.h"
#include "tsdb/test_util.h"

namespace argus::cmd {
namespace {

using ::testing::HasSubstr;

// The answer of the API stage's /api/v1/query to `query` at `t_seconds`.
std::string Query(const http::Router& router, std::string query, std::string t_seconds) {
  http::Request request;
  request.method = "GET";
  request.path = "/api/v1/query";
  request.params = {{"query", std::move(query)}, {"time", std::move(t_seconds)}};
  bool allowed = false;
  const http::Handler* handler = router.Find(request.method, request.path, &allowed);
  EXPECT_NE(handler, nullptr);
  http::Response response;
  if (handler) (*handler)(request, &response);
  return response.body;
}

TEST(ApiStageTest, SubqueriesWithoutAStepTakeTheEvaluationIntervalOfTheAppliedConfig) {
  auto storage = storage::NewMemoryStorage();
  api::Sources sources;
  sources.storage = storage.get();
  ApiStage stage(std::move(sources), promql::EngineOptions{});
  http::Router router;
  stage.AddRoutes(router);

  // Steps at 3120, 3240, ... 3600: five in the ten minutes before 3600.
  config::Config config;
  config.global.evaluation_interval = std::chrono::minutes(2);
  ASSERT_TRUE(stage.ApplyConfig(config).ok());
  EXPECT_THAT(Query(router, "count_over_time(vector(1)[10m:])", "3600"), HasSubstr(R"("5"])"));

  config.global.evaluation_interval = std::chrono::minutes(1);
  ASSERT_TRUE(stage.ApplyConfig(config).ok());
  EXPECT_THAT(Query(router, "count_over_time(vector(1)[10m:])", "3600"), HasSubstr(R"("10"])"));
}

TEST(StorageStageTest, TheOutOfOrderWindowFollowsTheAppliedConfig) {
  ServerFlags flags;
  flags.storage_path = ::testing::TempDir() + "/storage_stage_test_" + std::to_string(getpid());
  std::filesystem::remove_all(flags.storage_path);
  MetricsRegistry registry;
  ManualClock clock;
  auto stage = StorageStage::Open(flags, registry, clock);
  ASSERT_TRUE(stage.ok()) << stage.status().message();
  tsdb::Db& db = (*stage)->db();
  auto append = [&db](int64_t t) {
    auto app = db.NewAppender();
    auto appended = app->Append(0, tsdb::testing::Series("late"), t, 1);
    if (!appended.ok()) return appended.status();
    return app->Commit();
  };
  ASSERT_TRUE(append(600'000).ok());
  EXPECT_EQ(append(300'000).code(), Status::Code::kOutOfOrder);

  config::Config config;
  config.storage.tsdb.out_of_order_time_window = std::chrono::minutes(10);
  ASSERT_TRUE((*stage)->ApplyConfig(config).ok());
  EXPECT_TRUE(append(300'000).ok());
  config.storage.tsdb.out_of_order_time_window = std::chrono::minutes(0);
  ASSERT_TRUE((*stage)->ApplyConfig(config).ok());
  EXPECT_EQ(append(400'000).code(), Status::Code::kOutOfOrder);
  EXPECT_EQ(tsdb::testing::ReadSeries(db, "late"),
            (tsdb::testing::Samples{{300'000, 1}, {600'000, 1}}));
  stage->reset();
  std::filesystem::remove_all(flags.storage_path);
}

TEST(RulesStageTest, ABadRuleFileIsRejectedAndTheRunningRulesStay) {
  auto dir = std::filesystem::path(::testing::TempDir()) /
             ("rules_stage_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "rules");
  std::ofstream(dir / "rules" / "a.yml")
      << "groups:\n- name: a\n  rules:\n  - record: r\n    expr: up\n";
  auto storage = storage::NewMemoryStorage();
  ManualClock clock;
  ManualTimerSource timers(clock);
  MetricsRegistry registry;
  std::vector<model::Alert> sent;
  RulesStage stage(timers, *storage, registry, promql::EngineOptions{}, "http://argus:9090",
                   [&sent](std::vector<model::Alert> alerts) {
                     sent.insert(sent.end(), alerts.begin(), alerts.end());
                   });
  config::Config config;
  config.rule_files = {(dir / "rules" / "*.yml").string(), (dir / "missing.yml").string()};
  ASSERT_TRUE(stage.CheckConfig(config).ok());
  ASSERT_TRUE(stage.ApplyConfig(config).ok());
  ASSERT_EQ(stage.manager().Groups().size(), 1u);
  EXPECT_EQ(stage.manager().Groups()[0].interval_ms, 60'000);  // global.evaluation_interval

  std::ofstream(dir / "rules" / "b.yml")
      << "groups:\n- name: b\n  rules:\n  - record: r\n    expr: up ==\n";
  Status checked = stage.CheckConfig(config);
  EXPECT_EQ(checked.code(), Status::Code::kInvalidInput);
  EXPECT_THAT(checked.message(), HasSubstr("b.yml: 5:11: group \"b\", rule 1, \"r\": could not "
                                           "parse expression"));
  EXPECT_FALSE(stage.ApplyConfig(config).ok());
  EXPECT_EQ(stage.manager().Groups().size(), 1u);

  std::ofstream(dir / "rules" / "b.yml")
      << "groups:\n- name: b\n  rules:\n  - alert: Always\n    expr: vector(1)\n";
  config.global.evaluation_interval = std::chrono::seconds(10);
  ASSERT_TRUE(stage.ApplyConfig(config).ok());
  ASSERT_EQ(stage.manager().Groups().size(), 2u);
  timers.Advance(std::chrono::seconds(20));
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent[0].labels, (model::Labels{{"alertname", "Always"}}));
  EXPECT_EQ(sent[0].generator_url, "http://argus:9090/graph?g0.expr=vector%281%29&g0.tab=1");
  stage.Stop();
  std::filesystem::remove_all(dir);
}

TEST(RulesStageTest, SubqueriesWithoutAStepTakeTheEvaluationIntervalOfTheAppliedConfig) {
  auto file = std::filesystem::path(::testing::TempDir()) /
              ("rules_stage_subquery_" + std::to_string(getpid()) + ".yml");
  std::ofstream(file) << "groups:\n- name: a\n  rules:\n  - alert: Steps\n"
                         "    expr: count_over_time(vector(1)[10m:])\n"
                         "    annotations: {steps: '{{ $value }}'}\n";
  auto storage = storage::NewMemoryStorage();
  ManualClock clock;
  ManualTimerSource timers(clock);
  MetricsRegistry registry;
  std::string steps;
  RulesStage stage(timers, *storage, registry, promql::EngineOptions{}, "http://argus:9090",
                   [&steps](std::vector<model::Alert> alerts) {
                     steps = std::string(alerts.back().annotations.Get("steps"));
                   });
  config::Config config;
  config.rule_files = {file.string()};
  config.global.evaluation_interval = std::chrono::minutes(2);
  ASSERT_TRUE(stage.ApplyConfig(config).ok());
  timers.Advance(std::chrono::minutes(2));
  EXPECT_EQ(steps, "5");

  config.global.evaluation_interval = std::chrono::minutes(1);
  ASSERT_TRUE(stage.ApplyConfig(config).ok());
  timers.Advance(std::chrono::minutes(2));
  EXPECT_EQ(steps, "10");
  stage.Stop();
  std::filesystem::remove(file);
}

// Events go to <data>/events/, reach the bus' subscribers, show on /metrics, and are deleted a
// whole segment at a time once past the storage's retention, by the stage's own timer.
TEST(EventsStageTest, RecordsPublishesAndDropsEventsPastRetention) {
  ServerFlags flags;
  flags.storage_path = ::testing::TempDir() + "/events_stage_test_" + std::to_string(getpid());
  flags.retention_ms = 3'600'000;
  std::filesystem::remove_all(flags.storage_path);
  MetricsRegistry registry;
  ManualClock clock;
  ManualTimerSource timers(clock);
  auto stage = EventsStage::Open(flags, registry, timers);
  ASSERT_TRUE(stage.ok()) << stage.status().message();
  ASSERT_TRUE((*stage)->ApplyConfig(config::Config{}).ok());
  ASSERT_TRUE((*stage)->ApplyConfig(config::Config{}).ok());  // A reload: one timer still.
  EXPECT_EQ(timers.armed(), 1u);

  std::vector<std::string> published;
  auto subscription =
      (*stage)->bus().Subscribe([&](const events::Event& e) { published.push_back(e.kind); });
  int64_t now = clock.NowMillis();
  ASSERT_TRUE((*stage)->recorder().Record({now, "deploy", {{"service", "api"}}, "", ""}).ok());
  EXPECT_EQ(published, std::vector<std::string>{"deploy"});
  EXPECT_TRUE(std::filesystem::is_directory(flags.storage_path + "/events"));
  std::string metrics;
  registry.Render(&metrics);
  EXPECT_THAT(metrics, HasSubstr("argus_events_total{kind=\"deploy\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("argus_events_store_size_bytes "));
  EXPECT_THAT(metrics, ::testing::Not(HasSubstr("argus_events_store_size_bytes 0\n")));

  // Seven hours on, the segment of that event is cut by the next one, then deleted by the timer.
  timers.Advance(std::chrono::hours(7));
  ASSERT_TRUE((*stage)->recorder().Record({clock.NowMillis(), "restart", {}, "", ""}).ok());
  timers.Advance(std::chrono::minutes(1));
  auto left = (*stage)->store().Query(INT64_MIN, INT64_MAX, {});
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].kind, "restart");

  (*stage)->Stop();
  EXPECT_EQ(timers.armed(), 0u);
  subscription.Cancel();  // The bus goes with the stage.
  stage->reset();
  std::filesystem::remove_all(flags.storage_path);
}

}  // namespace
}  // namespace argus::cmd
