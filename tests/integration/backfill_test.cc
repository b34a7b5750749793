// Backfilling a server's data directory with `argus tsdb import openmetrics` while the server is
// stopped: yesterday's samples and samples overlapping today's are served after the restart,
// each sample once; a failed import, or one tried while the server runs, changes nothing.

#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>

#include <atomic>
#include <map>

#include "http/event_loop.h"
#include "http/server.h"
#include "process.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 24 * 60 * kMinute;
constexpr int kTodaySamples = 5;

std::string Binary() { return std::getenv("ARGUS_BINARY"); }

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class BackfillIntegrationTest : public ::testing::Test {
 protected:
  BackfillIntegrationTest() : loop_(1), base_(NowMillis() / kMinute * kMinute - 20 * kMinute) {}

  void SetUp() override {
    loop_.Start();
    // Each scrape serves the next of today's samples, with its own timestamp: minute k after
    // base_ has the value k.
    http::Router router;
    router.Handle("GET", "/metrics", [this](const http::Request&, http::Response* r) {
      int k = std::min(scrapes_.fetch_add(1), kTodaySamples - 1);
      r->content_type = "text/plain; version=0.0.4";
      r->body =
          "backfill_value " + std::to_string(k) + " " + std::to_string(base_ + k * kMinute) + "\n";
    });
    http::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto target = http::Server::Start(loop_, options, std::move(router));
    ASSERT_TRUE(target.ok()) << target.status().message();
    target_ = std::move(*target);
    instance_ = "127.0.0.1:" + std::to_string(target_->port());
    config_ = dir_.Write("argus.yml",
                         "global:\n  scrape_interval: 1s\nscrape_configs:\n"
                         "  - job_name: fixed\n    static_configs:\n"
                         "      - targets: ['" +
                             instance_ + "']\n");
  }

  void TearDown() override {
    server_.reset();
    if (target_) target_->Shutdown();
    loop_.Stop();
  }

  std::filesystem::path Data() const { return dir_.path() / "data"; }

  void StartServer() {
    port_ = FreePort();
    server_ = ChildProcess::Start(
        {Binary(), "--config.file=" + config_.string(), "--storage.tsdb.path=" + Data().string(),
         "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
        dir_.path() / "server.log");
    ASSERT_TRUE(server_.has_value());
    ASSERT_TRUE(BecomesReady(*server_, port_));
  }

  void StopServer() {
    server_->Signal(SIGTERM);
    ASSERT_EQ(server_->Wait(seconds(30)), 0) << server_->Log();
  }

  // Runs `argus tsdb import openmetrics` on `file`; returns the exit code and the output.
  std::pair<int, std::string> Import(const std::filesystem::path& file) {
    auto p = ChildProcess::Start(
        {Binary(), "tsdb", "import", "openmetrics", file.string(), Data().string()},
        dir_.path() / "import.log");
    EXPECT_TRUE(p.has_value());
    auto code = p->Wait(seconds(60));
    return {code.value_or(-1), p->Log()};
  }

  // The OpenMetrics text of samples of the scraped series, timestamps in milliseconds.
  std::string OpenMetrics(const std::map<int64_t, double>& samples) const {
    std::string text = "# TYPE backfill_value gauge\n";
    for (const auto& [t, v] : samples) {
      text += "backfill_value{instance=\"" + instance_ + "\",job=\"fixed\"} " + std::to_string(v) +
              " " + std::to_string(t / 1000) + "." + std::to_string(t % 1000 / 100) + "\n";
    }
    return text + "# EOF\n";
  }

  // Every raw sample of the series over the last three days, as the API serves them.
  std::vector<std::pair<int64_t, double>> Served() {
    auto reply = HttpGet(port_, "/api/v1/query?query=backfill_value%5B3d%5D&time=" +
                                    std::to_string(NowMillis() / 1000));
    EXPECT_EQ(reply.status, 200) << reply.body;
    simdjson::dom::parser parser;
    simdjson::dom::array result, values;
    std::vector<std::pair<int64_t, double>> out;
    if (parser.parse(reply.body).at_pointer("/data/result").get(result) || result.size() > 1) {
      ADD_FAILURE() << reply.body;
      return out;
    }
    if (result.size() == 0) return out;  // Not scraped yet.
    EXPECT_EQ(result.at(0).at_pointer("/values").get(values), simdjson::SUCCESS) << reply.body;
    for (simdjson::dom::element point : values) {
      double t = 0;
      std::string_view v;
      EXPECT_EQ(point.at(0).get(t), simdjson::SUCCESS) << reply.body;
      EXPECT_EQ(point.at(1).get(v), simdjson::SUCCESS) << reply.body;
      out.emplace_back(static_cast<int64_t>(std::llround(t * 1000)), std::stod(std::string(v)));
    }
    return out;
  }

  // Every file under the data directory with its size.
  std::map<std::string, uintmax_t> Listing() const {
    std::map<std::string, uintmax_t> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(Data())) {
      out[std::filesystem::relative(e.path(), Data()).string()] =
          e.is_regular_file() ? e.file_size() : 0;
    }
    return out;
  }

  TempDir dir_;
  http::EventLoop loop_;
  const int64_t base_;  // Today's first sample, a whole minute some minutes ago.
  std::atomic<int> scrapes_{0};
  std::unique_ptr<http::Server> target_;
  std::string instance_;
  std::filesystem::path config_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(BackfillIntegrationTest, YesterdayAndOverlapsAreServedOnceAfterARestart) {
  StartServer();
  std::map<int64_t, double> want;
  for (int k = 0; k < kTodaySamples; ++k) want[base_ + k * kMinute] = k;
  // Today's samples, scraped and acknowledged.
  ASSERT_TRUE(WaitFor([&] { return Served().size() == want.size(); }, seconds(60)))
      << server_->Log();

  // While the server runs, an import is refused and touches nothing.
  std::map<int64_t, double> yesterday;
  for (int j = 0; j < 10; ++j) yesterday[base_ - kDay + j * kMinute] = 100 + j;
  auto yesterday_file = dir_.Write("yesterday.om", OpenMetrics(yesterday));
  auto [refused, refusal] = Import(yesterday_file);
  EXPECT_EQ(refused, 1);
  EXPECT_NE(refusal.find("in use"), std::string::npos) << refusal;
  StopServer();

  // A file with a bad line in its middle: the error names the line, the directory stays as it
  // was.
  const auto before = Listing();
  std::string broken = OpenMetrics(yesterday);
  broken.insert(broken.find("backfill_value", broken.find('\n') + 20), "backfill_value{ 1 2\n");
  auto [failed, failure] = Import(dir_.Write("broken.om", broken));
  EXPECT_EQ(failed, 1);
  EXPECT_NE(failure.find("broken.om: 3:"), std::string::npos) << failure;  // Line 3.
  EXPECT_EQ(Listing(), before);

  // Yesterday, then every 30 s over today's minutes twice: half of those share a timestamp and
  // value with today's samples.
  auto [imported, import_log] = Import(yesterday_file);
  ASSERT_EQ(imported, 0) << import_log;
  want.insert(yesterday.begin(), yesterday.end());
  std::map<int64_t, double> overlap;
  for (int i = 0; i < 2 * kTodaySamples; ++i) overlap[base_ + i * kMinute / 2] = i / 2.0;
  auto overlap_file = dir_.Write("overlap.om", OpenMetrics(overlap));
  for (int round = 0; round < 2; ++round) {
    auto [code, log] = Import(overlap_file);
    ASSERT_EQ(code, 0) << log;
  }
  want.insert(overlap.begin(), overlap.end());
  EXPECT_FALSE(std::filesystem::exists(Data() / "backfill.tmp"));

  StartServer();
  using Points = std::vector<std::pair<int64_t, double>>;
  EXPECT_EQ(Served(), Points(want.begin(), want.end())) << server_->Log();
}

}  // namespace
}  // namespace argus::testing
