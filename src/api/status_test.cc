#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST_F(ApiTest, BuildInfoIsTheBuildsUnderPrometheusKeys) {
  sources_.build = {"1.2.3",        "0123abc",     "main", "ci@builder", "20261207-21:04:05",
                    "Clang 14.0.6", "linux/x86_64"};
  auto r = Get("/api/v1/status/buildinfo");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"success","data":{"version":"1.2.3","revision":"0123abc",)"
                    R"("branch":"main","buildUser":"ci@builder","buildDate":"20261207-21:04:05",)"
                    R"("goVersion":"Clang 14.0.6"}})");
}

TEST_F(ApiTest, StatusWithoutItsSourceIsUnavailable) {
  for (const char* path : {"/api/v1/status/config", "/api/v1/status/runtimeinfo",
                           "/api/v1/status/tsdb", "/api/v1/targets", "/api/v1/metadata"}) {
    EXPECT_EQ(Get(path).status, 503) << path;
  }
}

TEST_F(ApiTest, ConfigIsTheLoadedText) {
  auto loaded = std::make_shared<LoadedConfig>();
  loaded->yaml = "global:\n  scrape_interval: 15s\n";
  sources_.config = [loaded] { return loaded; };
  EXPECT_EQ(Get("/api/v1/status/config").body,
            R"({"status":"success","data":{"yaml":"global:\n  scrape_interval: 15s\n"}})");
}

// What the configuration sets that Argus does not act on yet comes with it, in the envelope.
TEST_F(ApiTest, ConfigCarriesTheConfigurationsWarnings) {
  auto loaded = std::make_shared<LoadedConfig>();
  loaded->yaml = "tracing: {endpoint: 'a:4317'}\n";
  auto parsed = config::Parse(loaded->yaml, "p.yml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  loaded->config = *parsed;
  sources_.config = [loaded] { return loaded; };
  EXPECT_EQ(Get("/api/v1/status/config").body,
            R"({"status":"success","data":{"yaml":"tracing: {endpoint: 'a:4317'}\n"},"warnings":[)"
            R"("p.yml:1:1: tracing: accepted, but this version of Argus does not act on it )"
            R"(yet"]})");
}

TEST_F(ApiTest, FlagsAreAnObjectOfStrings) {
  sources_.flags = {{"web.listen-address", "127.0.0.1:9090"}, {"query.timeout", "2m"}};
  EXPECT_EQ(Get("/api/v1/status/flags").body, R"({"status":"success","data":{"query.timeout":"2m",)"
                                              R"("web.listen-address":"127.0.0.1:9090"}})");
}

TEST_F(ApiTest, RuntimeInfoReportsTheServersState) {
  sources_.runtime_info = [] {
    return RuntimeInfo{1435781451781, "/srv", true, 1435781452000, 0, "15d"};
  };
  auto body = Get("/api/v1/status/runtimeinfo").body;
  EXPECT_THAT(body, HasSubstr(R"("startTime":"2015-07-01T20:10:51.781Z","CWD":"/srv",)"
                              R"("reloadConfigSuccess":true,"lastConfigTime":)"
                              R"("2015-07-01T20:10:52Z","corruptionCount":0,)"));
  EXPECT_THAT(body, MatchesRegex(R"(.*"goroutineCount":[1-9][0-9]*,"GOMAXPROCS":[1-9].*)"));
  EXPECT_THAT(body, HasSubstr(R"("storageRetention":"15d"})"));
}

TEST_F(ApiTest, TsdbStatusCountsSeriesLabelsAndValues) {
  sources_.tsdb_stats = [](size_t limit) -> Result<TsdbStats> {
    TsdbStats stats;
    stats.head = {3, 0, 0, 1000, 3000};
    LabelPairCounts pairs;
    pairs["__name__"] = {{"up", 2}, {"x", 1}};
    pairs["job"] = {{"api", 2}, {"db", 1}};
    FillCardinality(pairs, limit, &stats);
    return stats;
  };
  EXPECT_EQ(Get("/api/v1/status/tsdb").body,
            R"({"status":"success","data":{"headStats":{"numSeries":3,"numLabelPairs":4,)"
            R"("chunkCount":0,"minTime":1000,"maxTime":3000},"seriesCountByMetricName":[)"
            R"({"name":"up","value":2},{"name":"x","value":1}],"labelValueCountByLabelName":[)"
            R"({"name":"__name__","value":2},{"name":"job","value":2}],)"
            R"("memoryInBytesByLabelName":[{"name":"job","value":5},{"name":"__name__",)"
            R"("value":3}],"seriesCountByLabelValuePair":[{"name":"__name__=up","value":2},)"
            R"({"name":"job=api","value":2},{"name":"__name__=x","value":1},)"
            R"({"name":"job=db","value":1}]}})");
  EXPECT_THAT(Get("/api/v1/status/tsdb?limit=1").body,
              HasSubstr(R"("seriesCountByMetricName":[{"name":"up","value":2}],)"));
  EXPECT_EQ(Get("/api/v1/status/tsdb?limit=0").body,
            ErrorBody("bad_data", "limit must be a positive number"));
}

}  // namespace
}  // namespace argus::api
