#include "collect/self_collector.h"

#include <gtest/gtest.h>

#include "collect/collect_test_util.h"

namespace argus::collect {
namespace {

using model::MetricType;

class SelfCollectorTest : public ::testing::Test {
 protected:
  SelfCollectorTest()
      : requests_(registry_.AddCounterFamily("argus_test_requests_total", "Requests served.",
                                             {"code", "handler"})),
        queue_(registry_.AddGauge("argus_test_queue_length", "Items waiting.\nOne per line.")) {
    registry_.AddInfo("argus_test_build_info", "Build information.", {"version"}, {"1.2.3"});
    registry_.AddCounterFamily("argus_test_unused_total", "Never counted.", {"reason"});
  }

  MetricsRegistry registry_;
  CounterFamily& requests_;
  Gauge& queue_;
  CollectHarness harness_{std::make_unique<SelfCollector>(registry_)};
};

TEST_F(SelfCollectorTest, WritesTheRegistryUnderTheTargetLabels) {
  requests_.WithLabels({"200", "/api/v1/query"}).Inc(3);
  // A label value that the text format must escape comes back as it was.
  requests_.WithLabels({"500", "/say \"hi\"\\\n"}).Inc();
  queue_.Set(7.5);
  auto s = harness_.Collect();
  EXPECT_SAMPLE(s, Series("up"), 1);
  EXPECT_SAMPLE(s, Series("scrape_samples_scraped"), 4);
  EXPECT_SAMPLE(
      s, Series("argus_test_requests_total", {{"code", "200"}, {"handler", "/api/v1/query"}}), 3);
  EXPECT_SAMPLE(
      s, Series("argus_test_requests_total", {{"code", "500"}, {"handler", "/say \"hi\"\\\n"}}), 1);
  EXPECT_SAMPLE(s, Series("argus_test_queue_length"), 7.5);
  EXPECT_SAMPLE(s, Series("argus_test_build_info", {{"version", "1.2.3"}}), 1);

  // The next collection sees what changed, new children included.
  requests_.WithLabels({"200", "/api/v1/query"}).Inc();
  requests_.WithLabels({"200", "/metrics"}).Inc();
  queue_.Set(0);
  harness_.clock().Advance(std::chrono::seconds(15));
  s = harness_.Collect();
  EXPECT_SAMPLE(
      s, Series("argus_test_requests_total", {{"code", "200"}, {"handler", "/api/v1/query"}}), 4);
  EXPECT_SAMPLE(s, Series("argus_test_requests_total", {{"code", "200"}, {"handler", "/metrics"}}),
                1);
  EXPECT_SAMPLE(s, Series("argus_test_queue_length"), 0);
  EXPECT_SAMPLE(s, Series("scrape_series_added"), 1);
}

TEST_F(SelfCollectorTest, DescribesEveryFamilyButTheSyntheticSeries) {
  harness_.Collect();
  EXPECT_EQ(
      harness_.loop().Metadata(),
      (std::vector<scrape::MetricMetadata>{
          {"argus_test_build_info", MetricType::kGauge, "Build information.", ""},
          {"argus_test_queue_length", MetricType::kGauge, "Items waiting.\nOne per line.", ""},
          {"argus_test_requests_total", MetricType::kCounter, "Requests served.", ""},
          // A family with no series yet is described all the same, as a scrape would.
          {"argus_test_unused_total", MetricType::kCounter, "Never counted.", ""}}));
}

}  // namespace
}  // namespace argus::collect
