#include "scrape/target.h"

#include <gtest/gtest.h>

namespace argus::scrape {
namespace {

config::ScrapeConfig Job() {
  config::ScrapeConfig c;
  c.job_name = "node";
  c.scrape_interval = std::chrono::seconds(30);
  c.scrape_timeout = std::chrono::seconds(10);
  return c;
}

TEST(PopulateLabelsTest, DefaultsInstanceAndMetaLabels) {
  auto t = PopulateLabels({{"__address__", "h:9100"}, {"__meta_x", "y"}, {"env", "p"}}, Job());
  ASSERT_TRUE(t.ok() && t->has_value());
  const model::Labels& l = (*t)->labels;
  EXPECT_EQ(l.Get("job"), "node");
  EXPECT_EQ(l.Get("instance"), "h:9100");
  EXPECT_EQ(l.Get("__scheme__"), "http");
  EXPECT_EQ(l.Get("__metrics_path__"), "/metrics");
  EXPECT_EQ(l.Get("__scrape_interval__"), "30s");
  EXPECT_FALSE(l.Has("__meta_x"));
  EXPECT_EQ((*t)->discovered.Get("__meta_x"), "y");
  EXPECT_EQ(PublicLabels(l),
            (model::Labels{{"env", "p"}, {"instance", "h:9100"}, {"job", "node"}}));
}

TEST(PopulateLabelsTest, DefaultPortsParamsAndUrl) {
  config::ScrapeConfig c = Job();
  c.scheme = "https";
  c.params["module"] = {"http_2xx", "ignored"};
  auto t = PopulateLabels({{"__address__", "example"}}, c);
  ASSERT_TRUE(t.ok() && t->has_value());
  EXPECT_EQ((*t)->labels.Get("__address__"), "example:443");
  EXPECT_EQ(ScrapeUrl((*t)->labels), "https://example:443/metrics?module=http_2xx");
}

TEST(PopulateLabelsTest, RelabelingDropsOrFails) {
  config::ScrapeConfig c = Job();
  model::RelabelConfig keep;
  keep.source_labels = {"env"};
  keep.regex_text = "prod";
  keep.action = model::RelabelAction::kKeep;
  ASSERT_TRUE(keep.Validate().ok());
  c.relabel_configs = {keep};
  auto t = PopulateLabels({{"__address__", "h:1"}, {"env", "dev"}}, c);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->has_value());
  EXPECT_EQ(PopulateLabels({{"env", "prod"}}, c).status().message(), "no address");
}

TEST(PopulateLabelsTest, PerTargetIntervalFromLabels) {
  auto t = PopulateLabels({{"__address__", "h:1"}, {"__scrape_interval__", "5s"}}, Job());
  EXPECT_EQ(TargetInterval((*t)->labels, Job()), std::chrono::seconds(5));
  EXPECT_EQ(TargetTimeout((*t)->labels, Job()), std::chrono::seconds(10));
}

}  // namespace
}  // namespace argus::scrape
