#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using RoutesTest = ApiTest;

// Prometheus answers a plain-text page; a JSON client gets the API's error shape instead.
TEST_F(RoutesTest, AnUnknownApiPathIsAJsonNotFound) {
  for (std::string path : {"/api/v1/nope", "/api/v1/", "/api/v1/label", "/api/v1/status/nope"}) {
    auto r = Get(path + "?query=up");
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/json") << path;
    EXPECT_EQ(r.body, ErrorBody("not_found", "unknown API endpoint \\\"" + path + "\\\"")) << path;
  }
  EXPECT_EQ(Post("/api/v1/nope", "").status, 404);
}

TEST_F(RoutesTest, AKnownPathWithAnotherMethodIsNotDiverted) {
  // Left to the server's plain-text 405, as Prometheus answers it.
  EXPECT_EQ(Post("/api/v1/targets", "").status, 405);
}

}  // namespace
}  // namespace argus::api
