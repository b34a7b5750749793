#include "cmd/server_stages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "storage/memory_storage.h"

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

}  // namespace
}  // namespace argus::cmd
