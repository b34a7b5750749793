#include "cmd/dashboards_stage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace argus::cmd {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

http::Response Get(const http::Router& router, std::string path) {
  http::Request request;
  request.method = "GET";
  request.path = std::move(path);
  bool allowed = false;
  const http::Handler* handler = router.Find(request.method, request.path, &allowed);
  http::Response response;
  EXPECT_NE(handler, nullptr) << request.path;
  if (handler) (*handler)(request, &response);
  return response;
}

class DashboardsStageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("dashboards_stage_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    stage_.AddRoutes(router_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  std::filesystem::path dir_;
  DashboardsStage stage_;
  http::Router router_;
};

TEST_F(DashboardsStageTest, ListsBuiltInsAndFilesWithTheErrorsOfBadOnes) {
  Write("mine.yml", "title: Mine\ntags: [a]\n");
  Write("bad.yml", "title: Bad\nrows: [{panels: [{title: P, unit: furlongs}]}]\n");
  config::Config config;
  config.dashboards.paths = {(dir_ / "*.yml").string()};
  ASSERT_TRUE(stage_.CheckConfig(config).ok());
  ASSERT_TRUE(stage_.ApplyConfig(config).ok());

  http::Response list = Get(router_, "/api/v1/dashboards");
  EXPECT_EQ(list.status, 200);
  EXPECT_THAT(list.body, HasSubstr(R"({"status":"success","data":{"dashboards":[)"));
  EXPECT_THAT(list.body,
              HasSubstr(R"({"uid":"host","title":"Host","tags":["host","node-exporter"],)"
                        R"("source":"built-in"})"));
  EXPECT_THAT(list.body, HasSubstr(R"({"uid":"mine","title":"Mine","tags":["a"],"source":")" +
                                   (dir_ / "mine.yml").string() + "\"}"));
  EXPECT_THAT(list.body,
              HasSubstr(R"("errors":[{"file":")" + (dir_ / "bad.yml").string() +
                        R"(","line":2,"column":35,"message":"rows[0].panels[0].unit: unknown )"
                        R"(unit \"furlongs\""}]}})"));

  http::Response one = Get(router_, "/api/v1/dashboards/mine");
  EXPECT_EQ(one.status, 200);
  EXPECT_THAT(one.body, HasSubstr(R"({"status":"success","data":{"title":"Mine","uid":"mine",)"));

  // A reload reads the files again: the removed one is gone.
  std::filesystem::remove(dir_ / "mine.yml");
  ASSERT_TRUE(stage_.ApplyConfig(config).ok());
  EXPECT_EQ(Get(router_, "/api/v1/dashboards/mine").status, 404);
  EXPECT_THAT(Get(router_, "/api/v1/dashboards").body, Not(HasSubstr("Mine")));
}

TEST_F(DashboardsStageTest, AnUnknownUidIsAPrometheusStyle404) {
  ASSERT_TRUE(stage_.ApplyConfig(config::Config{}).ok());
  http::Response r = Get(router_, "/api/v1/dashboards/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(
      r.body,
      R"({"status":"error","errorType":"not_found","error":"no dashboard with uid \"nope\""})");
  EXPECT_THAT(Get(router_, "/api/v1/dashboards/containers").body,
              HasSubstr(R"("title":"Containers")"));
}

}  // namespace
}  // namespace argus::cmd
