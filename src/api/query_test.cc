#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

struct InstantCall {
  std::string query;
  int64_t t = 0;
  milliseconds timeout{0};
  promql::StatsLevel stats = promql::StatsLevel::kNone;
};

struct RangeCall {
  std::string query;
  int64_t start = 0, end = 0, step = 0;
  milliseconds timeout{0};
  promql::StatsLevel stats = promql::StatsLevel::kNone;
};

class QueryTest : public ApiTest {
 protected:
  QueryTest() {
    sources_.query_timeout = std::chrono::minutes(2);
    sources_.instant_query = [this](std::string_view q, int64_t t, milliseconds timeout,
                                    promql::StatsLevel stats) {
      instant_ = {std::string(q), t, timeout, stats};
      return result_;
    };
    sources_.range_query = [this](std::string_view q, int64_t start, int64_t end, int64_t step,
                                  milliseconds timeout, promql::StatsLevel stats) {
      range_ = {std::string(q), start, end, step, timeout, stats};
      return result_;
    };
  }

  Result<promql::QueryResult> result_ = promql::QueryResult{promql::Scalar{1000, 1}, {}, {}, {}};
  InstantCall instant_;
  RangeCall range_;
};

TEST_F(QueryTest, InstantQueriesDefaultToNowAndTheServersTimeout) {
  auto r = Get("/api/v1/query?query=up");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"scalar","result":[1,"1"]}})");
  EXPECT_EQ(instant_.query, "up");
  EXPECT_EQ(instant_.t, NowMs());
  EXPECT_EQ(instant_.timeout, std::chrono::minutes(2));
}

TEST_F(QueryTest, TheTimeoutParameterShortensButNeverExtends) {
  Get("/api/v1/query?query=up&time=10&timeout=5s");
  EXPECT_EQ(instant_.t, 10000);
  EXPECT_EQ(instant_.timeout, milliseconds(5000));
  Get("/api/v1/query?query=up&timeout=1h");
  EXPECT_EQ(instant_.timeout, std::chrono::minutes(2));
  EXPECT_EQ(
      Get("/api/v1/query?query=up&timeout=soon").body,
      ErrorBody("bad_data",
                R"(invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration)"));
}

TEST_F(QueryTest, FormPostsAreQueriesToo) {
  auto r = Post("/api/v1/query", "query=sum(rate(x%5B5m%5D))&time=2015-07-01T20:10:51.781Z");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(instant_.query, "sum(rate(x[5m]))");
  EXPECT_EQ(instant_.t, 1435781451781);
}

TEST_F(QueryTest, VectorsAndStringsHaveTheirShapes) {
  result_ = promql::QueryResult{
      promql::Vector{{model::Labels{{"__name__", "up"}, {"job", "a"}}, 1435781451781, 0.5},
                     {model::Labels{{"job", "b"}}, 1435781451781, NAN}},
      {"warning one"},
      {"info one"},
      {}};
  EXPECT_EQ(Get("/api/v1/query?query=up").body,
            R"({"status":"success","data":{"resultType":"vector","result":[)"
            R"({"metric":{"__name__":"up","job":"a"},"value":[1435781451.781,"0.5"]},)"
            R"({"metric":{"job":"b"},"value":[1435781451.781,"NaN"]}]},)"
            R"("warnings":["warning one"],"infos":["info one"]})");
  result_ = promql::QueryResult{promql::String{2000, "a \"b\""}, {}, {}, {}};
  EXPECT_EQ(Get("/api/v1/query?query=x").body,
            R"({"status":"success","data":{"resultType":"string","result":[2,"a \"b\""]}})");
  result_ = promql::QueryResult{promql::Vector{}, {}, {}, {}};
  EXPECT_EQ(Get("/api/v1/query?query=x").body,
            R"({"status":"success","data":{"resultType":"vector","result":[]}})");
}

