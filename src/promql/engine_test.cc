#include "promql/engine.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>

#include "storage/memory_storage.h"

namespace argus::promql {
namespace {

using model::Labels;

class EngineTest : public ::testing::Test {
 protected:
  void Add(const Labels& labels, int64_t t, double v) {
    auto app = storage_->NewAppender();
    ASSERT_TRUE(app->Append(0, labels, t, v).ok());
    ASSERT_TRUE(app->Commit().ok());
  }
  // One sample every `step` ms from `start`, values start, start+inc, ...
  void AddRun(const Labels& labels, int64_t start, int64_t step, int n, double v0, double inc) {
    auto app = storage_->NewAppender();
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(app->Append(0, labels, start + i * step, v0 + i * inc).ok());
    }
    ASSERT_TRUE(app->Commit().ok());
  }
  Vector Instant(const std::string& q, int64_t t) {
    auto r = engine_.InstantQuery(*storage_, q, t);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().message();
    if (!r.ok()) return {};
    EXPECT_TRUE(std::holds_alternative<Vector>(r->value)) << q;
    return std::holds_alternative<Vector>(r->value) ? std::get<Vector>(r->value) : Vector{};
  }

  std::unique_ptr<storage::Storage> storage_ = storage::NewMemoryStorage();
  Engine engine_;
};

TEST_F(EngineTest, InstantVectorCarriesTheEvaluationTime) {
  Add({{"__name__", "up"}, {"job", "a"}}, 10'000, 1);
  Vector v = Instant("up", 70'500);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].t, 70'500);
  EXPECT_EQ(v[0].v, 1);
  EXPECT_EQ(v[0].metric, (Labels{{"__name__", "up"}, {"job", "a"}}));
}

TEST_F(EngineTest, LookbackIsLeftOpenAndConfigurable) {
  Add({{"__name__", "x"}}, 0, 1);
  EXPECT_EQ(Instant("x", 299'999).size(), 1u);
  EXPECT_TRUE(Instant("x", 300'000).empty());  // (t - 5m, t] no longer holds the sample.
  EngineOptions options;
  options.lookback_delta_ms = 60'000;
  Engine short_lookback(options);
  auto r = short_lookback.InstantQuery(*storage_, "x", 90'000);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::get<Vector>(r->value).empty());
}

TEST_F(EngineTest, StalenessMarkerEndsASeries) {
  Add({{"__name__", "x"}}, 0, 1);
  Add({{"__name__", "x"}}, 30'000, storage::StaleNaN());
  EXPECT_EQ(Instant("x", 20'000).size(), 1u);
  EXPECT_TRUE(Instant("x", 40'000).empty());
  // A range selector drops the marker but keeps the earlier sample.
  EXPECT_EQ(Instant("count_over_time(x[1m])", 40'000)[0].v, 1);
}

TEST_F(EngineTest, RangeSelectorIsLeftOpen) {
  AddRun({{"__name__", "c_total"}}, 0, 10'000, 13, 0, 1);
  // (60s, 120s] holds the samples at 70s..120s: six of them.
  EXPECT_EQ(Instant("count_over_time(c_total[1m])", 120'000)[0].v, 6);
}

TEST_F(EngineTest, RangeQueryGivesSortedMatrixAtAlignedSteps) {
  AddRun({{"__name__", "m"}, {"i", "b"}}, 0, 15'000, 40, 0, 1);
  AddRun({{"__name__", "m"}, {"i", "a"}}, 0, 15'000, 40, 100, 1);
  auto r = engine_.RangeQuery(*storage_, "m * 2", 0, 120'000, 60'000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& m = std::get<Matrix>(r->value);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].metric, (Labels{{"i", "a"}}));  // Sorted; the name dropped by `*`.
  ASSERT_EQ(m[0].points.size(), 3u);
  EXPECT_EQ(m[0].points[2].t, 120'000);
  EXPECT_EQ(m[0].points[2].v, 2 * (100 + 8));
}

TEST_F(EngineTest, ScalarRangeQueryIsOneSeriesWithoutLabels) {
  auto r = engine_.RangeQuery(*storage_, "time()", 0, 10'000, 5'000);
  ASSERT_TRUE(r.ok());
  const auto& m = std::get<Matrix>(r->value);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_TRUE(m[0].metric.empty());
  EXPECT_EQ(m[0].points.size(), 3u);
  EXPECT_EQ(m[0].points[1].v, 5);
}

TEST_F(EngineTest, AggregationOverManySeriesMatchesEachSeries) {
  for (int i = 0; i < 50; ++i) {
    AddRun({{"__name__", "req_total"}, {"job", i % 2 ? "odd" : "even"}, {"i", std::to_string(i)}},
           0, 15'000, 100, i * 10.0, i + 1.0);
  }
  Vector sums = Instant("sum by (job) (rate(req_total[5m]))", 1'000'000);
  ASSERT_EQ(sums.size(), 2u);
  double odd = 0;
  for (const Sample& s : Instant("rate(req_total{job=\"odd\"}[5m])", 1'000'000)) odd += s.v;
  for (const Sample& s : sums) {
    if (s.metric.Get("job") == "odd") EXPECT_NEAR(s.v, odd, 1e-9);
  }
}

TEST_F(EngineTest, SeriesLoadedAheadOnWorkersGiveTheSameResults) {
  // Counters with resets, NaNs and staleness markers, so that every path of loading shows.
  for (int i = 0; i < 300; ++i) {
    Labels labels{
        {"__name__", "req_total"}, {"job", std::to_string(i % 7)}, {"i", std::to_string(i)}};
    auto app = storage_->NewAppender();
    for (int k = 0; k < 200; ++k) {
      double v = (k * (i + 1)) % (50 + i);
      if (k % 61 == i % 61) v = std::nan("");
      if (k == 150 && i % 5 == 0) v = storage::StaleNaN();
      ASSERT_TRUE(app->Append(0, labels, k * 15'000, v).ok());
    }
    ASSERT_TRUE(app->Commit().ok());
  }
  WorkerPool workers(3);
  EngineOptions options;
  options.workers = &workers;
  Engine parallel(options);
  for (const char* q :
       {"sum by (job) (rate(req_total[5m]))", "req_total", "absent_over_time(req_total[1m])",
        "topk(3, increase(req_total[2m]))", "count(req_total)"}) {
    auto serial_result = engine_.RangeQuery(*storage_, q, 0, 4'000'000, 30'000);
    auto parallel_result = parallel.RangeQuery(*storage_, q, 0, 4'000'000, 30'000);
    ASSERT_TRUE(serial_result.ok() && parallel_result.ok()) << q;
    const auto& a = std::get<Matrix>(serial_result->value);
    const auto& b = std::get<Matrix>(parallel_result->value);
    ASSERT_EQ(a.size(), b.size()) << q;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].metric, b[i].metric) << q;
      ASSERT_EQ(a[i].points.size(), b[i].points.size()) << q;
      for (size_t k = 0; k < a[i].points.size(); ++k) {
        EXPECT_EQ(a[i].points[k].t, b[i].points[k].t) << q;
        // Bit for bit, NaNs too.
        EXPECT_EQ(std::bit_cast<uint64_t>(a[i].points[k].v),
                  std::bit_cast<uint64_t>(b[i].points[k].v))
            << q;
      }
    }
    EXPECT_FALSE(a.empty()) << q;
  }
}

TEST_F(EngineTest, ParseErrorsAreInvalidInput) {
  auto r = engine_.InstantQuery(*storage_, "sum(", 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(r.status().message(), "1:5: parse error: unclosed left parenthesis");
}

TEST_F(EngineTest, RangeQueryRejectsStringsAndRangeVectors) {
  auto r = engine_.RangeQuery(*storage_, "x[5m]", 0, 60'000, 1'000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(r.status().message(),
            "invalid expression type \"range vector\" for range query, must be Scalar or instant "
            "Vector");
  EXPECT_FALSE(engine_.RangeQuery(*storage_, "1", 0, 60'000, 0).ok());
}

TEST_F(EngineTest, InstantRangeVectorIsAMatrix) {
  AddRun({{"__name__", "g"}}, 0, 10'000, 10, 0, 1);
  auto r = engine_.InstantQuery(*storage_, "g[30s]", 90'000);
  ASSERT_TRUE(r.ok());
  const auto& m = std::get<Matrix>(r->value);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].points.size(), 3u);  // 70s, 80s, 90s.
  EXPECT_EQ(m[0].points[0].t, 70'000);
}

TEST_F(EngineTest, TooManySamplesIsLimitExceeded) {
  for (int i = 0; i < 20; ++i)
    AddRun({{"__name__", "big"}, {"i", std::to_string(i)}}, 0, 1'000, 100, 0, 1);
  EngineOptions options;
  options.max_samples = 500;
  Engine limited(options);
  auto r = limited.InstantQuery(*storage_, "sum(big)", 99'000);
  EXPECT_TRUE(r.ok());  // One sample per series at a time.
  r = limited.InstantQuery(*storage_, "big[100s]", 99'000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kLimitExceeded);
  EXPECT_EQ(r.status().message(),
            "query processing would load too many samples into memory in query execution");
}

// A range query holds each series' value per step and then the result's points: 10 series over
// 100 steps hold 2 x 10 x 100 samples at the peak, so that limit passes and one less fails.
TEST_F(EngineTest, RangeQueryCountsItsValuesAndResultAgainstTheLimit) {
  for (int i = 0; i < 10; ++i) {
    AddRun({{"__name__", "x"}, {"i", std::to_string(i)}}, 0, 1'000, 100, 0, 1);
  }
  auto run = [&](int64_t limit, const std::string& query) {
    EngineOptions options;
    options.max_samples = limit;
    return Engine(options).RangeQuery(*storage_, query, 0, 99'000, 1'000);
  };
  auto at_limit = run(2'000, "x");
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().message();
  EXPECT_EQ(std::get<Matrix>(at_limit->value).size(), 10u);
  auto over = run(1'999, "x");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), Status::Code::kLimitExceeded);
  // topk holds its input and a copy to select from, 1,000 each.
  EXPECT_TRUE(run(2'000, "topk(3, x)").ok());
  auto topk_over = run(1'999, "topk(3, x)");
  ASSERT_FALSE(topk_over.ok());
  EXPECT_EQ(topk_over.status().code(), Status::Code::kLimitExceeded);
}

// An aggregation holds a row of accumulators per group, not its input series.
TEST_F(EngineTest, AggregationHoldsItsGroupsNotItsInput) {
  for (int i = 0; i < 100; ++i) {
    AddRun({{"__name__", "x"}, {"i", std::to_string(i)}}, 0, 1'000, 100, 0, 1);
  }
  EngineOptions options;
  options.max_samples = 1'000;  // A tenth of the input's values per step.
  auto r = Engine(options).RangeQuery(*storage_, "sum(x)", 0, 99'000, 1'000);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(std::get<Matrix>(r->value)[0].points.back().v, 100 * 99);
  auto by_series = Engine(options).RangeQuery(*storage_, "sum by (i) (x)", 0, 99'000, 1'000);
  ASSERT_FALSE(by_series.ok());
  EXPECT_EQ(by_series.status().code(), Status::Code::kLimitExceeded);
}

TEST_F(EngineTest, HugeSubqueriesAndTimesAreRefusedNotAllocated) {
  Add({{"__name__", "x"}}, 0, 1);
  auto r = engine_.InstantQuery(*storage_, "max_over_time(x[100y:1ms])", 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kLimitExceeded);
  r = engine_.RangeQuery(*storage_, "x", 0, int64_t{1} << 62, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(Instant(R"(count_values((("v")), x))", 0).size(), 1u);
}

// Storage that takes a minute of the manual clock for every Select.
class SlowQueryable final : public storage::Queryable {
 public:
  SlowQueryable(storage::Queryable& inner, ManualClock& clock) : inner_(inner), clock_(clock) {}
  std::unique_ptr<storage::Querier> NewQuerier(int64_t mint, int64_t maxt) override {
    class SlowQuerier final : public storage::Querier {
     public:
      SlowQuerier(std::unique_ptr<storage::Querier> q, ManualClock& c) : q_(std::move(q)), c_(c) {}
      std::unique_ptr<storage::SeriesSet> Select(std::span<const model::Matcher> m) override {
        c_.Advance(std::chrono::minutes(1));
        return q_->Select(m);
      }
      Result<std::vector<std::string>> LabelNames(std::span<const model::Matcher> m) override {
        return q_->LabelNames(m);
      }
      Result<std::vector<std::string>> LabelValues(const std::string& n,
                                                   std::span<const model::Matcher> m) override {
        return q_->LabelValues(n, m);
      }

     private:
      std::unique_ptr<storage::Querier> q_;
      ManualClock& c_;
    };
    return std::make_unique<SlowQuerier>(inner_.NewQuerier(mint, maxt), clock_);
  }

 private:
  storage::Queryable& inner_;
  ManualClock& clock_;
};

TEST_F(EngineTest, QueryPastTheTimeoutStops) {
  Add({{"__name__", "x"}}, 0, 1);
  ManualClock clock;
  SlowQueryable slow(*storage_, clock);
  EngineOptions options;
  options.clock = &clock;
  options.timeout = std::chrono::seconds(90);
  Engine engine(options);
  EXPECT_TRUE(engine.InstantQuery(slow, "x", 0).ok());  // One Select: a minute.
  auto r = engine.InstantQuery(slow, "x + x + x", 0);   // Three: past the deadline.
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTimeout);
  EXPECT_EQ(r.status().message(), "query timed out in expression evaluation");
}

TEST_F(EngineTest, RateOfNonCounterGivesAnInfoWithPosition) {
  AddRun({{"__name__", "temperature"}}, 0, 15'000, 30, 10, 1);
  auto r = engine_.InstantQuery(*storage_, "sum(rate(temperature[5m]))", 400'000);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->infos.size(), 1u);
  EXPECT_EQ(r->infos[0],
            "PromQL info: metric might not be a counter, name does not end in "
            "_total/_sum/_count/_bucket: \"temperature\" (1:10)");
  EXPECT_TRUE(r->warnings.empty());
}

TEST_F(EngineTest, MatchingErrors) {
  Add({{"__name__", "a"}, {"x", "1"}, {"y", "1"}}, 0, 1);
  Add({{"__name__", "a"}, {"x", "1"}, {"y", "2"}}, 0, 2);
  Add({{"__name__", "b"}, {"x", "1"}}, 0, 3);
  auto r = engine_.InstantQuery(*storage_, "b + on(x) a", 0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kError);
  EXPECT_EQ(r.status().message(),
            "found duplicate series for the match group {x=\"1\"} on the right hand-side of the "
            "operation: [{__name__=\"a\", x=\"1\", y=\"1\"}, {__name__=\"a\", x=\"1\", "
            "y=\"2\"}];many-to-many matching not allowed: matching labels must be unique on one "
            "side");
  Vector joined = Instant("a * on(x) group_left b", 0);
  ASSERT_EQ(joined.size(), 2u);
  Add({{"__name__", "c"}, {"x", "1"}, {"y", "1"}}, 0, 4);
  // abs() drops the names, so a{x="1",y="1"} and c{x="1",y="1"} collide.
  auto dup = engine_.InstantQuery(*storage_, "abs({__name__=~\"a|c\"})", 0);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "vector cannot contain metrics with the same labelset");
}

TEST(ParseApiTest, FormatAndJsonAndSelectors) {
  auto f = FormatQuery("sum(rate(x[5m]))by(job)");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, "sum by (job) (rate(x[5m]))");
  auto j = ParseQueryToJson("1");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*j, R"({"type":"numberLiteral","val":"1"})");
  auto m = ParseMetricSelector(R"({__name__=~"node_.+"})");
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 1u);
  EXPECT_EQ((*m)[0].type(), model::Matcher::Type::kRegexMatch);
  auto bad = FormatQuery("sum(");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidInput);
}

TEST(ParseApiTest, ExtractSelectorsFindsInstantAndRangeSelectorsInOrder) {
  auto s = ExtractSelectors(R"(rate(a{job="x"}[5m]) + on() max_over_time(b[1h:]) * 2)");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->size(), 2u);
  ASSERT_EQ((*s)[0].size(), 2u);
  EXPECT_EQ((*s)[0][0].name(), "job");
  EXPECT_EQ((*s)[0][1].value(), "a");
  ASSERT_EQ((*s)[1].size(), 1u);
  EXPECT_EQ((*s)[1][0].value(), "b");
  auto none = ExtractSelectors("1 + time()");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto bad = ExtractSelectors("up{");
  EXPECT_EQ(bad.status().message(), "1:4: parse error: unexpected end of input inside braces");
}

}  // namespace
}  // namespace argus::promql
