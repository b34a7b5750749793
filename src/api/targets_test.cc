#include <gmock/gmock.h>

#include "api/api_test_util.h"

namespace argus::api {
namespace {

using model::MetricType;
using ::testing::HasSubstr;

scrape::TargetStatus Target(const std::string& address, scrape::Health health) {
  scrape::TargetStatus t;
  t.labels = model::Labels{{"__address__", address},
                           {"__metrics_path__", "/metrics"},
                           {"__scheme__", "http"},
                           {"__scrape_interval__", "15s"},
                           {"__scrape_timeout__", "10s"},
                           {"instance", address},
                           {"job", "node"}};
  t.discovered = model::Labels{{"__address__", address}, {"__meta_x", "y"}, {"job", "node"}};
  t.url = "http://" + address + "/metrics";
  t.health = health;
  t.interval = std::chrono::seconds(15);
  t.timeout = std::chrono::seconds(10);
  return t;
}

class TargetsTest : public ApiTest {
 protected:
  TargetsTest() {
    sources_.global_url = {"0.0.0.0:9090", "https", "argus.example:443"};
    sources_.targets = [this] { return jobs_; };
    sources_.metadata = [this] { return metadata_; };
    scrape::TargetStatus up = Target("10.0.0.1:9100", scrape::Health::kUp);
    up.last_scrape_ms = 1435781451781;
    up.last_duration_seconds = 0.050688943;
    scrape::TargetStatus down = Target("localhost:9100", scrape::Health::kDown);
    down.last_error = "connection refused";
    down.last_scrape_ms = 1435781451000;
    scrape::TargetStatus dropped;
    dropped.discovered = model::Labels{{"__address__", "10.0.0.9:80"}, {"job", "node"}};
    jobs_ = {{"node", {up, down}, {dropped}},
             {"self", {Target("127.0.0.1:9090", scrape::Health::kUnknown)}, {}}};
    metadata_ = {
        {"node",
         {{"instance", "10.0.0.1:9100"}, {"job", "node"}},
         {{"node_cpu_seconds_total", MetricType::kCounter, "Seconds the CPUs spent.", ""},
          {"node_load1", MetricType::kGauge, "1m load average.", ""}}},
        {"node",
         {{"instance", "localhost:9100"}, {"job", "node"}},
         {{"node_load1", MetricType::kGauge, "1m load average.", ""}}},
        {"self",
         {{"instance", "127.0.0.1:9090"}, {"job", "self"}},
         {{"node_load1", MetricType::kGauge, "Load.", "ratio"}}},
    };
  }

