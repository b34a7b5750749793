#include "scrape/scrape_loop.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "base/metrics.h"
#include "storage/memory_storage.h"

namespace argus::scrape {
namespace {

using Samples = std::vector<std::pair<int64_t, double>>;

class ScrapeLoopTest : public ::testing::Test {
 protected:
  ScrapeLoopTest() : storage_(storage::NewMemoryStorage()), metrics_(registry_) {
    config_.job_name = "api";
    config_.scrape_interval = std::chrono::seconds(15);
    config_.scrape_timeout = std::chrono::seconds(10);
  }

  ScrapeLoop& Loop() {
    if (!loop_) {
      auto target = PopulateLabels(model::Labels{{"__address__", "10.0.0.1:8080"}}, config_);
      EXPECT_TRUE(target.ok() && target->has_value());
      loop_ = std::make_unique<ScrapeLoop>(
          **target, std::make_shared<const config::ScrapeConfig>(config_), *storage_, metrics_);
    }
    return *loop_;
  }

  void Scrape(int64_t t, std::string body, std::string content_type = "text/plain") {
    Loop().Report(t, 0.25, Fetched{std::move(body), std::move(content_type)});
  }

  // The samples of the one series matching name and the extra label (if any).
  Samples Read(const std::string& name, const std::string& label = "",
               const std::string& value = "") {
    auto q = storage_->NewQuerier(INT64_MIN, INT64_MAX);
    std::vector<model::Matcher> m{
        *model::Matcher::Make(model::Matcher::Type::kEqual, "__name__", name)};
    if (!label.empty())
      m.push_back(*model::Matcher::Make(model::Matcher::Type::kEqual, label, value));
    auto set = q->Select(m);
    Samples out;
    int series = 0;
    while (set->Next()) {
      ++series;
      last_labels_ = set->At().labels();
      auto it = set->At().Iterator();
      while (it->Next()) out.emplace_back(it->t(), it->v());
    }
    EXPECT_LE(series, 1) << name;
    return out;
  }

  double Last(const std::string& name) {
    auto s = Read(name);
    return s.empty() ? NAN : s.back().second;
  }

