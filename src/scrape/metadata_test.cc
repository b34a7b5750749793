#include "scrape/metadata.h"

#include <gtest/gtest.h>

namespace argus::scrape {
namespace {

using model::MetricType;

TEST(MetadataCacheTest, KeepsTheLatestLinesOfEachFamilySortedByName) {
  MetadataCache cache;
  cache.SetHelp("b_total", "Bees.");
  cache.SetType("b_total", MetricType::kCounter);
  cache.SetType("a", MetricType::kGauge);
  cache.SetUnit("a", "seconds");
  cache.SetHelp("b_total", "More bees.");
  cache.EndScrape();
  EXPECT_EQ(cache.List(),
            (std::vector<MetricMetadata>{{"a", MetricType::kGauge, "", "seconds"},
                                         {"b_total", MetricType::kCounter, "More bees.", ""}}));
}

TEST(MetadataCacheTest, AFamilyWithOnlyHelpIsUnknown) {
  MetadataCache cache;
  cache.SetHelp("x", "An x.");
  ASSERT_EQ(cache.List().size(), 1u);
  EXPECT_EQ(cache.List()[0].type, MetricType::kUnknown);
}

TEST(MetadataCacheTest, ForgetsAFamilyTenScrapesAfterItsLinesStopped) {
  MetadataCache cache;
  cache.SetType("gone", MetricType::kGauge);
  cache.SetType("stays", MetricType::kGauge);
  cache.EndScrape();
  for (int i = 0; i < 10; ++i) {
    cache.SetType("stays", MetricType::kGauge);
    cache.EndScrape();
    ASSERT_EQ(cache.List().size(), 2u) << "after " << i + 2 << " scrapes";
  }
  cache.SetType("stays", MetricType::kGauge);
  cache.EndScrape();
  ASSERT_EQ(cache.List().size(), 1u);
  EXPECT_EQ(cache.List()[0].metric, "stays");
}

}  // namespace
}  // namespace argus::scrape
