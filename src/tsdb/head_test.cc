#include "tsdb/head.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <thread>

#include "storage/querier.h"
#include "tsdb/test_util.h"

namespace argus::tsdb {
namespace {

using testing::HeadQueryable;
using testing::ReadSeries;
using testing::Samples;
using testing::Series;

constexpr int64_t kHour = 3600 * 1000;

TEST(HeadTest, CommitMakesVisibleRollbackDiscards) {
  Head head;
  HeadQueryable q(head);
  auto app = head.NewAppender();
  auto ref = app->Append(0, Series("up"), 1000, 1);
  ASSERT_TRUE(ref.ok()) << ref.status().message();
  EXPECT_TRUE(ReadSeries(q, "up").empty());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadSeries(q, "up"), (Samples{{1000, 1}}));

  app = head.NewAppender();
  ASSERT_TRUE(app->Append(*ref, model::Labels(), 2000, 0).ok());
  app->Rollback();
  EXPECT_EQ(ReadSeries(q, "up"), (Samples{{1000, 1}}));
  EXPECT_EQ(head.stats().samples_appended, 1u);
}

TEST(HeadTest, AppendsByRefAndKnowsUnknownRefs) {
  Head head;
  HeadQueryable q(head);
  auto app = head.NewAppender();
  auto ref = app->Append(0, Series("a"), 1000, 1);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(*app->Append(0, Series("a"), 2000, 2), *ref);  // Found by labels.
  EXPECT_EQ(*app->Append(*ref, model::Labels(), 3000, 3), *ref);
  EXPECT_EQ(app->Append(*ref + 7, model::Labels(), 4000, 4).status().code(),
            Status::Code::kNotFound);
  auto b = app->Append(*ref + 7, Series("b"), 4000, 4);  // Unknown ref, known labels.
  ASSERT_TRUE(b.ok());
  EXPECT_NE(*b, *ref);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadSeries(q, "a"), (Samples{{1000, 1}, {2000, 2}, {3000, 3}}));
  EXPECT_EQ(ReadSeries(q, "b"), (Samples{{4000, 4}}));
  EXPECT_EQ(head.NumSeries(), 2u);
}

TEST(HeadTest, RefusesOutOfOrderDuplicateAndOutOfBoundsSamples) {
  Head head;
  HeadQueryable q(head);
  auto app = head.NewAppender();
  auto ref = *app->Append(0, Series("a"), 10 * kHour, 1);
  ASSERT_TRUE(app->Commit().ok());
  app = head.NewAppender();
  EXPECT_EQ(app->Append(ref, {}, 10 * kHour - 1, 1).status().code(), Status::Code::kOutOfOrder);
  EXPECT_EQ(app->Append(ref, {}, 10 * kHour, 2).status().code(), Status::Code::kDuplicate);
  EXPECT_TRUE(app->Append(ref, {}, 10 * kHour, 1).ok());  // The same sample again is ignored.
  // More than half a block range behind the newest sample of any series.
  EXPECT_EQ(app->Append(0, Series("b"), 9 * kHour - 1, 1).status().code(),
            Status::Code::kOutOfBounds);
  EXPECT_TRUE(app->Append(ref, {}, 10 * kHour + 1, 3).ok());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadSeries(q, "a"), (Samples{{10 * kHour, 1}, {10 * kHour + 1, 3}}));
  EXPECT_EQ(head.stats().out_of_order_samples, 1u);
  EXPECT_EQ(head.stats().duplicate_samples, 1u);
  EXPECT_EQ(head.stats().out_of_bound_samples, 1u);
}

TEST(HeadTest, KeepsEveryFloatBitExact) {
  Head head;
  HeadQueryable q(head);
  const double values[] = {storage::StaleNaN(), std::nan("7"), -0.0, INFINITY,
                           -INFINITY,           4.9e-324,      0.1,  1e308};
  auto app = head.NewAppender();
  for (size_t i = 0; i < std::size(values); ++i) {
    ASSERT_TRUE(app->Append(0, Series("a"), 1000 * (i + 1), values[i]).ok());
  }
  ASSERT_TRUE(app->Commit().ok());
  Samples got = ReadSeries(q, "a");
  ASSERT_EQ(got.size(), std::size(values));
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(std::bit_cast<uint64_t>(got[i].second), std::bit_cast<uint64_t>(values[i])) << i;
  }
}

TEST(HeadTest, CutsChunksBySizeAndAtBlockBoundaries) {
  HeadOptions options;
  options.chunk_samples = 12;
  Head head(options);
  HeadQueryable q(head);
  Samples want;
  // 45 samples a minute apart from 1h30m: full chunks, and a chunk cut short at 2h.
  for (int i = 0; i < 45; ++i) {
    auto app = head.NewAppender();
    int64_t t = 90 * 60 * 1000 + i * 60 * 1000;
    ASSERT_TRUE(app->Append(0, Series("a"), t, i * 0.5).ok());
    ASSERT_TRUE(app->Commit().ok());
    want.emplace_back(t, i * 0.5);
  }
  EXPECT_EQ(ReadSeries(q, "a"), want);
  SeriesChunks chunks;
  ASSERT_TRUE(head.Chunks(1, INT64_MIN, INT64_MAX, &chunks));
  // 1h30..1h41, 1h42..1h53, 1h54..1h59 (cut at the boundary), 2h00..2h11, 2h12..2h14 open.
  ASSERT_EQ(chunks.sealed.size(), 4u);
  EXPECT_EQ(chunks.sealed[2]->max_time, 119 * 60 * 1000);
  EXPECT_EQ(chunks.sealed[3]->min_time, 120 * 60 * 1000);
  EXPECT_EQ(chunks.sealed[2]->num_samples, 6);
  EXPECT_EQ(chunks.open.num_samples(), 3);
  EXPECT_EQ(head.NumChunks(), 5u);
  // Reading a range within the chunks.
  Samples part = ReadSeries(q, "a", 100 * 60 * 1000, 121 * 60 * 1000);
  EXPECT_EQ(part.front().first, 100 * 60 * 1000);
  EXPECT_EQ(part.back().first, 121 * 60 * 1000);
  EXPECT_EQ(part.size(), 22u);
}

