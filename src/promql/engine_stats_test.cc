// The statistics of `stats=all`: the samples a query reads, step by step, the peak it holds, and
// the timings of its parts.

#include <gtest/gtest.h>

#include <atomic>

#include "promql/engine.h"
#include "storage/memory_storage.h"

namespace argus::promql {
namespace {

using model::Labels;

// A clock that moves 1 ms each time it is read, so that every timed part takes some time.
class TickingClock final : public Clock {
 public:
  time_point Now() const override {
    return time_point(std::chrono::seconds(1'700'000'000)) + std::chrono::milliseconds(ticks_++);
  }

 private:
  mutable std::atomic<int64_t> ticks_{0};
};

class EngineStatsTest : public ::testing::Test {
 protected:
  EngineStatsTest() {
    options_.clock = &clock_;
    // x{s="a"} every 10 s from 0 to 100 s; x{s="b"} from 50 s.
    auto app = storage_->NewAppender();
    for (int64_t t = 0; t <= 100'000; t += 10'000) {
      EXPECT_TRUE(app->Append(0, Labels{{"__name__", "x"}, {"s", "a"}}, t, 1).ok());
      if (t >= 50'000) {
        EXPECT_TRUE(app->Append(0, Labels{{"__name__", "x"}, {"s", "b"}}, t, 2).ok());
      }
    }
    EXPECT_TRUE(app->Commit().ok());
  }

  QueryStats Range(const std::string& q, int64_t start, int64_t end, int64_t step) {
    auto r = Engine(options_).RangeQuery(*storage_, q, start, end, step, StatsLevel::kPerStep);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().message();
    if (!r.ok() || !r->stats) return {};
    return *r->stats;
  }

  TickingClock clock_;
  EngineOptions options_;
  std::unique_ptr<storage::Storage> storage_ = storage::NewMemoryStorage();
};

TEST_F(EngineStatsTest, NothingIsGatheredUnlessAskedFor) {
  Engine engine(options_);
  auto r = engine.InstantQuery(*storage_, "x", 100'000);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->stats.has_value());
  r = engine.InstantQuery(*storage_, "x", 100'000, StatsLevel::kTotals);
  ASSERT_TRUE(r.ok() && r->stats.has_value());
  EXPECT_EQ(r->stats->total_queryable_samples, 2);
  EXPECT_TRUE(r->stats->samples_per_step.empty());  // Only stats=all has the steps.
}

TEST_F(EngineStatsTest, AVectorSelectorReadsOneSamplePerSeriesAndStep) {
  QueryStats s = Range("x", 0, 100'000, 20'000);
  // Steps 0, 20, 40 s see only x{s="a"}; 60, 80, 100 s both.
  EXPECT_EQ(s.samples_per_step, (std::vector<int64_t>{1, 1, 1, 2, 2, 2}));
  EXPECT_EQ(s.total_queryable_samples, 9);
  EXPECT_EQ(s.start_ms, 0);
  EXPECT_EQ(s.step_ms, 20'000);
}

TEST_F(EngineStatsTest, ARangeReadsTheSamplesOfEachStepsWindow) {
  // x{s="a"} over (t - 30 s, t]: one sample at 0 s, three at every later step.
  QueryStats s = Range("rate(x{s=\"a\"}[30s])", 0, 100'000, 20'000);
  EXPECT_EQ(s.samples_per_step, (std::vector<int64_t>{1, 3, 3, 3, 3, 3}));
  EXPECT_EQ(s.total_queryable_samples, 16);

  auto r = Engine(options_).InstantQuery(*storage_, "x[25s]", 100'000, StatsLevel::kPerStep);
  ASSERT_TRUE(r.ok() && r->stats.has_value());
  EXPECT_EQ(r->stats->samples_per_step, (std::vector<int64_t>{6}));  // 80, 90, 100 s of each.
  EXPECT_EQ(r->stats->start_ms, 100'000);
}

TEST_F(EngineStatsTest, WhatASubqueryReadsCountsAtTheLastStep) {
  // The subquery evaluates x{s="a"} every 10 s from -10 s to 100 s: eleven samples, counted at the
  // last step. Its own points are then read in each window (t - 20 s, t]: 0 s; 40, 50 s; 90, 100 s.
  QueryStats s = Range("max_over_time(x{s=\"a\"}[20s:10s])", 0, 100'000, 50'000);
  EXPECT_EQ(s.samples_per_step, (std::vector<int64_t>{1, 2, 2 + 11}));
  EXPECT_EQ(s.total_queryable_samples, 16);
}

TEST_F(EngineStatsTest, ThePeakIsWhatTheSampleLimitIsCheckedAgainst) {
  for (const char* q : {"x", "sum(x)", "rate(x[30s]) * 2", "max_over_time(x[20s:10s])"}) {
    QueryStats s = Range(q, 0, 100'000, 20'000);
    ASSERT_GT(s.peak_samples, 0) << q;
    options_.max_samples = s.peak_samples;
    EXPECT_TRUE(Engine(options_).RangeQuery(*storage_, q, 0, 100'000, 20'000).ok()) << q;
    options_.max_samples = s.peak_samples - 1;
    auto r = Engine(options_).RangeQuery(*storage_, q, 0, 100'000, 20'000);
    EXPECT_EQ(r.status().code(), Status::Code::kLimitExceeded) << q;
    options_.max_samples = EngineOptions().max_samples;
  }
}

TEST_F(EngineStatsTest, TimingsAddUpAsPrometheusReportsThem) {
  QueryStats s = Range("sum by (s) (x)", 0, 100'000, 20'000);
  EXPECT_GT(s.query_preparation_seconds, 0);
  EXPECT_GT(s.inner_eval_seconds, 0);
  EXPECT_GT(s.result_sort_seconds, 0);
  EXPECT_EQ(s.exec_queue_seconds, 0);  // Nothing waits for a turn.
  EXPECT_DOUBLE_EQ(s.eval_total_seconds,
                   s.query_preparation_seconds + s.inner_eval_seconds + s.result_sort_seconds);
  EXPECT_DOUBLE_EQ(s.exec_total_seconds, s.eval_total_seconds);

  auto r = Engine(options_).InstantQuery(*storage_, "x", 100'000, StatsLevel::kTotals);
  ASSERT_TRUE(r.ok() && r->stats.has_value());
  EXPECT_EQ(r->stats->result_sort_seconds, 0);  // An instant vector is not sorted.
  EXPECT_GT(r->stats->inner_eval_seconds, 0);
}

}  // namespace
}  // namespace argus::promql
