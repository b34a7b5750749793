// Argus scrapes a real prometheus-node-exporter (Debian's) on loopback, with relabeling.

#include <gtest/gtest.h>

#include <cmath>

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

model::Matcher Eq(const std::string& name, const std::string& value) {
  return *model::Matcher::Make(model::Matcher::Type::kEqual, name, value);
}

struct Newest {
  double value = NAN;  // The newest value that is not a staleness marker.
  bool ends_stale = false;
};

// Every series matching `matchers`, with its newest values.
std::map<model::Labels, Newest> Read(storage::Storage& s, std::vector<model::Matcher> matchers) {
  std::map<model::Labels, Newest> out;
  auto q = s.NewQuerier(0, INT64_MAX);
  auto set = q->Select(matchers);
  while (set->Next()) {
    Newest& n = out[set->At().labels()];
    auto it = set->At().Iterator();
    while (it->Next()) {
      n.ends_stale = storage::IsStaleNaN(it->v());
      if (!n.ends_stale) n.value = it->v();
    }
  }
  return out;
}

std::map<model::Labels, double> Latest(storage::Storage& s, std::vector<model::Matcher> matchers) {
  std::map<model::Labels, double> out;
  for (const auto& [labels, n] : Read(s, std::move(matchers))) out[labels] = n.value;
  return out;
}

TEST(NodeExporterTest, ScrapesWithRelabeling) {
  if (!NodeExporterInstalled()) {
    GTEST_SKIP() << "Debian's prometheus-node-exporter is not installed";
  }
  TempDir dir;
  std::string why;
  auto node = StartNodeExporter(dir.path(), &why);
  ASSERT_TRUE(node.has_value()) << why;
  const uint16_t port = node->port;

  std::string config_text =
      "scrape_configs:\n"
      "  - job_name: node\n"
      "    scrape_interval: 1s\n"
      "    scrape_timeout: 1s\n"
      "    static_configs:\n"
      "      - targets: ['127.0.0.1:" +
      std::to_string(port) +
      "']\n"
      "        labels: {env: test}\n"
      "    relabel_configs:\n"
      "      - source_labels: [__address__]\n"
      "        regex: '([^:]+):\\d+'\n"
      "        target_label: host\n"
      "    metric_relabel_configs:\n"
      "      - source_labels: [__name__]\n"
      "        regex: 'go_.*'\n"
      "        action: drop\n";
  auto config = config::Parse(config_text, "node.yml");
  ASSERT_TRUE(config.ok()) << config.status().message();

  http::EventLoop loop(2);
  loop.Start();
  auto storage = storage::NewMemoryStorage();
  MetricsRegistry registry;
  http::AsioTimerSource timers(loop, SystemClock::Instance());
  scrape::ScrapeManager manager(loop, timers, *storage, registry);
  ASSERT_TRUE(manager.ApplyConfig(*config).ok());
  ASSERT_TRUE(
      WaitFor([&] { return !Latest(*storage, {Eq("__name__", "up")}).empty(); }, seconds(30)));
  manager.Stop();
  loop.Stop();

  auto up = Latest(*storage, {Eq("__name__", "up")});
  ASSERT_EQ(up.size(), 1u);
  const model::Labels& target = up.begin()->first;
  EXPECT_EQ(up.begin()->second, 1);
  EXPECT_EQ(target.Get("job"), "node");
  EXPECT_EQ(target.Get("instance"), "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(target.Get("env"), "test");
  EXPECT_EQ(target.Get("host"), "127.0.0.1");

  auto scraped = Latest(*storage, {Eq("__name__", "scrape_samples_scraped")});
  auto kept = Latest(*storage, {Eq("__name__", "scrape_samples_post_metric_relabeling")});
  ASSERT_EQ(scraped.size(), 1u);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_GT(scraped.begin()->second, 100);
  EXPECT_LT(kept.begin()->second, scraped.begin()->second);  // go_* dropped.

  // Everything from the exporter carries the target's labels; no go_* series was stored.
  auto all = Latest(*storage, {Eq("job", "node")});
  size_t exported = 0;
  for (const auto& [labels, v] : all) {
    EXPECT_FALSE(labels.MetricName().starts_with("go_")) << labels.ToString();
    EXPECT_EQ(labels.Get("env"), "test");
    EXPECT_EQ(labels.Get("host"), "127.0.0.1");
    if (!labels.MetricName().starts_with("scrape_") && labels.MetricName() != "up") ++exported;
  }
  // Exactly the samples kept by metric relabeling became series (one scrape or several of the
  // same shape).
  EXPECT_EQ(static_cast<double>(exported), kept.begin()->second);
  auto idle = Latest(
      *storage, {Eq("__name__", "node_cpu_seconds_total"), Eq("cpu", "0"), Eq("mode", "idle")});
  ASSERT_EQ(idle.size(), 1u);
  EXPECT_GT(idle.begin()->second, 0);

  // Stopping the scrape marked every series of the target stale.
  for (const auto& [labels, n] : Read(*storage, {Eq("job", "node")})) {
    EXPECT_TRUE(n.ends_stale) << labels.ToString();
  }
}

}  // namespace
}  // namespace argus::testing
