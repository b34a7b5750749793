// Runs the queries of queries.txt through the HTTP APIs of Debian's Prometheus 2.42 and of Argus
// on the same generated data (backfilled into each with promtool tsdb create-blocks-from
// openmetrics and argus tsdb import openmetrics), and asserts equal results: labels exactly,
// values within 1e-9 relative.
//
// The data is built so that Prometheus 2.42's closed windows ([t-range, t]) and Prometheus 3's
// left-open ones ((t-range, t], which Argus implements) select the same samples: sample times
// end in 125..875 ms, query times in 950 ms, and subquery steps, `@` times, ranges and offsets
// are whole seconds, so no window edge ever falls on a sample. Counters start high so that both
// versions' zero-point extrapolation of rate() agrees.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "model/labels.h"
#include "process.h"

namespace argus::testing {
namespace {

constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr int kScrapes = 720;  // Three hours at 15 s.
constexpr int64_t kIntervalMs = 15'000;

struct GeneratedSample {
  model::Labels labels;
  int64_t t;
  double v;
};

// A small deterministic generator, so that every run sees the same data.
class Random {
 public:
  double Uniform() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<double>(state_ % 1'000'000) / 1'000'000.0;
  }
  int64_t JitterMs() { return 125 * (1 + static_cast<int64_t>(Uniform() * 7)); }