TEST_F(QueryTest, LimitTruncatesSeriesWithAWarning) {
  promql::Vector v;
  for (int i = 0; i < 3; ++i) v.push_back({model::Labels{{"i", std::to_string(i)}}, 0, 1});
  result_ = promql::QueryResult{v, {}, {}, {}};
  auto body = Get("/api/v1/query?query=x&limit=2").body;
  EXPECT_THAT(body, HasSubstr(R"("i":"1")"));
  EXPECT_THAT(body, Not(HasSubstr(R"("i":"2")")));
  EXPECT_THAT(body, HasSubstr(R"("warnings":["results truncated due to limit"])"));
  EXPECT_THAT(Get("/api/v1/query?query=x&limit=3").body, Not(HasSubstr("warnings")));
  EXPECT_EQ(Get("/api/v1/query?query=x&limit=-1").status, 400);
}

TEST_F(QueryTest, EngineErrorsMapOntoErrorTypesAndCodes) {
  result_ = Status::Error("1:3: parse error: unexpected end of input", Status::Code::kInvalidInput);
  auto r = Get("/api/v1/query?query=up{");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, ErrorBody("bad_data",
                              R"(invalid parameter \"query\": 1:3: parse error: unexpected end )"
                              "of input"));
  result_ = Status::Error("query timed out in expression evaluation", Status::Code::kTimeout);
  r = Get("/api/v1/query?query=up");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, ErrorBody("timeout", "query timed out in expression evaluation"));
  result_ = Status::Error("query processing would load too many samples into memory",
                          Status::Code::kLimitExceeded);
  r = Get("/api/v1/query_range?query=up&start=0&end=10&step=1");
  EXPECT_EQ(r.status, 422);
  EXPECT_THAT(r.body, HasSubstr(R"("errorType":"execution")"));
}

TEST_F(QueryTest, BadTimesAreBadData) {
  auto r = Get("/api/v1/query?query=up&time=yesterday");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            ErrorBody("bad_data", R"(invalid parameter \"time\": invalid time value for 'time': )"
                                  R"(cannot parse \"yesterday\" to a valid timestamp)"));
}

TEST_F(QueryTest, RangeQueriesPassStartEndAndStep) {
  result_ = promql::QueryResult{
      promql::Matrix{{model::Labels{{"__name__", "up"}}, {{1000, 1}, {16000, 0}}}}, {}, {}, {}};
  auto r = Get(
      "/api/v1/query_range?query=up&start=1435781430.781&end=2015-07-01T20:11:00.781Z&step=15s");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"matrix","result":[)"
                    R"({"metric":{"__name__":"up"},"values":[[1,"1"],[16,"0"]]}]}})");
  EXPECT_EQ(range_.start, 1435781430781);
  EXPECT_EQ(range_.end, 1435781460781);
  EXPECT_EQ(range_.step, 15000);
  Get("/api/v1/query_range?query=up&start=1&end=2&step=0.25");
  EXPECT_EQ(range_.step, 250);
}

TEST_F(QueryTest, RangeParametersAreCheckedInPrometheusOrder) {
  auto error = [&](const std::string& params) {
    auto r = Get("/api/v1/query_range?query=up&" + params);
    EXPECT_EQ(r.status, 400) << params;
    return r.body;
  };
  EXPECT_EQ(error("end=1&step=1"),
            ErrorBody("bad_data",
                      R"(invalid parameter \"start\": cannot parse \"\" to a valid timestamp)"));
  EXPECT_EQ(error("start=1&end=x&step=1"),
            ErrorBody("bad_data",
                      R"(invalid parameter \"end\": cannot parse \"x\" to a valid timestamp)"));
  EXPECT_EQ(error("start=2&end=1&step=1"),
            ErrorBody("bad_data",
                      R"(invalid parameter \"end\": end timestamp must not be before start time)"));
  EXPECT_EQ(error("start=1&end=2"),
            ErrorBody("bad_data",
                      R"(invalid parameter \"step\": cannot parse \"\" to a valid duration)"));
  EXPECT_EQ(
      error("start=1&end=2&step=-1"),
      ErrorBody("bad_data", R"(invalid parameter \"step\": zero or negative query resolution step )"
                            "widths are not accepted. Try a positive integer"));
  EXPECT_EQ(error("start=0&end=11001&step=1"),
            ErrorBody("bad_data",
                      "exceeded maximum resolution of 11,000 points per timeseries. Try "
                      "decreasing the query resolution (?step=XX)"));
  EXPECT_EQ(Get("/api/v1/query_range?query=up&start=0&end=11000&step=1").status, 200);
}

