#include "tsdb/backfill.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tsdb/db.h"
#include "tsdb/test_util.h"

namespace argus::tsdb {
namespace {

using testing::ReadSeries;
using testing::Samples;
using testing::Series;

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

class BackfillTest : public testing::DbDirTest {
 protected:
  BackfillTest() : DbDirTest("backfill_test") {}

  // Appends `samples` to series "s" through `app` and commits.
  static void Append(storage::Appender& app, const Samples& samples) {
    for (const auto& [t, v] : samples) {
      auto appended = app.Append(0, Series("s"), t, v);
      EXPECT_TRUE(appended.ok()) << t << ": " << appended.status().message();
    }
    EXPECT_TRUE(app.Commit().ok());
  }

  // Backfills `samples` of series "s" into dir_; returns the blocks written.
  std::vector<std::shared_ptr<const BlockReader>> Backfill(const Samples& samples) {
    auto backfill = Backfill::Start(dir_);
    EXPECT_TRUE(backfill.ok()) << backfill.status().message();
    if (!backfill.ok()) return {};
    Append(*(*backfill)->NewAppender(), samples);
    auto blocks = (*backfill)->Commit();
    EXPECT_TRUE(blocks.ok()) << blocks.status().message();
    return blocks.ok() ? *blocks : std::vector<std::shared_ptr<const BlockReader>>{};
  }

  // Every file and directory under dir_, with the size of each file.
  std::map<std::string, uintmax_t> Listing() const {
    std::map<std::string, uintmax_t> out;
    if (!std::filesystem::exists(dir_)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_)) {
      out[std::filesystem::relative(e.path(), dir_).string()] =
          e.is_regular_file() ? e.file_size() : 0;
    }
    return out;
  }

  // One sample every `step` in [from, to), with the value t / step.
  static Samples Every(int64_t step, int64_t from, int64_t to) {
    Samples out;
    for (int64_t t = from; t < to; t += step) out.emplace_back(t, static_cast<double>(t / step));
    return out;
  }

  // `a` and `b` merged by time, each timestamp once (a's value wins).
  static Samples Union(const Samples& a, const Samples& b) {
    std::map<int64_t, double> merged(b.begin(), b.end());
    for (const auto& [t, v] : a) merged[t] = v;
    return Samples(merged.begin(), merged.end());
  }
};

TEST_F(BackfillTest, YesterdayIsWrittenBesideTodaysHeadAndBothAreServed) {
  const Samples today = Every(kMinute, 10 * kDay, 10 * kDay + 30 * kMinute);
  {
    auto db = Open();
    Append(*db->NewAppender(), today);
  }
  const Samples yesterday = Every(10 * kMinute, 9 * kDay, 10 * kDay);
  auto blocks = Backfill(yesterday);
  ASSERT_FALSE(blocks.empty());
  // Aligned to the block range, within yesterday, and compacted as the server would.
  uint64_t samples = 0;
  for (const auto& b : blocks) {
    EXPECT_EQ(b->meta().min_time % options_.block_range_ms, 0);
    EXPECT_GE(b->meta().min_time, 9 * kDay);
    EXPECT_LE(b->meta().max_time, 10 * kDay);
    EXPECT_EQ(b->dir().parent_path(), dir_);
    samples += b->meta().num_samples;
  }
  EXPECT_EQ(samples, yesterday.size());
  EXPECT_LT(blocks.size(), 12u);  // Not twelve 2h blocks: merged into larger ones.
  EXPECT_FALSE(std::filesystem::exists(dir_ / "backfill.tmp"));

  auto db = Open();
  EXPECT_EQ(ReadSeries(*db, "s"), Union(yesterday, today));
}

TEST_F(BackfillTest, OverlapsWithTheHeadAndEachOtherAreServedOnceAndCompactedVertically) {
  // The head holds [0, 1h) in its WAL; the backfill covers [30m, 3h) every 30s, so half its
  // samples share a timestamp (and value) with the head's, and its first block reaches past all
  // of the head's samples.
  const Samples head = Every(kMinute, 0, kHour);
  Samples backfill;
  for (int64_t t = 30 * kMinute; t < 3 * kHour; t += kMinute / 2) {
    backfill.emplace_back(t, static_cast<double>(t / kMinute));
  }
  {
    auto db = Open();
    Append(*db->NewAppender(), head);
  }
  auto first = Backfill(backfill);
  auto second = Backfill(backfill);
  ASSERT_EQ(first.size(), 2u);  // [0, 2h) and [2h, 4h).
  ASSERT_EQ(second.size(), 2u);
  const Samples want = Union(head, backfill);

  auto db = Open();
  EXPECT_EQ(ReadSeries(*db, "s"), want);  // The head's WAL samples were all replayed.
  EXPECT_EQ(db->Blocks().size(), 4u);
  // A query within one overlap, and one that starts between samples.
  EXPECT_EQ(ReadSeries(*db, "s", 50 * kMinute, 70 * kMinute),
            Samples(std::find(want.begin(), want.end(), std::make_pair(50 * kMinute, 50.0)),
                    std::find(want.begin(), want.end(), std::make_pair(70 * kMinute, 70.0)) + 1));

  ASSERT_TRUE(db->Compact().ok());
  // The two copies of each range became one block, each sample once.
  auto blocks = db->Blocks();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0]->meta().min_time, 0);
  EXPECT_EQ(blocks[0]->meta().max_time, 2 * kHour);
  EXPECT_EQ(blocks[0]->meta().num_samples, 180u);  // [30m, 2h) every 30s.
  EXPECT_EQ(blocks[0]->meta().compaction_level, 2);
  EXPECT_EQ(blocks[1]->meta().num_samples, 120u);  // [2h, 3h) every 30s.
  EXPECT_EQ(ReadSeries(*db, "s"), want);
  db.reset();
  EXPECT_EQ(ReadSeries(*Open(), "s"), want);
}

