// The argus binary on its embedded default configuration, on a port other than 9090: its own
// metrics follow the listen address, and the collectors are targets with metadata like any other.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cctype>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

class DefaultConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreePort();
    ASSERT_NE(port_, 9090);
    address_ = "127.0.0.1:" + std::to_string(port_);
    argus_ = ChildProcess::Start(
        {std::getenv("ARGUS_BINARY"), "--storage.tsdb.path=" + (dir_.path() / "data").string(),
         "--web.listen-address=" + address_},
        dir_.path() / "argus.log");
    ASSERT_TRUE(argus_.has_value());
    // Ready once the first collection of Argus' own metrics is in.
    ASSERT_TRUE(WaitFor([&] { return !Query("up{job=\"argus\"}").empty(); }, seconds(30)))
        << argus_->Log();
  }

  // The series of the instant query `query`, as Array gives them.
  std::vector<simdjson::dom::element> Query(const std::string& query) {
    std::string encoded;
    for (unsigned char c : query) {
      if (std::isalnum(c) || c == '_') {
        encoded += static_cast<char>(c);
      } else {
        encoded += '%';
        encoded += "0123456789ABCDEF"[c >> 4];
        encoded += "0123456789ABCDEF"[c & 15];
      }
    }
    return Array("/api/v1/query?query=" + encoded, "/data/result");
  }

  // The array at JSON pointer `pointer` in the answer to GET `target`, empty if there is none;
  // its elements are valid until the next request.
  std::vector<simdjson::dom::element> Array(const std::string& target, const char* pointer) {
    body_ = HttpGet(port_, target).body;
    simdjson::dom::array array;
    if (parser_.parse(body_).at_pointer(pointer).get(array) != simdjson::SUCCESS) return {};
    std::vector<simdjson::dom::element> out;
    for (simdjson::dom::element e : array) out.push_back(e);
    return out;
  }

  static std::string_view String(simdjson::dom::element e, const char* pointer) {
    std::string_view s;
    return e.at_pointer(pointer).get(s) == simdjson::SUCCESS ? s : "<missing>";
  }

  TempDir dir_;
  uint16_t port_ = 0;
  std::string address_;
  std::optional<ChildProcess> argus_;
  simdjson::dom::parser parser_;
  std::string body_;  // The last answer.
};

TEST_F(DefaultConfigTest, OwnMetricsFollowTheListenAddress) {
  auto up = Query("up{job=\"argus\"}");
  ASSERT_EQ(up.size(), 1u) << body_;
  EXPECT_EQ(String(up[0], "/metric/instance"), address_) << body_;
  EXPECT_EQ(String(up[0], "/value/1"), "1") << body_;

  auto build = Query("argus_build_info{job=\"argus\"}");
  ASSERT_EQ(build.size(), 1u) << body_;
  EXPECT_EQ(String(build[0], "/metric/instance"), address_) << body_;
  EXPECT_NE(String(build[0], "/metric/version"), "<missing>") << body_;

  // Nothing scrapes 9090, where something else may listen.
  for (simdjson::dom::element target : Array("/api/v1/targets", "/data/activeTargets")) {
    EXPECT_EQ(String(target, "/scrapeUrl").find(":9090"), std::string_view::npos) << body_;
  }
}

TEST_F(DefaultConfigTest, CollectorsAreTargets) {
  auto targets = Array("/api/v1/targets", "/data/activeTargets");
  std::vector<std::string_view> pools;
  for (simdjson::dom::element t : targets) pools.push_back(String(t, "/scrapePool"));
  EXPECT_EQ(pools, (std::vector<std::string_view>{"argus", "cadvisor", "node"})) << body_;
  ASSERT_FALSE(targets.empty());
  simdjson::dom::element self = targets[0];
  EXPECT_EQ(String(self, "/scrapeUrl"), "http://" + address_ + "/metrics") << body_;
  EXPECT_EQ(String(self, "/labels/job"), "argus") << body_;
  EXPECT_EQ(String(self, "/labels/instance"), address_) << body_;
  EXPECT_EQ(String(self, "/health"), "up") << body_;
  EXPECT_EQ(String(self, "/lastError"), "") << body_;
  EXPECT_NE(String(self, "/lastScrape"), "0001-01-01T00:00:00Z") << body_;
  EXPECT_EQ(String(self, "/scrapeInterval"), "15s") << body_;

  // scrapePool picks one collector, as it picks one scrape pool.
  auto node = Array("/api/v1/targets?scrapePool=node", "/data/activeTargets");
  ASSERT_EQ(node.size(), 1u) << body_;
  EXPECT_EQ(String(node[0], "/scrapePool"), "node") << body_;
  EXPECT_EQ(String(node[0], "/scrapeUrl"), "file:///proc") << body_;
  EXPECT_EQ(String(node[0], "/labels/job"), "node") << body_;
}

TEST_F(DefaultConfigTest, TheDefaultRulesAreLoaded) {
  // Ready once every stage, the rules' among them, took the configuration.
  ASSERT_TRUE(BecomesReady(*argus_, port_));
  auto groups = Array("/api/v1/rules", "/data/groups");
  std::vector<std::string> loaded;
  for (simdjson::dom::element g : groups) {
    simdjson::dom::array rules;
    ASSERT_EQ(g["rules"].get(rules), simdjson::SUCCESS) << body_;
    for (simdjson::dom::element rule : rules) {
      loaded.push_back(std::string(String(g, "/file")) + " " + std::string(String(rule, "/name")));
    }
  }
  EXPECT_EQ(loaded, (std::vector<std::string>{
                        "rules/containers.yml ContainerRestarted",
                        "rules/containers.yml ContainerOOMKilled",
                        "rules/containers.yml ContainerCPUThrottled",
                        "rules/containers.yml ContainerMemoryNearLimit",
                        "rules/host.yml HostFilesystemFillingUp",
                        "rules/host.yml HostMemoryPressure",
                        "rules/targets.yml TargetDown",
                        "rules/targets.yml JobHealthyTargetsDropped",
                    }))
      << body_;
}

TEST_F(DefaultConfigTest, CollectorsServeTheirMetadata) {
  // The host collector's first collection may come a moment after Argus' own.
  ASSERT_TRUE(WaitFor([&] { return !Query("node_load1").empty(); }, seconds(30))) << body_;
  EXPECT_EQ(HttpGet(port_, "/api/v1/metadata?metric=node_load1").body,
            R"({"status":"success","data":{"node_load1":[{"type":"gauge",)"
            R"("help":"1m load average.","unit":""}]}})");
  EXPECT_EQ(HttpGet(port_, "/api/v1/metadata?metric=prometheus_http_requests_total").body,
            R"({"status":"success","data":{"prometheus_http_requests_total":[{"type":"counter",)"
            R"("help":"Counter of HTTP requests.","unit":""}]}})");
  auto own =
      Array("/api/v1/targets/metadata?metric=argus_build_info&match_target=%7Bjob%3D%22argus%22%7D",
            "/data");
  ASSERT_EQ(own.size(), 1u) << body_;
  EXPECT_EQ(String(own[0], "/target/instance"), address_) << body_;
  EXPECT_EQ(String(own[0], "/type"), "gauge") << body_;
}

}  // namespace
}  // namespace argus::testing