TEST_F(QueryTest, TheStatsParameterAsksForStatisticsAsPrometheusReadsIt) {
  Get("/api/v1/query?query=up");
  EXPECT_EQ(instant_.stats, promql::StatsLevel::kNone);
  Get("/api/v1/query?query=up&stats=true");
  EXPECT_EQ(instant_.stats, promql::StatsLevel::kTotals);
  Post("/api/v1/query", "query=up&stats=all");
  EXPECT_EQ(instant_.stats, promql::StatsLevel::kPerStep);
  Get("/api/v1/query_range?query=up&start=1&end=2&step=1&stats=all");
  EXPECT_EQ(range_.stats, promql::StatsLevel::kPerStep);
  Get("/api/v1/query_range?query=up&start=1&end=2&step=1&stats=1");
  EXPECT_EQ(range_.stats, promql::StatsLevel::kTotals);
}

TEST_F(QueryTest, StatsAreWrittenInPrometheusShapeOnlyWhenTheEngineGaveThem) {
  promql::QueryStats stats;
  stats.eval_total_seconds = 0.000305852;
  stats.result_sort_seconds = 6.3e-07;
  stats.query_preparation_seconds = 0.25;
  stats.inner_eval_seconds = 1.5;
  stats.exec_queue_seconds = 0;
  stats.exec_total_seconds = 2;
  stats.total_queryable_samples = 7;
  stats.peak_samples = 3;
  result_ = promql::QueryResult{
      promql::Matrix{{model::Labels{{"__name__", "up"}}, {{1000, 1}}}}, {}, {}, stats};
  const std::string timings =
      R"({"timings":{"evalTotalTime":0.000305852,"resultSortTime":6.3e-7,)"
      R"("queryPreparationTime":0.25,"innerEvalTime":1.5,"execQueueTime":0,"execTotalTime":2},)";
  EXPECT_EQ(Get("/api/v1/query_range?query=up&start=1&end=2&step=1&stats=1").body,
            R"({"status":"success","data":{"resultType":"matrix","result":[)"
            R"({"metric":{"__name__":"up"},"values":[[1,"1"]]}],"stats":)" +
                timings + R"("samples":{"totalQueryableSamples":7,"peakSamples":3}}}})");

  stats.samples_per_step = {2, 0, 5};
  stats.start_ms = 1796678763500;
  stats.step_ms = 1000;
  result_->stats = stats;
  EXPECT_THAT(Get("/api/v1/query_range?query=up&start=1&end=2&step=1&stats=all").body,
              HasSubstr(timings + R"("samples":{"totalQueryableSamplesPerStep":)"
                                  R"([[1796678763.5,2],[1796678764.5,0],[1796678765.5,5]],)"
                                  R"("totalQueryableSamples":7,"peakSamples":3}}}})"));

  result_->stats.reset();
  EXPECT_THAT(Get("/api/v1/query_range?query=up&start=1&end=2&step=1").body,
              Not(HasSubstr("stats")));
}

TEST_F(QueryTest, WithoutAnEngineQueriesAreUnavailable) {
  sources_.instant_query = nullptr;
  auto r = Get("/api/v1/query?query=up");
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr(R"("errorType":"unavailable")"));
}

TEST_F(QueryTest, FormatsAndParsesQueries) {
  auto r = Get("/api/v1/format_query?query=sum(rate(x%5B5m%5D))by(job)");
  EXPECT_EQ(r.body, R"j({"status":"success","data":"sum by (job) (rate(x[5m]))"})j");
  r = Get("/api/v1/parse_query?query=up");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr(R"("type":"vectorSelector")"));
  EXPECT_THAT(r.body, HasSubstr(R"("name":"up")"));
  r = Post("/api/v1/format_query", "query=1%2B");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr(R"("error":"invalid parameter \"query\": 1:)"));
}

}  // namespace
}  // namespace argus::api
