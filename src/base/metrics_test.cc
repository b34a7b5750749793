#include "base/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace argus {
namespace {

TEST(MetricsRegistryTest, RendersSortedTextFormat) {
  MetricsRegistry r;
  Counter& c = r.AddCounter("b_total", "Things counted.");
  Gauge& g = r.AddGauge("a_bytes", "A size\nwith a newline.");
  CounterFamily& f = r.AddCounterFamily("c_total", "By code.", {"code", "handler"});
  r.AddGaugeFunc("d", "Read late.", [] { return 0.5; });
  r.AddCounterFunc("e_total", "Read late too.", [] { return 7; });
  r.AddInfo("f_info", "Build.", {"version"}, {"1.0"});
  c.Inc();
  c.Inc(2);
  g.Set(1e21);
  f.WithLabels({"200", "/metrics"}).Inc();
  f.WithLabels({"500", "/a\"b"}).Inc(3);
  std::string out;
  r.Render(&out);
  EXPECT_EQ(out,
            "# HELP a_bytes A size\\nwith a newline.\n# TYPE a_bytes gauge\na_bytes 1e+21\n"
            "# HELP b_total Things counted.\n# TYPE b_total counter\nb_total 3\n"
            "# HELP c_total By code.\n# TYPE c_total counter\n"
            "c_total{code=\"200\",handler=\"/metrics\"} 1\n"
            "c_total{code=\"500\",handler=\"/a\\\"b\"} 3\n"
            "# HELP d Read late.\n# TYPE d gauge\nd 0.5\n"
            "# HELP e_total Read late too.\n# TYPE e_total counter\ne_total 7\n"
            "# HELP f_info Build.\n# TYPE f_info gauge\nf_info{version=\"1.0\"} 1\n");
}

TEST(MetricsRegistryTest, GaugeFamilyRendersAsGaugesAndForgetsRemovedChildren) {
  MetricsRegistry r;
  GaugeFamily& f = r.AddGaugeFamily("g", "By group.", {"rule_group"});
  f.WithLabels({"a.yml;x"}).Set(2);
  f.WithLabels({"b.yml;y"}).Set(3);
  f.Remove({"a.yml;x"});
  f.Remove({"never"});
  std::string out;
  r.Render(&out);
  EXPECT_EQ(out, "# HELP g By group.\n# TYPE g gauge\ng{rule_group=\"b.yml;y\"} 3\n");
}

// A summary's _sum and _count are samples of the one summary family, not families of their own,
// which `promtool check metrics` would take for counters without the _total suffix.
TEST(MetricsRegistryTest, RendersASummaryAsOneFamilyWithSumAndCount) {
  MetricsRegistry r;
  Summary& s = r.AddSummary("wal_fsync_duration_seconds", "Fsync latency.");
  r.AddGauge("wal_segment", "Segment.");
  s.Observe(0.25);
  s.Observe(0.5);
  EXPECT_EQ(s.Count(), 2u);
  EXPECT_EQ(s.Sum(), 0.75);
  std::string out;
  r.Render(&out);
  EXPECT_EQ(out,
            "# HELP wal_fsync_duration_seconds Fsync latency.\n"
            "# TYPE wal_fsync_duration_seconds summary\n"
            "wal_fsync_duration_seconds_sum 0.75\n"
            "wal_fsync_duration_seconds_count 2\n"
            "# HELP wal_segment Segment.\n# TYPE wal_segment gauge\nwal_segment 0\n");
}

TEST(HistogramTest, CountsEachValueInTheFirstBucketAtOrAboveIt) {
  Histogram h({1, 5, 10});
  struct Case {
    double value;
    std::vector<uint64_t> cumulative_after;
  };
  const Case cases[] = {
      {0.5, {1, 1, 1, 1}},   {1, {2, 2, 2, 2}},             // A bound is in its own bucket.
      {1.001, {2, 3, 3, 3}}, {10, {2, 3, 4, 4}},            //
      {11, {2, 3, 4, 5}},    {std::nan(""), {2, 3, 4, 6}},  // NaN: only +Inf's.
  };
  for (const Case& c : cases) {
    h.Observe(c.value);
    EXPECT_EQ(h.CumulativeCounts(), c.cumulative_after) << "after " << c.value;
  }
  EXPECT_EQ(h.Count(), 6u);
}

TEST(HistogramTest, ConcurrentObservationsAreAllCounted) {
  Histogram h({1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 1000; ++i) h.Observe(i % 2 == 0 ? 0.5 : 2);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(h.CumulativeCounts(), (std::vector<uint64_t>{2000, 4000}));
  EXPECT_EQ(h.Sum(), 4 * (500 * 0.5 + 500 * 2));
}

// As client_golang writes a histogram: cumulative buckets with `le` last among the labels, the
// +Inf bucket equal to the count, then the sum and the count, per child in label order.
TEST(MetricsRegistryTest, RendersAHistogramFamilyInTheTextFormat) {
  MetricsRegistry r;
  HistogramFamily& f =
      r.AddHistogramFamily("latency_seconds", "Latency.", {"integration"}, {0.005, 1, 5});
  f.WithLabels({"webhook"}).Observe(7);
  f.WithLabels({"slack"}).Observe(0.25);
  f.WithLabels({"slack"}).Observe(0.5);
  std::string out;
  r.Render(&out);
  EXPECT_EQ(out,
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{integration=\"slack\",le=\"0.005\"} 0\n"
            "latency_seconds_bucket{integration=\"slack\",le=\"1\"} 2\n"
            "latency_seconds_bucket{integration=\"slack\",le=\"5\"} 2\n"
            "latency_seconds_bucket{integration=\"slack\",le=\"+Inf\"} 2\n"
            "latency_seconds_sum{integration=\"slack\"} 0.75\n"
            "latency_seconds_count{integration=\"slack\"} 2\n"
            "latency_seconds_bucket{integration=\"webhook\",le=\"0.005\"} 0\n"
            "latency_seconds_bucket{integration=\"webhook\",le=\"1\"} 0\n"
            "latency_seconds_bucket{integration=\"webhook\",le=\"5\"} 0\n"
            "latency_seconds_bucket{integration=\"webhook\",le=\"+Inf\"} 1\n"
            "latency_seconds_sum{integration=\"webhook\"} 7\n"
            "latency_seconds_count{integration=\"webhook\"} 1\n");
}

TEST(MetricsRegistryTest, RendersAGaugeFamilyReadWhenRendered) {
  MetricsRegistry r;
  double active = 3;
  r.AddGaugeFamilyFunc("alerts", "By state.", {"state"}, [&active] {
    return std::vector<LabelledValue>{{{"active"}, active}, {{"suppressed"}, 1}};
  });
  active = 4;
  std::string out;
  r.Render(&out);
  EXPECT_EQ(out,
            "# HELP alerts By state.\n# TYPE alerts gauge\n"
            "alerts{state=\"active\"} 4\nalerts{state=\"suppressed\"} 1\n");
}

TEST(MetricsRegistryTest, FloatsAsPrometheusWritesThem) {
  std::string out;
  AppendFloat(&out, std::numeric_limits<double>::infinity());
  out += ' ';
  AppendFloat(&out, -std::numeric_limits<double>::infinity());
  out += ' ';
  AppendFloat(&out, std::nan(""));
  out += ' ';
  AppendFloat(&out, 0.1);
  EXPECT_EQ(out, "+Inf -Inf NaN 0.1");
}

}  // namespace
}  // namespace argus
