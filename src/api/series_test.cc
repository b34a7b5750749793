#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using ::testing::HasSubstr;

class SeriesTest : public ApiTest {
 protected:
  SeriesTest() {
    Append({{"__name__", "up"}, {"job", "api"}, {"instance", "a:1"}}, 1000, 1);
    Append({{"__name__", "up"}, {"job", "db"}, {"instance", "b:1"}}, 5000, 0);
    Append({{"__name__", "http_requests_total"}, {"job", "api"}, {"code", "200"}}, 9000, 7);
  }
};

TEST_F(SeriesTest, SeriesOfSeveralSelectorsAreMergedSortedAndUnique) {
  auto r = Get("/api/v1/series?match[]=up&match[]=%7Bjob%3D%22api%22%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"success","data":[)"
                    R"({"__name__":"http_requests_total","code":"200","job":"api"},)"
                    R"({"__name__":"up","instance":"a:1","job":"api"},)"
                    R"({"__name__":"up","instance":"b:1","job":"db"}]})");
}

TEST_F(SeriesTest, SeriesAreLimitedToTheirTimeRange) {
  EXPECT_EQ(Get("/api/v1/series?match[]=up&start=2&end=6").body,
            R"({"status":"success","data":[{"__name__":"up","instance":"b:1","job":"db"}]})");
  EXPECT_EQ(Get("/api/v1/series?match[]=nothing").body, R"({"status":"success","data":[]})");
}

TEST_F(SeriesTest, SeriesLimitKeepsTheFirstAndWarns) {
  EXPECT_EQ(Get("/api/v1/series?match[]=up&limit=1").body,
            R"({"status":"success","data":[{"__name__":"up","instance":"a:1","job":"api"}],)"
            R"("warnings":["results truncated due to limit"]})");
  EXPECT_THAT(Get("/api/v1/series?match[]=up&limit=2").body, Not(HasSubstr("warnings")));
}

TEST_F(SeriesTest, SeriesRejectsMissingAndUnselectiveMatchers) {
  auto r = Get("/api/v1/series");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, ErrorBody("bad_data", "no match[] parameter provided"));
  r = Get("/api/v1/series?match[]=%7Bjob%3D~%22.*%22%7D");
  EXPECT_EQ(r.body,
            ErrorBody("bad_data", R"(invalid parameter \"match[]\": match[] must contain at least )"
                                  "one non-empty matcher"));
  r = Get("/api/v1/series?match[]=up%7B");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr(R"(invalid parameter \"match[]\": 1:)"));
  r = Get("/api/v1/series?match[]=up&start=x");
  EXPECT_EQ(r.body,
            ErrorBody("bad_data", R"(invalid parameter \"start\": invalid time value for 'start': )"
                                  R"(cannot parse \"x\" to a valid timestamp)"));
}

TEST_F(SeriesTest, SeriesAcceptsFormPosts) {
  auto r = Post("/api/v1/series", "match%5B%5D=http_requests_total");
  EXPECT_EQ(r.body, R"({"status":"success","data":[)"
                    R"({"__name__":"http_requests_total","code":"200","job":"api"}]})");
}

TEST_F(SeriesTest, LabelNamesOfAllOrOfMatchedSeries) {
  EXPECT_EQ(Get("/api/v1/labels").body,
            R"({"status":"success","data":["__name__","code","instance","job"]})");
  EXPECT_EQ(Get("/api/v1/labels?match[]=up&match[]=nothing").body,
            R"({"status":"success","data":["__name__","instance","job"]})");
  EXPECT_EQ(Get("/api/v1/labels?limit=2").body,
            R"({"status":"success","data":["__name__","code"],)"
            R"("warnings":["results truncated due to limit"]})");
  EXPECT_EQ(Post("/api/v1/labels", "match[]=nothing").body, R"({"status":"success","data":[]})");
}

TEST_F(SeriesTest, LabelValuesOfAllOrOfMatchedSeries) {
  EXPECT_EQ(Get("/api/v1/label/job/values").body, R"({"status":"success","data":["api","db"]})");
  EXPECT_EQ(Get("/api/v1/label/__name__/values").body,
            R"({"status":"success","data":["http_requests_total","up"]})");
  EXPECT_EQ(Get("/api/v1/label/instance/values?match[]=up%7Bjob%3D%22db%22%7D").body,
            R"({"status":"success","data":["b:1"]})");
  EXPECT_EQ(Get("/api/v1/label/job/values?limit=1").body,
            R"({"status":"success","data":["api"],"warnings":["results truncated due to limit"]})");
  EXPECT_EQ(Get("/api/v1/label/missing/values").body, R"({"status":"success","data":[]})");
}

TEST_F(SeriesTest, LabelValuesRejectsInvalidNamesAndUnknownPaths) {
  auto r = Get("/api/v1/label/1bad/values");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, ErrorBody("bad_data", R"(invalid label name: \"1bad\")"));
  EXPECT_EQ(Get("/api/v1/label/job").status, 404);
  EXPECT_EQ(Get("/api/v1/label/job/values?end=x").status, 400);
}

}  // namespace
}  // namespace argus::api