TEST(HeadTest, TruncateDropsOldChunksAndEmptySeries) {
  Head head;
  HeadQueryable q(head);
  auto app = head.NewAppender();
  auto old = *app->Append(0, Series("old"), 1 * kHour, 1);
  ASSERT_TRUE(app->Append(0, Series("both"), 1 * kHour, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  app = head.NewAppender();
  ASSERT_TRUE(app->Append(0, Series("both"), 2 * kHour + 1, 2).ok());
  ASSERT_TRUE(app->Commit().ok());
  head.ForEachSealedChunk(0, 2 * kHour, [](storage::SeriesRef, auto, auto) {});
  auto removed = head.Truncate(2 * kHour);
  EXPECT_EQ(removed, std::vector<storage::SeriesRef>{old});
  EXPECT_EQ(head.NumSeries(), 1u);
  EXPECT_EQ(head.MinTime(), 2 * kHour + 1);
  EXPECT_TRUE(ReadSeries(q, "old").empty());
  EXPECT_EQ(ReadSeries(q, "both"), (Samples{{2 * kHour + 1, 2}}));
  EXPECT_EQ(head.MinValidTime(), 2 * kHour);
  // The old series' ref is unknown now, and its labels make a new series.
  app = head.NewAppender();
  EXPECT_EQ(app->Append(old, {}, 2 * kHour + 2, 1).status().code(), Status::Code::kNotFound);
  EXPECT_NE(*app->Append(old, Series("old"), 2 * kHour + 2, 1), old);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadSeries(q, "old"), (Samples{{2 * kHour + 2, 1}}));
}

TEST(HeadTest, AnAppenderFromBeforeATruncationStillCommits) {
  Head head;
  HeadQueryable q(head);
  auto app = head.NewAppender();
  auto ref = *app->Append(0, Series("a"), 1 * kHour, 1);
  ASSERT_TRUE(app->Commit().ok());
  // A sample checked against the series before the truncation removes it ...
  auto late = head.NewAppender();
  ASSERT_TRUE(late->Append(ref, {}, 2 * kHour + 5, 5).ok());
  head.ForEachSealedChunk(0, 2 * kHour, [](storage::SeriesRef, auto, auto) {});
  EXPECT_EQ(head.Truncate(2 * kHour).size(), 1u);
  EXPECT_EQ(head.NumSeries(), 0u);
  // ... is committed all the same: the series comes back under its ref.
  ASSERT_TRUE(late->Commit().ok());
  EXPECT_EQ(ReadSeries(q, "a"), (Samples{{2 * kHour + 5, 5}}));
  SeriesChunks chunks;
  EXPECT_TRUE(head.Chunks(ref, INT64_MIN, INT64_MAX, &chunks));
  // Until the old appender is gone, nothing more is removed; then it is again.
  late.reset();
  head.ForEachSealedChunk(0, 4 * kHour, [](storage::SeriesRef, auto, auto) {});
  EXPECT_EQ(head.Truncate(4 * kHour).size(), 1u);
}

TEST(HeadTest, ConcurrentAppendersAndReaders) {
  Head head;
  HeadQueryable q(head);
  constexpr int kThreads = 4, kSeries = 50, kRounds = 200;
  std::vector<std::jthread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&head, w] {
      std::vector<storage::SeriesRef> refs(kSeries, 0);
      for (int r = 0; r < kRounds; ++r) {
        auto app = head.NewAppender();
        for (int s = 0; s < kSeries; ++s) {
          auto labels = Series("m", "w" + std::to_string(w) + "-" + std::to_string(s));
          auto ref = app->Append(refs[s], refs[s] ? model::Labels() : labels, r * 1000, r);
          ASSERT_TRUE(ref.ok()) << ref.status().message();
          refs[s] = *ref;
        }
        ASSERT_TRUE(app->Commit().ok());
      }
    });
  }
  threads.emplace_back([&q] {
    for (int i = 0; i < 50; ++i) {
      auto querier = q.NewQuerier(INT64_MIN, INT64_MAX);
      for (auto& [labels, samples] : testing::ReadAll(*querier, testing::Eq("__name__", "m"))) {
        for (size_t j = 1; j < samples.size(); ++j)
          ASSERT_LT(samples[j - 1].first, samples[j].first);
      }
    }
  });
  threads.clear();
  EXPECT_EQ(head.NumSeries(), static_cast<size_t>(kThreads * kSeries));
  EXPECT_EQ(head.stats().samples_appended, static_cast<uint64_t>(kThreads * kSeries * kRounds));
  auto querier = q.NewQuerier(INT64_MIN, INT64_MAX);
  for (auto& [labels, samples] : testing::ReadAll(*querier, testing::Eq("__name__", "m"))) {
    EXPECT_EQ(samples.size(), static_cast<size_t>(kRounds)) << labels.ToString();
  }
}

}  // namespace
}  // namespace argus::tsdb
