// Argus' scrape path must accept exactly what Prometheus 2.42's does: the same documents are
// served to a real Prometheus and to Argus' scrape manager, and `up` must agree for each.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <map>

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

using std::chrono::seconds;

struct Document {
  const char* name;
  const char* content_type;
  std::string body;
};

const char* kText = "text/plain; version=0.0.4";
const char* kOpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

// Bodies on the edge of what the parsers and the scrape loop accept.
std::vector<Document> Documents() {
  return {
      {"text_plain", kText,
       "# HELP a Help.\n# TYPE a counter\na_total 1\nb{x=\"y\"} 2 1700000000000\n"},
      {"text_no_final_newline", kText, "a 1"},
      {"text_trailing_comma", kText, "a{b=\"c\",} 1\n"},
      {"text_escapes", kText, "a{b=\"q\\\"\\\\\\n\"} 1\n"},
      {"text_special_values", kText, "a NaN\nb +Inf\nc -Inf\nd -0\n"},
      {"text_exponent", kText, "a 1e3\nb 1.5E-3\n"},
      {"text_hex_float", kText, "a 0x1p3\n"},
      {"text_underscore", kText, "a 1_000\n"},
      {"text_float_timestamp", kText, "a 1 1.5\n"},
      {"text_negative_timestamp", kText, "a 1 -1000\n"},
      {"text_tabs", kText, "a\t1\n"},
      {"text_leading_space", kText, "  a 1\n"},
      {"text_blank_lines", kText, "\n\na 1\n\n"},
      {"text_unknown_type", kText, "# TYPE a foo\na 1\n"},
      {"text_untyped", kText, "# TYPE a untyped\na 1\n"},
      {"text_comment", kText, "# just a comment\na 1\n"},
      {"text_missing_value", kText, "a\n"},
      {"text_bad_value", kText, "a one\n"},
      {"text_unclosed_labels", kText, "a{b=\"c\" 1\n"},
      {"text_unquoted_value", kText, "a{b=c} 1\n"},
      {"text_duplicate_label", kText, "a{b=\"1\",b=\"2\"} 1\n"},
      {"text_invalid_utf8_value", kText, "a{b=\"\xff\xfe\"} 1\n"},
      {"text_metric_name_colon", kText, "a:b:c 1\n"},
      {"text_metric_name_digit", kText, "1a 1\n"},
      {"text_label_name_dash", kText, "a{b-c=\"1\"} 1\n"},
      {"text_empty_body", kText, ""},
      {"text_duplicate_series", kText, "a 1\na 2\n"},
      {"text_help_only", kText, "# HELP a\n"},
      {"text_histogram", kText,
       "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"},
      {"om_plain", kOpenMetrics, "# TYPE a counter\na_total 1\n# EOF\n"},
      {"om_no_eof", kOpenMetrics, "a 1\n"},
      {"om_text_after_eof", kOpenMetrics, "a 1\n# EOF\nb 2\n"},
      {"om_float_timestamp", kOpenMetrics, "a 1 1700000000.5\n# EOF\n"},
      {"om_exemplar", kOpenMetrics,
       "# TYPE a counter\na_total 1 # {trace_id=\"x\"} 1 1700000000\n# EOF\n"},
      {"om_unit", kOpenMetrics,
       "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF\n"},
      {"om_stateset", kOpenMetrics, "# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n# EOF\n"},
      {"om_info", kOpenMetrics, "# TYPE i info\ni_info{v=\"1\"} 1\n# EOF\n"},
      {"om_bad_value", kOpenMetrics, "a x\n# EOF\n"},
      {"om_trailing_comma", kOpenMetrics, "a{b=\"c\",} 1\n# EOF\n"},
      {"om_blank_line", kOpenMetrics, "a 1\n\n# EOF\n"},
      {"om_tab", kOpenMetrics, "a\t1\n# EOF\n"},
      {"om_escaped_help", kOpenMetrics, "# HELP a x\\ny\n# TYPE a gauge\na 1\n# EOF\n"},
      {"om_counter_without_total", kOpenMetrics, "# TYPE a counter\na 1\n# EOF\n"},
      {"om_invalid_utf8_value", kOpenMetrics, "a{b=\"\xc3\x28\"} 1\n# EOF\n"},
  };
}