  std::vector<scrape::JobTargets> jobs_;
  std::vector<scrape::TargetMetadata> metadata_;
};

TEST_F(TargetsTest, ActiveTargetsHaveEveryFieldPrometheusWrites) {
  auto r = Get("/api/v1/targets?state=active&scrapePool=node");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"status":"success","data":{"activeTargets":[{"discoveredLabels":{"__address__":)"
      R"("10.0.0.1:9100","__meta_x":"y","job":"node"},"labels":{"instance":"10.0.0.1:9100",)"
      R"("job":"node"},"scrapePool":"node","scrapeUrl":"http://10.0.0.1:9100/metrics",)"
      R"("globalUrl":"http://10.0.0.1:9100/metrics","lastError":"","lastScrape":)"
      R"("2015-07-01T20:10:51.781Z","lastScrapeDuration":0.050688943,"health":"up",)"
      R"("scrapeInterval":"15s","scrapeTimeout":"10s"},{"discoveredLabels":{"__address__":)"
      R"("localhost:9100","__meta_x":"y","job":"node"},"labels":{"instance":"localhost:9100",)"
      R"("job":"node"},"scrapePool":"node","scrapeUrl":"http://localhost:9100/metrics",)"
      R"("globalUrl":"http://argus.example:9100/metrics","lastError":"connection refused",)"
      R"("lastScrape":"2015-07-01T20:10:51Z","lastScrapeDuration":0,"health":"down",)"
      R"("scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[],)"
      R"("droppedTargetCounts":{"node":1}}})");
}

TEST_F(TargetsTest, OurOwnTargetIsReachedAtTheExternalUrl) {
  auto body = Get("/api/v1/targets?scrapePool=self").body;
  EXPECT_THAT(body, HasSubstr(R"("globalUrl":"https://argus.example:443/metrics")"));
  EXPECT_THAT(body, HasSubstr(R"("lastScrape":"0001-01-01T00:00:00Z")"));
  EXPECT_THAT(body, HasSubstr(R"("health":"unknown")"));
}

// A collector's target reads files: its URL is no HTTP one to rewrite into the external URL.
TEST_F(TargetsTest, ACollectorIsListedWithItsFileUrl) {
  scrape::TargetStatus host;
  host.labels = model::Labels{{"instance", "host-1"}, {"job", "host"}};
  host.discovered = host.labels;
  host.url = "file:///proc";
  host.health = scrape::Health::kDown;
  host.last_error = "nothing could be read from the proc file system at \"/proc\"";
  host.last_scrape_ms = 1435781451781;
  host.last_duration_seconds = 0.25;
  host.interval = host.timeout = std::chrono::seconds(15);
  jobs_.insert(jobs_.begin(), {"host", {host}, {}});
  EXPECT_EQ(
      Get("/api/v1/targets?scrapePool=host").body,
      R"({"status":"success","data":{"activeTargets":[{"discoveredLabels":{"instance":"host-1",)"
      R"("job":"host"},"labels":{"instance":"host-1","job":"host"},"scrapePool":"host",)"
      R"("scrapeUrl":"file:///proc","globalUrl":"file:///proc","lastError":"nothing could be )"
      R"(read from the proc file system at \"/proc\"","lastScrape":"2015-07-01T20:10:51.781Z",)"
      R"("lastScrapeDuration":0.25,"health":"down","scrapeInterval":"15s","scrapeTimeout":)"
      R"("15s"}],"droppedTargets":[],"droppedTargetCounts":{"host":0}}})");
}

TEST_F(TargetsTest, StateSelectsActiveOrDroppedTargets) {
  auto dropped = Get("/api/v1/targets?state=Dropped").body;
  EXPECT_THAT(dropped, HasSubstr(R"("activeTargets":[],"droppedTargets":[{"discoveredLabels":)"
                                 R"({"__address__":"10.0.0.9:80","job":"node"}}])"));
  auto any = Get("/api/v1/targets").body;
  EXPECT_THAT(any, HasSubstr(R"("scrapePool":"self")"));
  EXPECT_THAT(any, HasSubstr(R"("droppedTargets":[{)"));
  EXPECT_THAT(any, HasSubstr(R"("droppedTargetCounts":{"node":1,"self":0})"));
}

TEST_F(TargetsTest, MetadataMergesTargetsPerMetric) {
  EXPECT_EQ(Get("/api/v1/metadata").body,
            R"({"status":"success","data":{"node_cpu_seconds_total":[{"type":"counter",)"
            R"("help":"Seconds the CPUs spent.","unit":""}],"node_load1":[{"type":"gauge",)"
            R"("help":"1m load average.","unit":""},{"type":"gauge","help":"Load.",)"
            R"("unit":"ratio"}]}})");
  EXPECT_EQ(Get("/api/v1/metadata?limit=1").body,
            R"({"status":"success","data":{"node_cpu_seconds_total":[{"type":"counter",)"
            R"("help":"Seconds the CPUs spent.","unit":""}]}})");
  EXPECT_EQ(Get("/api/v1/metadata?metric=node_load1&limit_per_metric=1").body,
            R"({"status":"success","data":{"node_load1":[{"type":"gauge",)"
            R"("help":"1m load average.","unit":""}]}})");
  EXPECT_EQ(Get("/api/v1/metadata?metric=nothing").body, R"({"status":"success","data":{}})");
  EXPECT_EQ(Get("/api/v1/metadata?limit=x").body, ErrorBody("bad_data", "limit must be a number"));
}

TEST_F(TargetsTest, TargetMetadataListsEachTargetsMetrics) {
  EXPECT_EQ(
      Get("/api/v1/targets/metadata?match_target=%7Binstance%3D%22localhost%3A9100%22%7D").body,
      R"({"status":"success","data":[{"target":{"instance":"localhost:9100","job":"node"},)"
      R"("metric":"node_load1","type":"gauge","help":"1m load average.","unit":""}]})");
  // With a metric, entries leave its name out.
  EXPECT_EQ(
      Get("/api/v1/targets/metadata?metric=node_load1&match_target=%7Bjob%3D%22self%22%7D").body,
      R"({"status":"success","data":[{"target":{"instance":"127.0.0.1:9090","job":"self"},)"
      R"("type":"gauge","help":"Load.","unit":"ratio"}]})");
  auto limited = Get("/api/v1/targets/metadata?limit=1").body;
  EXPECT_THAT(limited, HasSubstr("node_load1"));
  EXPECT_THAT(limited, Not(HasSubstr("127.0.0.1:9090")));
  EXPECT_EQ(Get("/api/v1/targets/metadata?match_target=%7B").status, 400);
}

}  // namespace
}  // namespace argus::api