TEST_F(BackfillTest, AnAbandonedBackfillLeavesTheDirectoryAsItWas) {
  // A directory that did not exist is gone again.
  {
    auto backfill = Backfill::Start(dir_);
    ASSERT_TRUE(backfill.ok()) << backfill.status().message();
    Append(*(*backfill)->NewAppender(), Every(kMinute, 0, 3 * kHour));
    EXPECT_TRUE(std::filesystem::exists(dir_ / "lock"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_));

  // A database's directory keeps exactly what it had, its lock file included.
  {
    auto db = Open();
    Append(*db->NewAppender(), Every(kMinute, 0, 30 * kMinute));
  }
  const auto before = Listing();
  ASSERT_TRUE(before.count("lock"));
  {
    auto backfill = Backfill::Start(dir_);
    ASSERT_TRUE(backfill.ok()) << backfill.status().message();
    Append(*(*backfill)->NewAppender(), Every(kMinute, -kDay, 0));
  }
  EXPECT_EQ(Listing(), before);

  // An empty directory stays empty: the lock file the backfill made goes with it.
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  { ASSERT_TRUE(Backfill::Start(dir_).ok()); }
  EXPECT_TRUE(Listing().empty());
}

TEST_F(BackfillTest, ARunningDatabaseRefusesABackfillAndAStartingOneWaitsForIt) {
  {
    auto db = Open();
    auto refused = Backfill::Start(dir_);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), Status::Code::kIOError);
    EXPECT_NE(refused.status().message().find("in use"), std::string::npos);
  }
  auto backfill = Backfill::Start(dir_);
  ASSERT_TRUE(backfill.ok()) << backfill.status().message();
  auto db = Db::Open(dir_, options_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("in use"), std::string::npos);
}

TEST_F(BackfillTest, ADatabaseDeletesTheStagingDirectoryACrashLeft) {
  std::filesystem::create_directories(dir_ / "backfill.tmp" / "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  auto db = Open();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "backfill.tmp"));
}

}  // namespace
}  // namespace argus::tsdb