std::string ConfigFor(const std::vector<Document>& docs, uint16_t target_port) {
  std::string config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n";
  for (const auto& d : docs) {
    config += std::string("  - job_name: ") + d.name + "\n    metrics_path: /doc/" + d.name +
              "\n    static_configs:\n      - targets: ['127.0.0.1:" + std::to_string(target_port) +
              "']\n";
  }
  return config;
}

// up per job, from Prometheus' query API.
std::map<std::string, double> PrometheusUp(uint16_t port) {
  std::map<std::string, double> up;
  auto reply = HttpGet(port, "/api/v1/query?query=up");
  simdjson::dom::parser parser;
  simdjson::dom::array result;
  if (parser.parse(reply.body).at_pointer("/data/result").get(result)) return up;
  for (simdjson::dom::element r : result) {
    std::string_view job, value;
    if (r.at_pointer("/metric/job").get(job) || r.at_pointer("/value/1").get(value)) continue;
    up[std::string(job)] = std::stod(std::string(value));
  }
  return up;
}

// up per job, the newest sample of each, from Argus' storage.
std::map<std::string, double> ArgusUp(storage::Storage& storage) {
  std::map<std::string, double> up;
  auto q = storage.NewQuerier(0, INT64_MAX);
  std::vector<model::Matcher> m{
      *model::Matcher::Make(model::Matcher::Type::kEqual, "__name__", "up")};
  auto set = q->Select(m);
  while (set->Next()) {
    auto it = set->At().Iterator();
    double last = NAN;
    while (it->Next()) last = it->v();
    up[std::string(set->At().labels().Get("job"))] = last;
  }
  return up;
}

TEST(PrometheusLeniencyTest, UpAgreesWithPrometheus242) {
  if (!std::filesystem::exists("/usr/bin/prometheus")) {
    GTEST_SKIP() << "Debian's prometheus package is not installed";
  }
  auto docs = Documents();
  http::EventLoop loop(2);
  loop.Start();
  http::Router router;
  for (const auto& d : docs) {
    router.Handle("GET", std::string("/doc/") + d.name,
                  [&d](const http::Request&, http::Response* r) {
                    r->content_type = d.content_type;
                    r->body = d.body;
                  });
  }
  http::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  auto targets = http::Server::Start(loop, options, std::move(router));
  ASSERT_TRUE(targets.ok()) << targets.status().message();
  std::string config_text = ConfigFor(docs, (*targets)->port());

  TempDir dir;
  auto config_path = dir.Write("prometheus.yml", config_text);
  uint16_t prom_port = FreePort();
  auto prometheus =
      ChildProcess::Start({"/usr/bin/prometheus", "--config.file=" + config_path.string(),
                           "--storage.tsdb.path=" + (dir.path() / "prom").string(),
                           "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
                          dir.path() / "prometheus.log");
  ASSERT_TRUE(prometheus.has_value());

  auto argus_storage = storage::NewMemoryStorage();
  MetricsRegistry registry;
  http::AsioTimerSource timers(loop, SystemClock::Instance());
  scrape::ScrapeManager manager(loop, timers, *argus_storage, registry);
  auto config = config::Parse(config_text, config_path.string());
  ASSERT_TRUE(config.ok()) << config.status().message();
  ASSERT_TRUE(manager.ApplyConfig(*config).ok());

  std::map<std::string, double> prom_up, argus_up;
  bool complete = WaitFor(
      [&] {
        prom_up = PrometheusUp(prom_port);
        argus_up = ArgusUp(*argus_storage);
        return prom_up.size() == docs.size() && argus_up.size() == docs.size();
      },
      seconds(60));
  manager.Stop();
  ASSERT_TRUE(complete) << "Prometheus saw " << prom_up.size() << " targets, Argus "
                        << argus_up.size() << " of " << docs.size() << "\n"
                        << prometheus->Log();
  int agreed = 0;
  for (const auto& d : docs) {
    EXPECT_EQ(argus_up[d.name], prom_up[d.name])
        << d.name << ": Prometheus up=" << prom_up[d.name] << ", Argus up=" << argus_up[d.name];
    if (argus_up[d.name] == prom_up[d.name]) ++agreed;
  }
  std::printf("up agrees with Prometheus on %d of %zu documents\n", agreed, docs.size());
  (*targets)->Shutdown();
  loop.Stop();
}

}  // namespace
}  // namespace argus::testing
