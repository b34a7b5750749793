// Events end to end: `argus event deploy` records a deploy on a running server, GET
// /api/v1/events reads it back, and it is still there after the server is killed (kill -9) and
// started again on the same data directory.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

// match[]={service="api"}, percent-encoded.
constexpr const char* kApiEvents = "/api/v1/events?match%5B%5D=%7Bservice%3D%22api%22%7D";

class EventsIntegrationTest : public ::testing::Test {
 protected:
  void StartServer() {
    port_ = FreePort();
    server_ = StartArgus(dir_, config_, port_);
    ASSERT_TRUE(server_.has_value());
    ASSERT_TRUE(BecomesReady(*server_, port_));
  }

  // Runs `argus event deploy` with `flags` against the server; returns exit code and output.
  std::pair<int, std::string> Deploy(std::vector<std::string> flags) {
    flags.insert(flags.begin(), {std::getenv("ARGUS_BINARY"), "event", "deploy",
                                 "--url=http://127.0.0.1:" + std::to_string(port_)});
    auto p = ChildProcess::Start(flags, dir_.path() / "deploy.log");
    EXPECT_TRUE(p.has_value());
    if (!p) return {-1, ""};
    auto code = p->Wait(seconds(60));
    return {code.value_or(-1), p->Log()};
  }

  // The events of service "api", as GET /api/v1/events lists them.
  std::vector<std::string> ApiEvents() {
    auto reply = HttpGet(port_, kApiEvents);
    EXPECT_EQ(reply.status, 200) << reply.body;
    simdjson::dom::parser parser;
    simdjson::dom::array data;
    EXPECT_EQ(parser.parse(simdjson::padded_string(reply.body))["data"].get(data),
              simdjson::SUCCESS)
        << reply.body;
    std::vector<std::string> out;
    for (simdjson::dom::element e : data) {
      std::string_view kind, version, text, link;
      EXPECT_EQ(e["kind"].get(kind), simdjson::SUCCESS);
      EXPECT_EQ(e["labels"]["version"].get(version), simdjson::SUCCESS);
      EXPECT_EQ(e["text"].get(text), simdjson::SUCCESS);
      EXPECT_EQ(e["link"].get(link), simdjson::SUCCESS);
      double time = 0;
      EXPECT_EQ(e["time"].get(time), simdjson::SUCCESS);
      EXPECT_GT(time, 1.6e9);  // Stamped by the server's clock.
      out.push_back(fmt::format("{} {} {} {}", kind, version, text, link));
    }
    return out;
  }

  TempDir dir_;
  std::filesystem::path config_ = dir_.Write("argus.yml", "scrape_configs: []\n");
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(EventsIntegrationTest, ADeployFromTheCommandLineIsListedAndSurvivesAKill) {
  StartServer();
  auto [code, output] = Deploy({"--service=api", "--version=1.4.2", "--text=api 1.4.2 by ci",
                                "--link=https://ci.example.com/runs/77"});
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("Recorded the deploy of api 1.4.2."), std::string::npos) << output;
  // Another service's deploy is not listed for service "api".
  ASSERT_EQ(Deploy({"--service=web", "--version=9"}).first, 0);

  const std::vector<std::string> want = {
      "deploy 1.4.2 api 1.4.2 by ci https://ci.example.com/runs/77"};
  EXPECT_EQ(ApiEvents(), want);
  EXPECT_NE(HttpGet(port_, "/metrics").body.find("argus_events_total{kind=\"deploy\"} 2"),
            std::string::npos);

  // A deploy the server refuses fails with the server's reason, and records nothing.
  auto [bad_code, bad_output] = Deploy({"--service=api", "--version=2", "--link=ci/runs/78"});
  EXPECT_EQ(bad_code, 1);
  EXPECT_NE(bad_output.find("the server answered 400: invalid event: link \"ci/runs/78\" is not "
                            "an absolute http or https URL"),
            std::string::npos)
      << bad_output;

  // The acknowledged deploy was on disk: kill -9, start again on the same data directory.
  server_->Signal(SIGKILL);
  ASSERT_TRUE(server_->Wait(seconds(30)).has_value());
  StartServer();
  EXPECT_EQ(ApiEvents(), want);
  // And the store takes events after the restart.
  ASSERT_EQ(Deploy({"--service=api", "--version=1.4.3", "--link=https://ci/79"}).first, 0);
  EXPECT_EQ(ApiEvents().size(), 2u);
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(seconds(30)), 0) << server_->Log();
}

TEST_F(EventsIntegrationTest, ADeployToNoServerFails) {
  port_ = FreePort();
  auto [code, output] = Deploy({"--service=api", "--version=1"});
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("cannot reach the server"), std::string::npos) << output;
}

}  // namespace
}  // namespace argus::testing
