#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using ExemplarsTest = ApiTest;

TEST_F(ExemplarsTest, AQueryWithSelectorsFindsNoExemplarsWhereNoneAreStored) {
  Append({{"__name__", "up"}, {"job", "api"}}, NowMs(), 1);
  const std::string empty = R"({"status":"success","data":[]})";
  for (const char* target :
       {"/api/v1/query_exemplars?query=up", "/api/v1/query_exemplars?query=rate(up%5B5m%5D)%2Bb",
        "/api/v1/query_exemplars?query=up&start=10&end=20"}) {
    auto r = Get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.content_type, "application/json") << target;
    EXPECT_EQ(r.body, empty) << target;
  }
  EXPECT_EQ(Post("/api/v1/query_exemplars", "query=up&start=1&end=2").body, empty);
}

TEST_F(ExemplarsTest, AQueryWithoutSelectorsHasNoContent) {
  auto r = Get("/api/v1/query_exemplars?query=1%2B1");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
}

TEST_F(ExemplarsTest, RejectsBadTimesAndQueriesAsPrometheusDoes) {
  auto r = Get("/api/v1/query_exemplars?query=up&start=x");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            ErrorBody("bad_data", R"(invalid parameter \"start\": invalid time value )"
                                  R"(for 'start': cannot parse \"x\" to a valid timestamp)"));
  r = Get("/api/v1/query_exemplars?query=up&end=soon");
  EXPECT_EQ(r.body,
            ErrorBody("bad_data", R"(invalid parameter \"end\": invalid time value )"
                                  R"(for 'end': cannot parse \"soon\" to a valid timestamp)"));
  r = Get("/api/v1/query_exemplars?query=up&start=10&end=5");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, ErrorBody("bad_data", "end timestamp must not be before start timestamp"));
  // A parse error is reported as it is, not as a bad parameter.
  r = Get("/api/v1/query_exemplars?query=up%7B");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            ErrorBody("bad_data", "1:4: parse error: unexpected end of input inside braces"));
  r = Get("/api/v1/query_exemplars");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, ::testing::HasSubstr(R"("errorType":"bad_data","error":"1:1: parse error)"));
}

}  // namespace
}  // namespace argus::api