  config::ScrapeConfig config_;
  std::unique_ptr<storage::Storage> storage_;
  MetricsRegistry registry_;
  ScrapeMetrics metrics_;
  std::unique_ptr<ScrapeLoop> loop_;
  model::Labels last_labels_;
};

TEST_F(ScrapeLoopTest, SamplesGetTargetLabelsAndSyntheticSeries) {
  Scrape(1000, "# TYPE a counter\na_total 3\nb{x=\"y\"} 2.5\n");
  EXPECT_EQ(Read("a_total"), (Samples{{1000, 3}}));
  EXPECT_EQ(
      last_labels_,
      (model::Labels{{"__name__", "a_total"}, {"instance", "10.0.0.1:8080"}, {"job", "api"}}));
  EXPECT_EQ(Last("up"), 1);
  EXPECT_EQ(Last("scrape_duration_seconds"), 0.25);
  EXPECT_EQ(Last("scrape_samples_scraped"), 2);
  EXPECT_EQ(Last("scrape_samples_post_metric_relabeling"), 2);
  EXPECT_EQ(Last("scrape_series_added"), 2);
  EXPECT_EQ(Loop().Status().health, Health::kUp);
  EXPECT_EQ(Loop().url(), "http://10.0.0.1:8080/metrics");
}

TEST_F(ScrapeLoopTest, KnownSeriesAreNotAddedAgainAndVanishedOnesGoStale) {
  Scrape(1000, "a 1\nb 1\n");
  Scrape(2000, "a 2\nb 2\n");
  EXPECT_EQ(Last("scrape_series_added"), 0);
  Scrape(3000, "a 3\n");
  Samples b = Read("b");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[2].first, 3000);
  EXPECT_TRUE(storage::IsStaleNaN(b[2].second));
  // Back again: a new series for the cache, with fresh samples.
  Scrape(4000, "a 4\nb 4\n");
  EXPECT_EQ(Read("b").back(), (std::pair<int64_t, double>{4000, 4}));
  EXPECT_EQ(Last("scrape_series_added"), 1);
}

TEST_F(ScrapeLoopTest, AFailedScrapeSetsUpZeroKeepsTheReasonAndMarksSeriesStale) {
  Scrape(1000, "a 1\n");
  Loop().Report(2000, 1.5, Status::Error("connection refused", Status::Code::kIOError));
  EXPECT_EQ(Last("up"), 0);
  EXPECT_EQ(Last("scrape_samples_scraped"), 0);
  EXPECT_TRUE(storage::IsStaleNaN(Read("a").back().second));
  TargetStatus s = Loop().Status();
  EXPECT_EQ(s.health, Health::kDown);
  EXPECT_EQ(s.last_error, "connection refused");
  EXPECT_EQ(s.last_scrape_ms, 2000);
}

TEST_F(ScrapeLoopTest, MalformedBodiesFailTheWholeScrape) {
  Scrape(1000, "a 1\nb{x=\"1\" 2\n");
  EXPECT_EQ(Last("up"), 0);
  EXPECT_TRUE(Read("a").empty());  // Rolled back.
  EXPECT_EQ(Loop().Status().last_error,
            "parse error: 2:9: expected \",\" or \"}\" after a label value, got \"2\"");
  Scrape(2000, "a{x=\"\xff\"} 1\n");
  EXPECT_EQ(Loop().Status().last_error, "invalid UTF-8 in the value of label \"x\"");
  Scrape(3000, "a 1\n# EOF\n", "application/openmetrics-text; version=1.0.0");
  EXPECT_EQ(Last("up"), 1);
}

TEST_F(ScrapeLoopTest, ExposedLabelsThatClashAreExported) {
  Scrape(1000, "a{job=\"exporter\",instance=\"x\"} 1\n");
  Read("a");
  EXPECT_EQ(last_labels_.Get("job"), "api");
  EXPECT_EQ(last_labels_.Get("exported_job"), "exporter");
  EXPECT_EQ(last_labels_.Get("exported_instance"), "x");
}

TEST_F(ScrapeLoopTest, HonorLabelsKeepsTheExposedOnes) {
  config_.honor_labels = true;
  Scrape(1000, "a{job=\"exporter\"} 1\n");
  Read("a");
  EXPECT_EQ(last_labels_.Get("job"), "exporter");
  EXPECT_EQ(last_labels_.Get("instance"), "10.0.0.1:8080");
  EXPECT_FALSE(last_labels_.Has("exported_job"));
}

TEST_F(ScrapeLoopTest, TimestampsHonouredOrNot) {
  Scrape(5000, "a 1 1234\n");
  EXPECT_EQ(Read("a"), (Samples{{1234, 1}}));
  config_.honor_timestamps = false;
  loop_.reset();
  Scrape(6000, "c 1 1234\n");
  EXPECT_EQ(Read("c"), (Samples{{6000, 1}}));
}

TEST_F(ScrapeLoopTest, MetricRelabelingDropsAndRewrites) {
  model::RelabelConfig drop;
  drop.source_labels = {"__name__"};
  drop.regex_text = "go_.*";
  drop.action = model::RelabelAction::kDrop;
  ASSERT_TRUE(drop.Validate().ok());
  model::RelabelConfig rename;
  rename.source_labels = {"__name__"};
  rename.regex_text = "old_(.*)";
  rename.target_label = "__name__";
  rename.replacement = "new_$1";
  ASSERT_TRUE(rename.Validate().ok());
  config_.metric_relabel_configs = {drop, rename};
  Scrape(1000, "go_threads 8\nold_requests 5\nkept 1\n");
  EXPECT_TRUE(Read("go_threads").empty());
  EXPECT_EQ(Read("new_requests"), (Samples{{1000, 5}}));
  EXPECT_EQ(Last("scrape_samples_scraped"), 3);
  EXPECT_EQ(Last("scrape_samples_post_metric_relabeling"), 2);
}

TEST_F(ScrapeLoopTest, SampleLimitFailsTheScrape) {
  config_.sample_limit = 2;
  Scrape(1000, "a 1\nb 1\n");
  EXPECT_EQ(Last("up"), 1);
  Scrape(2000, "a 1\nb 1\nc 1\n");
  EXPECT_EQ(Last("up"), 0);
  EXPECT_TRUE(Read("c").empty());
  EXPECT_EQ(Loop().Status().last_error, "sample limit exceeded: more than 2 samples");
  EXPECT_EQ(metrics_.exceeded_sample_limit.Value(), 1);
}

TEST_F(ScrapeLoopTest, OnlyABodyPastItsSizeLimitCountsAsOne) {
  // Recognised by the code alone: the message may say anything.
  Loop().Report(1000, 0.1, Status::Error("response too long", Status::Code::kBodyTooLarge));
  EXPECT_EQ(metrics_.exceeded_body_size_limit.Value(), 1);
  Loop().Report(2000, 0.1, Status::Error("body size: other", Status::Code::kLimitExceeded));
  EXPECT_EQ(metrics_.exceeded_body_size_limit.Value(), 1);
  EXPECT_EQ(metrics_.failed_scrapes.Value(), 2);
}

TEST_F(ScrapeLoopTest, LabelLimits) {
  config_.label_limit = 3;  // __name__, instance, job
  Scrape(1000, "a{x=\"1\"} 1\n");
  EXPECT_EQ(Last("up"), 0);
  EXPECT_NE(Loop().Status().last_error.find("label_limit exceeded"), std::string::npos);
  config_.label_limit = 0;
  config_.label_name_length_limit = 5;
  loop_.reset();
  Scrape(2000, "a{longname=\"1\"} 1\n");
  EXPECT_NE(Loop().Status().last_error.find("label_name_length_limit exceeded"), std::string::npos);
  config_.label_name_length_limit = 0;
  config_.label_value_length_limit = 3;
  loop_.reset();
  Scrape(3000, "a{x=\"long value\"} 1\n");
  EXPECT_NE(Loop().Status().last_error.find("label_value_length_limit exceeded"),
            std::string::npos);
}

TEST_F(ScrapeLoopTest, RejectedSamplesAreCountedNotFatal) {
  Scrape(1000, "a 1\na 2\n");  // The second is a duplicate timestamp with another value.
  EXPECT_EQ(Last("up"), 1);
  EXPECT_EQ(metrics_.duplicate_timestamp.Value(), 1);
  Scrape(2000, "b 1 500\n");
  Scrape(3000, "b 1 400\n");  // Older than what b has: out of order.
  EXPECT_EQ(Last("up"), 1);
  EXPECT_EQ(metrics_.out_of_order.Value(), 1);
}

TEST_F(ScrapeLoopTest, MarkStaleEndsEverySeries) {
  Scrape(1000, "a 1\n");
  Loop().MarkStale(1500);
  EXPECT_TRUE(storage::IsStaleNaN(Read("a").back().second));
  EXPECT_TRUE(storage::IsStaleNaN(Read("up").back().second));
  EXPECT_EQ(Read("up").back().first, 1500);
}

TEST(AlignedScrapeTimeTest, SnapsToTheSlotWithinTwoMilliseconds) {
  using std::chrono::milliseconds;
  EXPECT_EQ(AlignedScrapeTime(16'001, 1'000, milliseconds(15'000)), 16'000);
  EXPECT_EQ(AlignedScrapeTime(15'998, 1'000, milliseconds(15'000)), 16'000);
  EXPECT_EQ(AlignedScrapeTime(16'003, 1'000, milliseconds(15'000)), 16'003);
  EXPECT_EQ(AlignedScrapeTime(16'001, 0, milliseconds(15'000)), 16'001);  // The first scrape.
  EXPECT_EQ(AlignedScrapeTime(1'201, 1'000, milliseconds(200)), 1'201);   // Interval too short.
}

// A storage that forgets every series when told, as the TSDB drops series that had no samples for
// a while: refs it handed out before are unknown afterwards.
class ForgetfulStorage final : public storage::Appendable {
 public:
  explicit ForgetfulStorage(storage::Appendable& inner) : inner_(inner) {}
  void ForgetAll() { known_.clear(); }
  std::unique_ptr<storage::Appender> NewAppender() override {
    return std::make_unique<Appender>(*this, inner_.NewAppender());
  }

 private:
  class Appender final : public storage::Appender {
   public:
    Appender(ForgetfulStorage& s, std::unique_ptr<storage::Appender> inner)
        : s_(s), inner_(std::move(inner)) {}
    Result<storage::SeriesRef> Append(storage::SeriesRef ref, const model::Labels& labels,
                                      int64_t t, double v) override {
      if (ref != 0 && !s_.known_.contains(ref)) {
        if (labels.empty()) return argus::Status::Error("unknown", argus::Status::Code::kNotFound);
        ref = 0;
      }
      auto got = inner_->Append(ref, labels, t, v);
      if (got.ok()) s_.known_.insert(*got);
      return got;
    }
    argus::Status Commit() override { return inner_->Commit(); }
    void Rollback() override { inner_->Rollback(); }

   private:
    ForgetfulStorage& s_;
    std::unique_ptr<storage::Appender> inner_;
  };
  storage::Appendable& inner_;
  std::set<storage::SeriesRef> known_;
};

TEST_F(ScrapeLoopTest, SeriesTheStorageForgotAreDecodedAgain) {
  ForgetfulStorage forgetful(*storage_);
  auto target = PopulateLabels(model::Labels{{"__address__", "10.0.0.1:8080"}}, config_);
  ASSERT_TRUE(target.ok() && target->has_value());
  ScrapeLoop loop(**target, std::make_shared<const config::ScrapeConfig>(config_), forgetful,
                  metrics_);
  loop.Report(1000, 0.1, Fetched{"a 1\nb 1\n", "text/plain"});
  forgetful.ForgetAll();
  loop.Report(2000, 0.1, Fetched{"a 2\n", "text/plain"});
  EXPECT_EQ(Read("a"), (Samples{{1000, 1}, {2000, 2}}));
  // b vanished while forgotten: no marker is needed, and none is written under wrong labels.
  EXPECT_EQ(Read("b"), (Samples{{1000, 1}}));
  EXPECT_EQ(Last("up"), 1);
}

TEST_F(ScrapeLoopTest, KeepsTheMetadataLinesOfItsScrapes) {
  Scrape(1000,
         "# HELP http_requests_total Requests \\\\ served.\n# TYPE http_requests_total counter\n"
         "http_requests_total 1\n# TYPE temperature gauge\ntemperature 20\n");
  EXPECT_EQ(Loop().Metadata(),
            (std::vector<MetricMetadata>{
                {"http_requests_total", model::MetricType::kCounter, "Requests \\ served.", ""},
                {"temperature", model::MetricType::kGauge, "", ""}}));
  Scrape(2000,
         "# TYPE build info\n# TYPE build_seconds gauge\n# UNIT build_seconds seconds\n"
         "build_info 1\nbuild_seconds 3\n# EOF\n",
         "application/openmetrics-text; version=1.0.0");
  auto metadata = Loop().Metadata();
  ASSERT_EQ(metadata.size(), 4u);
  EXPECT_EQ(metadata[0], (MetricMetadata{"build", model::MetricType::kInfo, "", ""}));
  EXPECT_EQ(metadata[1],
            (MetricMetadata{"build_seconds", model::MetricType::kGauge, "", "seconds"}));
}

}  // namespace
}  // namespace argus::scrape
