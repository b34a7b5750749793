// Scrapes over real HTTP on loopback: what the fetcher sends and how failures reach `up`.

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <fstream>
#include <future>

#include "base/metrics.h"
#include "http/event_loop.h"
#include "http/gzip.h"
#include "http/server.h"
#include "scrape/scrape_loop.h"
#include "storage/memory_storage.h"

namespace argus::scrape {
namespace {

class HttpScrapeTest : public ::testing::Test {
 protected:
  HttpScrapeTest() : loop_(2), storage_(storage::NewMemoryStorage()), metrics_(registry_) {
    loop_.Start();
    http::Router router;
    router.Handle("GET", "/metrics", [this](const http::Request& r, http::Response* w) {
      absl::MutexLock lock(&mu_);
      last_request_ = r;
      w->content_type = "text/plain; version=0.0.4";
      w->body = "requests_total 7\n";
    });
    router.Handle("GET", "/gzip", [](const http::Request&, http::Response* w) {
      w->headers["Content-Encoding"] = "gzip";
      w->body = http::Gzip("a 1\nb 2\n");
    });
    router.Handle("GET", "/error",
                  [](const http::Request&, http::Response* w) { w->status = 500; });
    router.Handle("GET", "/huge", [](const http::Request&, http::Response* w) {
      w->body = std::string(8 << 20, '#');
    });
    http::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    server_ = std::move(http::Server::Start(loop_, options, std::move(router)).value());
    config_.job_name = "web";
    config_.scrape_interval = std::chrono::seconds(15);
    config_.scrape_timeout = std::chrono::milliseconds(500);
  }
  ~HttpScrapeTest() override {
    server_->Shutdown();
    loop_.Stop();
  }

  // One scrape of `path` on `port` (the test server's by default) through the real fetcher.
  TargetStatus ScrapeOnce(const std::string& path, uint16_t port = 0) {
    auto target = PopulateLabels(
        {{"__address__", "127.0.0.1:" + std::to_string(port ? port : server_->port())},
         {"__metrics_path__", path}},
        config_);
    auto config = std::make_shared<const config::ScrapeConfig>(config_);
    ScrapeLoop loop(**target, config, *storage_, metrics_);
    auto fetcher = NewHttpFetcher(loop_, *config);
    std::promise<Result<Fetched>> done;
    fetcher->Fetch(loop.url(), loop.timeout(),
                   [&](Result<Fetched> f) { done.set_value(std::move(f)); });
    loop.Report(1000, 0.1, done.get_future().get());
    return loop.Status();
  }

  http::EventLoop loop_;
  std::unique_ptr<storage::Storage> storage_;
  MetricsRegistry registry_;
  ScrapeMetrics metrics_;
  config::ScrapeConfig config_;
  std::unique_ptr<http::Server> server_;
  absl::Mutex mu_;
  http::Request last_request_ ABSL_GUARDED_BY(mu_);
};

TEST_F(HttpScrapeTest, SendsPrometheusHeadersAndCredentials) {
  config_.http_client.authorization =
      config::HttpClientConfig::Authorization{"Bearer", "s3cret", ""};
  config_.params["module"] = {"x"};
  TargetStatus s = ScrapeOnce("/metrics");
  EXPECT_EQ(s.health, Health::kUp) << s.last_error;
  absl::MutexLock lock(&mu_);
  EXPECT_EQ(last_request_.headers["authorization"], "Bearer s3cret");
  EXPECT_NE(last_request_.headers["accept"].find("application/openmetrics-text"),
            std::string::npos);
  EXPECT_EQ(last_request_.headers["accept-encoding"], "gzip");
  EXPECT_EQ(last_request_.headers["x-prometheus-scrape-timeout-seconds"], "0.5");
  EXPECT_EQ(last_request_.Param("module"), "x");
}

TEST_F(HttpScrapeTest, BasicAuthFromAFile) {
  auto path = std::filesystem::temp_directory_path() / "argus-scrape-password";
  std::ofstream(path) << "pa55\n";
  config_.http_client.basic_auth = config::HttpClientConfig::BasicAuth{"user", "", path.string()};
  EXPECT_EQ(ScrapeOnce("/metrics").health, Health::kUp);
  absl::MutexLock lock(&mu_);
  EXPECT_EQ(last_request_.headers["authorization"], "Basic dXNlcjpwYTU1");  // user:pa55
  std::filesystem::remove(path);
}

TEST_F(HttpScrapeTest, GzipBodiesAreScraped) {
  TargetStatus s = ScrapeOnce("/gzip");
  EXPECT_EQ(s.health, Health::kUp) << s.last_error;
}

TEST_F(HttpScrapeTest, FailuresSayWhy) {
  EXPECT_EQ(ScrapeOnce("/error").last_error, "server returned HTTP status 500");
  config_.body_size_limit = 1 << 20;
  TargetStatus huge = ScrapeOnce("/huge");
  EXPECT_EQ(huge.health, Health::kDown);
  EXPECT_NE(huge.last_error.find("body size limit exceeded"), std::string::npos) << huge.last_error;
  EXPECT_EQ(metrics_.exceeded_body_size_limit.Value(), 1);

  // A target that accepts and never answers.
  boost::asio::ip::tcp::acceptor silent(loop_.context(),
                                        {boost::asio::ip::make_address("127.0.0.1"), 0});
  boost::asio::ip::tcp::socket accepted(loop_.context());
  silent.async_accept(accepted, [](boost::system::error_code) {});
  TargetStatus hung = ScrapeOnce("/metrics", silent.local_endpoint().port());
  EXPECT_EQ(hung.health, Health::kDown);
  EXPECT_NE(hung.last_error.find("timed out after 500ms"), std::string::npos) << hung.last_error;
}

}  // namespace
}  // namespace argus::scrape
