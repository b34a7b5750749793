// Scrapes over TLS from a real TLS server (openssl s_server serving a file), with the CA, without
// it, and with verification off.

#include <gtest/gtest.h>

#include "base/clock.h"
#include "base/metrics.h"
#include "config/config.h"
#include "http/asio_timer_source.h"
#include "http/event_loop.h"
#include "process.h"
#include "scrape/manager.h"
#include "storage/memory_storage.h"

namespace argus::testing {
namespace {

using std::chrono::seconds;

TEST(TlsScrapeTest, VerifiesTheServerCertificate) {
  if (!std::filesystem::exists("/usr/bin/openssl")) GTEST_SKIP() << "openssl is not installed";
  TempDir dir;
  auto keygen = ChildProcess::Start(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
       "/CN=argus-test", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
       (dir.path() / "key.pem").string(), "-out", (dir.path() / "cert.pem").string()},
      dir.path() / "keygen.log");
  ASSERT_TRUE(keygen.has_value());
  ASSERT_EQ(keygen->Wait(seconds(60)), 0) << keygen->Log();
  dir.Write("metrics.txt", "tls_metric 42\n");
  uint16_t port = FreePort();
  auto server = ChildProcess::Start(
      {"/usr/bin/openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + std::to_string(port),
       "-cert", "cert.pem", "-key", "key.pem", "-WWW"},
      dir.path() / "s_server.log", "/dev/null", dir.path());
  ASSERT_TRUE(server.has_value());
  ASSERT_TRUE(WaitFor([&] { return Listening(port); }, seconds(30))) << server->Log();

  std::string target = "['127.0.0.1:" + std::to_string(port) + "']";
  std::string job =
      "    scheme: https\n    metrics_path: /metrics.txt\n    static_configs:\n"
      "      - targets: " +
      target + "\n";
  auto config = config::Parse(
      "global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\nscrape_configs:\n"
      "  - job_name: with_ca\n    tls_config: {ca_file: cert.pem}\n" +
          job + "  - job_name: without_ca\n" + job +
          "  - job_name: insecure\n    tls_config: {insecure_skip_verify: true}\n" + job +
          "  - job_name: wrong_name\n    tls_config: {ca_file: cert.pem, server_name: other}\n" +
          job,
      (dir.path() / "argus.yml").string());
  ASSERT_TRUE(config.ok()) << config.status().message();

  http::EventLoop loop(2);
  loop.Start();
  auto storage = storage::NewMemoryStorage();
  MetricsRegistry registry;
  http::AsioTimerSource timers(loop, SystemClock::Instance());
  scrape::ScrapeManager manager(loop, timers, *storage, registry);
  ASSERT_TRUE(manager.ApplyConfig(*config).ok());
  std::map<std::string, scrape::TargetStatus> status;
  bool scraped = WaitFor(
      [&] {
        for (const auto& job : manager.Targets()) {
          if (!job.active.empty()) status[job.job] = job.active[0];
        }
        return std::all_of(
                   status.begin(), status.end(),
                   [](const auto& s) { return s.second.health != scrape::Health::kUnknown; }) &&
               status.size() == 4;
      },
      seconds(30));
  manager.Stop();
  loop.Stop();
  ASSERT_TRUE(scraped) << server->Log();
  EXPECT_EQ(status["with_ca"].health, scrape::Health::kUp) << status["with_ca"].last_error;
  EXPECT_EQ(status["insecure"].health, scrape::Health::kUp) << status["insecure"].last_error;
  EXPECT_EQ(status["without_ca"].health, scrape::Health::kDown);
  EXPECT_NE(status["without_ca"].last_error.find("TLS handshake"), std::string::npos)
      << status["without_ca"].last_error;
  EXPECT_EQ(status["wrong_name"].health, scrape::Health::kDown);
}

}  // namespace
}  // namespace argus::testing
