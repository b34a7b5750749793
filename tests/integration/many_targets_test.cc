// Thousands of targets share the event loop's threads: none gets a thread of its own.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "base/clock.h"
#include "base/metrics.h"
#include "config/config.h"
#include "http/asio_timer_source.h"
#include "http/event_loop.h"
#include "http/server.h"
#include "process.h"
#include "scrape/manager.h"
#include "storage/memory_storage.h"

namespace argus::testing {
namespace {

size_t ThreadCount() {
  auto it = std::filesystem::directory_iterator("/proc/self/task");
  return static_cast<size_t>(std::distance(it, {}));
}

TEST(ManyTargetsTest, TwoThousandTargetsOnTwoThreads) {
  constexpr int kTargets = 2000;
  http::EventLoop loop(2);
  loop.Start();
  std::atomic<int> scrapes{0};
  http::Router router;
  router.Handle("GET", "/metrics", [&](const http::Request& req, http::Response* r) {
    ++scrapes;
    r->body =
        "# TYPE requests_total counter\nrequests_total{path=\"/\"} 1\nrequests_total{path=\"" +
        std::string(req.Param("i")) + "\"} 2\n";
  });
  http::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto target = http::Server::Start(loop, options, std::move(router));
  ASSERT_TRUE(target.ok()) << target.status().message();
  size_t threads_before = ThreadCount();

  // One target per static config, told apart by a label and a URL parameter.
  std::string config_text =
      "global:\n  scrape_interval: 10s\n  scrape_timeout: 10s\nscrape_configs:\n  - job_name: "
      "many\n"
      "    static_configs:\n";
  for (int i = 0; i < kTargets; ++i) {
    config_text += "      - targets: ['127.0.0.1:" + std::to_string((*target)->port()) +
                   "']\n        labels: {__param_i: '" + std::to_string(i) + "', i: '" +
                   std::to_string(i) + "'}\n";
  }
  auto config = config::Parse(config_text, "many.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();

  auto storage = storage::NewMemoryStorage();
  MetricsRegistry registry;
  http::AsioTimerSource timers(loop, SystemClock::Instance());
  scrape::ScrapeManager manager(loop, timers, *storage, registry);
  ASSERT_TRUE(manager.ApplyConfig(*config).ok());
  bool all_scraped = WaitFor(
      [&] {
        auto q = storage->NewQuerier(0, INT64_MAX);
        auto set = q->Select(
            std::vector{*model::Matcher::Make(model::Matcher::Type::kEqual, "__name__", "up")});
        int up = 0;
        while (set->Next()) ++up;
        return up == kTargets;
      },
      std::chrono::seconds(60));
  size_t threads_during = ThreadCount();
  std::map<std::string, int> errors;
  for (const auto& job : manager.Targets()) {
    for (const auto& t : job.active) {
      if (t.health != scrape::Health::kUp) ++errors[t.last_error];
    }
  }
  for (const auto& [e, n] : errors) ADD_FAILURE() << n << " targets failed: " << e;
  manager.Stop();
  (*target)->Shutdown();
  loop.Stop();
  ASSERT_TRUE(all_scraped) << "scrapes served: " << scrapes.load();
  EXPECT_LE(threads_during, threads_before + 2) << "scraping started threads of its own";

  // Each target's second series carries its own parameter: the URL parameters went out.
  auto q = storage->NewQuerier(0, INT64_MAX);
  auto set = q->Select(
      std::vector{*model::Matcher::Make(model::Matcher::Type::kEqual, "__name__", "requests_total"),
                  *model::Matcher::Make(model::Matcher::Type::kEqual, "path", "1234")});
  ASSERT_TRUE(set->Next()) << "no series with path=1234; e.g. " << [&] {
    auto all =
        q->Select(std::vector{*model::Matcher::Make(model::Matcher::Type::kEqual, "i", "1234")});
    std::string out;
    while (all->Next()) out += all->At().labels().ToString() + " ";
    return out;
  }();
  EXPECT_EQ(set->At().labels().Get("i"), "1234");
}

}  // namespace
}  // namespace argus::testing