 private:
  uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

struct Family {
  std::string name;  // As in `# TYPE`.
  std::string type;
  std::vector<std::vector<GeneratedSample>> series;  // Each series' samples in time order.
};

// Counters, gauges and a classic histogram for three jobs of three instances, with a counter
// reset, a gap and a series that ends early.
std::vector<Family> Generate() {
  Random rnd;
  const std::vector<std::string> jobs = {"api", "web", "db"};
  const std::vector<std::string> codes = {"200", "404", "500"};
  const std::vector<std::string> les = {"0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
  Family up{"up", "gauge", {}}, requests{"http_requests", "counter", {}},
      memory{"node_memory_bytes", "gauge", {}},
      duration{"request_duration_seconds", "histogram", {}}, temp{"cpu_temp_celsius", "gauge", {}};
  for (size_t j = 0; j < jobs.size(); ++j) {
    for (int n = 1; n <= 3; ++n) {
      std::string instance = jobs[j] + "-" + std::to_string(n);
      std::vector<GeneratedSample> up_s, mem_s, temp_s;
      std::vector<std::vector<GeneratedSample>> req_s(codes.size()), bucket_s(les.size());
      std::vector<GeneratedSample> sum_s, count_s;
      std::vector<double> req(codes.size());
      for (size_t c = 0; c < codes.size(); ++c) req[c] = 5000.0 * (c + 1) + 100 * n;
      std::vector<double> buckets(les.size(), 0);
      double mem = 1e9 + 3e8 * static_cast<double>(j) + 1e7 * n, sum = 2000, count = 0;
      for (size_t b = 0; b < les.size(); ++b) buckets[b] = 1000.0 * (b + 1);
      count = buckets.back();
      for (int k = 0; k < kScrapes; ++k) {
        int64_t t = kStartMs + k * kIntervalMs + rnd.JitterMs();
        up_s.push_back({{{"__name__", "up"}, {"job", jobs[j]}, {"instance", instance}}, t, 1});
        for (size_t c = 0; c < codes.size(); ++c) {
          req[c] += std::floor(rnd.Uniform() * 20 * (3 - c));
          if (instance == "api-2" && c == 0 && k == 400) req[c] = 700;  // A restart.
          req_s[c].push_back({{{"__name__", "http_requests_total"},
                               {"job", jobs[j]},
                               {"instance", instance},
                               {"code", codes[c]}},
                              t,
                              req[c]});
        }
        mem += (rnd.Uniform() - 0.5) * 2e7;
        mem_s.push_back(
            {{{"__name__", "node_memory_bytes"}, {"job", jobs[j]}, {"instance", instance}},
             t,
             mem});
        int observations = static_cast<int>(rnd.Uniform() * 30);
        for (int o = 0; o < observations; ++o) {
          double d = std::pow(rnd.Uniform(), 2) * 3;
          sum += d;
          for (size_t b = 0; b < les.size(); ++b) {
            if (b + 1 == les.size() || d <= std::stod(les[b])) buckets[b] += 1;
          }
        }
        count = buckets.back();
        model::Labels base{{"job", jobs[j]}, {"instance", instance}};
        for (size_t b = 0; b < les.size(); ++b) {
          bucket_s[b].push_back({{{"__name__", "request_duration_seconds_bucket"},
                                  {"job", jobs[j]},
                                  {"instance", instance},
                                  {"le", les[b]}},
                                 t,
                                 buckets[b]});
        }
        sum_s.push_back({{{"__name__", "request_duration_seconds_sum"},
                          {"job", jobs[j]},
                          {"instance", instance}},
                         t,
                         sum});
        count_s.push_back({{{"__name__", "request_duration_seconds_count"},
                            {"job", jobs[j]},
                            {"instance", instance}},
                           t,
                           count});
        bool gap = instance == "db-2" && k >= 200 && k < 260;
        bool ended = instance == "web-3" && k >= 500;
        if (!gap && !ended) {
          double v = 50 + 10 * std::sin(k / 40.0 + n) + std::round(rnd.Uniform() * 40) / 10;
          temp_s.push_back({{{"__name__", "cpu_temp_celsius"}, {"instance", instance}}, t, v});
        }
      }
      up.series.push_back(std::move(up_s));
      for (auto& s : req_s) requests.series.push_back(std::move(s));
      memory.series.push_back(std::move(mem_s));
      for (auto& s : bucket_s) duration.series.push_back(std::move(s));
      duration.series.push_back(std::move(count_s));
      duration.series.push_back(std::move(sum_s));
      temp.series.push_back(std::move(temp_s));
    }
  }
  return {up, requests, memory, duration, temp};
}

std::string OpenMetrics(const std::vector<Family>& families) {
  std::string out;
  for (const Family& f : families) {
    out += fmt::format("# TYPE {} {}\n", f.name, f.type);
    for (const auto& series : f.series) {
      for (const GeneratedSample& s : series) {
        out += s.labels.MetricName();
        char sep = '{';
        for (const auto& l : s.labels) {
          if (l.name == model::kMetricName) continue;
          out += fmt::format("{}{}=\"{}\"", sep, l.name, l.value);
          sep = ',';
        }
        out += fmt::format("}} {} {}.{:03d}\n", s.v, s.t / 1000, s.t % 1000);
      }
    }
  }
  return out + "# EOF\n";
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// A result in a form both sides are turned into: series labels to (time, value) points.
struct Comparable {
  std::string error;
  std::string type;
  std::map<std::string, std::vector<std::pair<int64_t, double>>> series;
};

double ParseValue(std::string_view s) { return std::strtod(std::string(s).c_str(), nullptr); }

Comparable FromPrometheus(const std::string& body) {
  Comparable c;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) {
    c.error = "unparsable reply: " + body.substr(0, 200);
    return c;
  }
  std::string_view status;
  if (doc["status"].get(status) || status != "success") {
    std::string_view error;
    c.error = doc["error"].get(error) ? "error" : std::string(error);
    return c;
  }
  std::string_view type;
  (void)doc.at_pointer("/data/resultType").get(type);
  c.type = std::string(type);
  auto point = [](simdjson::dom::array p) {
    double t = 0;
    std::string_view v;
    (void)p.at(0).get(t);
    (void)p.at(1).get(v);
    return std::pair<int64_t, double>(std::llround(t * 1000), ParseValue(v));
  };
  if (c.type == "scalar") {
    simdjson::dom::array p;
    (void)doc.at_pointer("/data/result").get(p);
    c.series["{}"].push_back(point(p));
    return c;
  }
  simdjson::dom::array result;
  (void)doc.at_pointer("/data/result").get(result);
  for (simdjson::dom::element r : result) {
    std::vector<model::Label> labels;
    simdjson::dom::object metric;
    (void)r["metric"].get(metric);
    for (auto field : metric) {
      std::string_view v;
      (void)field.value.get(v);
      labels.push_back({std::string(field.key), std::string(v)});
    }
    std::string key = model::Labels::FromUnsorted(std::move(labels)).ToString();
    simdjson::dom::array value, values;
    if (!r["value"].get(value)) c.series[key].push_back(point(value));
    if (!r["values"].get(values)) {
      for (simdjson::dom::element p : values) c.series[key].push_back(point(p.get_array()));
    }
  }
  return c;
}

bool Close(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

// "" when equal, else what differs.
std::string Difference(const Comparable& prom, const Comparable& argus) {
  if (!prom.error.empty() || !argus.error.empty()) {
    if (!prom.error.empty() && !argus.error.empty()) return "";
    return fmt::format("Prometheus error {:?}, Argus error {:?}", prom.error, argus.error);
  }
  if (prom.type != argus.type) return fmt::format("type {} vs {}", prom.type, argus.type);
  for (const auto& [labels, points] : prom.series) {
    auto it = argus.series.find(labels);
    if (it == argus.series.end()) return "Argus lacks " + labels;
    if (it->second.size() != points.size()) {
      return fmt::format("{}: {} points vs {}", labels, points.size(), it->second.size());
    }
    for (size_t i = 0; i < points.size(); ++i) {
      if (points[i].first != it->second[i].first ||
          !Close(points[i].second, it->second[i].second)) {
        return fmt::format("{} at {}: Prometheus {} ({}), Argus {} ({})", labels, points[i].first,
                           points[i].second, points[i].first, it->second[i].second,
                           it->second[i].first);
      }
    }
  }
  for (const auto& [labels, points] : argus.series) {
    if (!prom.series.count(labels)) return "Prometheus lacks " + labels;
  }
  return "";
}

std::vector<std::string> Queries() {
  std::ifstream in(std::string(ARGUS_SOURCE_DIR_DEFAULT) + "/tests/integration/promql/queries.txt");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

TEST(PrometheusCompareTest, QueriesAgreeWithPrometheus242) {
  if (!std::filesystem::exists("/usr/bin/prometheus") ||
      !std::filesystem::exists("/usr/bin/promtool")) {
    GTEST_SKIP() << "Debian's prometheus package is not installed";
  }
  std::vector<std::string> queries = Queries();
  ASSERT_GE(queries.size(), 200u);
  std::vector<Family> families = Generate();

  TempDir dir;
  auto om = dir.Write("data.om", OpenMetrics(families));
  auto data = dir.path() / "data";
  auto backfill = ChildProcess::Start({"/usr/bin/promtool", "tsdb", "create-blocks-from",
                                       "openmetrics", om.string(), data.string()},
                                      dir.path() / "promtool.log");
  ASSERT_TRUE(backfill.has_value());
  ASSERT_EQ(backfill->Wait(std::chrono::seconds(120)), 0) << backfill->Log();

  auto config = dir.Write("prometheus.yml", "global:\n  evaluation_interval: 1m\n");
  uint16_t port = FreePort();
  auto prometheus = ChildProcess::Start(
      {"/usr/bin/prometheus", "--config.file=" + config.string(),
       "--storage.tsdb.path=" + data.string(), "--storage.tsdb.retention.time=100y",
       "--web.listen-address=127.0.0.1:" + std::to_string(port)},
      dir.path() / "prometheus.log");
  ASSERT_TRUE(prometheus.has_value());
  ASSERT_TRUE(
      WaitFor([&] { return HttpGet(port, "/-/ready").status == 200; }, std::chrono::seconds(60)))
      << prometheus->Log();

  auto argus_data = dir.path() / "argus-data";
  auto import = ChildProcess::Start({std::getenv("ARGUS_BINARY"), "tsdb", "import", "openmetrics",
                                     om.string(), argus_data.string()},
                                    dir.path() / "import.log");
  ASSERT_TRUE(import.has_value());
  ASSERT_EQ(import->Wait(std::chrono::seconds(120)), 0) << import->Log();
  auto argus_config = dir.Write("argus.yml", "scrape_configs: []\n");
  uint16_t argus_port = FreePort();
  auto argus = ChildProcess::Start(
      {std::getenv("ARGUS_BINARY"), "--config.file=" + argus_config.string(),
       "--storage.tsdb.path=" + argus_data.string(), "--storage.tsdb.retention.time=0",
       "--web.listen-address=127.0.0.1:" + std::to_string(argus_port)},
      dir.path() / "argus.log");
  ASSERT_TRUE(argus.has_value());
  ASSERT_TRUE(WaitFor([&] { return HttpGet(argus_port, "/-/ready").status == 200; },
                      std::chrono::seconds(60)))
      << argus->Log();

  // Instant queries at two times and one range query, none on a sample's time.
  const std::vector<int64_t> instants = {kStartMs + 3'600'950, kStartMs + 8'123'950};
  const int64_t range_start = kStartMs + 4'000'950, range_end = kStartMs + 6'000'950,
                range_step = 61'000;
  int compared = 0;
  std::vector<std::string> mismatches;
  auto compare = [&](const std::string& what, const std::string& form) {
    const char* path =
        form.find("step=") != std::string::npos ? "/api/v1/query_range" : "/api/v1/query";
    HttpReply theirs = HttpPost(port, path, form);
    HttpReply ours = HttpPost(argus_port, path, form);
    ++compared;
    // Two servers that do not answer would otherwise agree, on an error each.
    if (theirs.status == 0 || ours.status == 0) {
      mismatches.push_back(what + ": no reply from " +
                           (theirs.status == 0 ? "Prometheus" : "Argus"));
      return;
    }
    std::string diff = Difference(FromPrometheus(theirs.body), FromPrometheus(ours.body));
    if (!diff.empty()) mismatches.push_back(what + ": " + diff);
  };
  for (const std::string& q : queries) {
    for (int64_t t : instants) {
      compare(fmt::format("{} at {}", q, t),
              fmt::format("query={}&time={}.{:03d}", UrlEncode(q), t / 1000, t % 1000));
    }
    compare(fmt::format("{} over range", q),
            fmt::format("query={}&start={}.{:03d}&end={}.{:03d}&step={}", UrlEncode(q),
                        range_start / 1000, range_start % 1000, range_end / 1000, range_end % 1000,
                        range_step / 1000));
  }
  std::printf("compared %d results of %zu queries with Prometheus 2.42: %zu differ\n", compared,
              queries.size(), mismatches.size());
  for (const auto& m : mismatches) ADD_FAILURE() << m;
}

}  // namespace
}  // namespace argus::testing
