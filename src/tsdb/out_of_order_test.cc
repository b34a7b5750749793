// The out-of-order window: late samples taken, served, made durable and compacted into blocks.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>

#include "tsdb/db.h"
#include "tsdb/test_util.h"

namespace argus::tsdb {
namespace {

using testing::ReadSeries;
using testing::Samples;
using testing::Series;

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;

class OutOfOrderTest : public testing::DbDirTest {
 protected:
  OutOfOrderTest() : DbDirTest("ooo_test") {}

  std::unique_ptr<Db> Open(int64_t window) {
    auto db = DbDirTest::Open();
    if (db) db->SetOutOfOrderWindow(window);
    return db;
  }

  // Appends one sample of series "s" in a transaction of its own; returns Append's status.
  Status Append(Db& db, int64_t t, double v) {
    auto app = db.NewAppender();
    auto appended = app->Append(0, Series("s"), t, v);
    if (!appended.ok()) return appended.status();
    return app->Commit();
  }

  // One sample a minute in [from, to], value t / kMinute; adds them to want_.
  void Fill(Db& db, int64_t from, int64_t to) {
    for (int64_t t = from; t <= to; t += kMinute) {
      ASSERT_TRUE(Append(db, t, static_cast<double>(t / kMinute)).ok()) << t;
      want_[t] = static_cast<double>(t / kMinute);
    }
  }

  // Appends a late sample that the window must take.
  void Late(Db& db, int64_t t, double v) {
    Status s = Append(db, t, v);
    ASSERT_TRUE(s.ok()) << t << ": " << s.message();
    want_.emplace(t, v);  // A timestamp the series had keeps its first value.
  }

  Samples Want() const { return Samples(want_.begin(), want_.end()); }

  std::map<int64_t, double> want_;
};

TEST_F(OutOfOrderTest, SamplesWithinTheWindowAreServedInOrderAndOlderOnesRefused) {
  auto db = Open(30 * kMinute);
  Fill(*db, 0, 60 * kMinute);
  Late(*db, 50 * kMinute + 1, -1);
  Late(*db, 45 * kMinute + 1, -2);
  Late(*db, 30 * kMinute, -3);  // Exactly the window behind: taken, but the head's 30 stays.
  // A second late sample at a taken timestamp is not served twice.
  ASSERT_TRUE(Append(*db, 45 * kMinute + 1, -4).ok());
  Status too_old = Append(*db, 30 * kMinute - 1, -5);
  EXPECT_EQ(too_old.code(), Status::Code::kOutOfBounds);
  EXPECT_NE(too_old.message().find("too old"), std::string::npos) << too_old.message();
  EXPECT_EQ(ReadSeries(*db, "s"), Want());
  // A query that starts and ends among late samples.
  EXPECT_EQ(ReadSeries(*db, "s", 45 * kMinute + 1, 50 * kMinute + 1),
            Samples(want_.find(45 * kMinute + 1), ++want_.find(50 * kMinute + 1)));
  const HeadStats& stats = db->head().stats();
  EXPECT_EQ(stats.too_old_samples.load(), 1u);
  EXPECT_EQ(stats.out_of_order_appended.load(), 3u);  // The repeat at 45m is not.
  EXPECT_EQ(stats.out_of_order_samples.load(), 0u);
  EXPECT_EQ(db->head().MinTime(), 0);

  // Closed again (a reload): refused and counted as before the window existed.
  db->SetOutOfOrderWindow(0);
  EXPECT_EQ(Append(*db, 55 * kMinute + 1, 1).code(), Status::Code::kOutOfOrder);
  EXPECT_EQ(stats.out_of_order_samples.load(), 1u);
  EXPECT_EQ(stats.too_old_samples.load(), 1u);
  EXPECT_EQ(ReadSeries(*db, "s"), Want());
}

TEST_F(OutOfOrderTest, LateSamplesSurviveARestartFromTheWalAndFromASnapshot) {
  {
    auto db = Open(kHour);
    Fill(*db, 0, 60 * kMinute);
    Late(*db, 10 * kMinute + 1, 7);
    Late(*db, 20 * kMinute + 1, 8);
  }
  {
    auto db = Open(0);  // Replayed whatever the window: they were taken once.
    EXPECT_EQ(ReadSeries(*db, "s"), Want());
    db->SetOutOfOrderWindow(kHour);
    Late(*db, 30 * kMinute + 1, 9);
    // The snapshot drops the segments that logged them: it must hold them itself.
    ASSERT_TRUE(db->Snapshot().ok());
    Late(*db, 40 * kMinute + 1, 10);  // And one logged after it.
  }
  auto db = Open(0);
  EXPECT_EQ(ReadSeries(*db, "s"), Want());
  EXPECT_EQ(db->head().stats().out_of_order_appended.load(), 4u);
}

TEST_F(OutOfOrderTest, LateSamplesGoIntoTheBlocksOfTheirRangeEachOnce) {
  auto db = Open(3 * kHour);
  Fill(*db, 0, 110 * kMinute);
  Late(*db, 30 * kMinute + 1, -1);  // In the head's range: cut with its chunks.
  Fill(*db, 111 * kMinute, 4 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  auto blocks = db->Blocks();
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0]->meta().max_time, 2 * kHour);
  EXPECT_EQ(blocks[0]->meta().num_samples, 121u);
  EXPECT_EQ(ReadSeries(*db, "s"), Want());

  // Older than the head now accepts in order, into a range a block holds: a block of its own,
  // which compaction merges with the one there.
  Late(*db, 60 * kMinute + 1, -2);
  Late(*db, 60 * kMinute, -3);  // The block's sample at 60m stays.
  EXPECT_EQ(ReadSeries(*db, "s"), Want());
  Fill(*db, 4 * kHour + kMinute, 5 * kHour + 30 * kMinute);
  ASSERT_TRUE(db->Compact().ok());
  blocks = db->Blocks();
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0]->meta().min_time, 0);
  EXPECT_EQ(blocks[0]->meta().max_time, 2 * kHour);
  EXPECT_EQ(blocks[0]->meta().num_samples, 122u);
  EXPECT_EQ(blocks[1]->meta().min_time, 2 * kHour);
  EXPECT_EQ(ReadSeries(*db, "s"), Want());
  db.reset();
  EXPECT_EQ(ReadSeries(*Open(0), "s"), Want());
}

TEST_F(OutOfOrderTest, AnEmptyHeadMeasuresTheWindowFromTheNewestBlock) {
  {
    auto db = Open(0);
    Fill(*db, 0, 4 * kHour);
    ASSERT_TRUE(db->FlushHead().ok());
    ASSERT_TRUE(db->Snapshot().ok());
  }
  auto db = Open(kHour);
  // The blocks end at 4h + 2h (the last is [4h, 6h)).
  EXPECT_EQ(Append(*db, 4 * kHour + 30 * kMinute, 1).code(), Status::Code::kOutOfBounds);
  Late(*db, 5 * kHour + 1, 2);
  EXPECT_EQ(ReadSeries(*db, "s"), Want());
}

// The child of the kill -9 test: commits, a minute apart, the sample of minute k with the late
// sample of minute k - 29.5 (from k = 30 on) in one transaction, reporting each k on `fd`;
// compacts every 37 minutes and snapshots every 7, until it is killed.
[[noreturn]] void AppendLateUntilKilled(const std::filesystem::path& dir, int64_t from, int fd) {
  DbOptions options;
  options.background_compaction = false;
  auto db = Db::Open(dir, options);
  if (!db.ok()) _exit(2);
  (*db)->SetOutOfOrderWindow(kHour);
  for (int64_t k = from;; ++k) {
    auto app = (*db)->NewAppender();
    if (!app->Append(0, Series("s"), k * kMinute, static_cast<double>(k)).ok()) _exit(3);
    if (k >= 30 &&
        !app->Append(0, Series("s"), k * kMinute - 29 * kMinute - kMinute / 2, -k).ok()) {
      _exit(4);
    }
    if (!app->Commit().ok()) _exit(5);
    if (write(fd, &k, sizeof(k)) != sizeof(k)) _exit(6);
    if (k % 37 == 0 && !(*db)->Compact().ok()) _exit(7);
    if (k % 7 == 0 && !(*db)->Snapshot().ok()) _exit(8);
  }
}

TEST_F(OutOfOrderTest, EveryCommittedLateSampleSurvivesKillNine) {
  std::mt19937 rng(20261207);
  int64_t next = 0;
  for (int round = 0; round < 10; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      AppendLateUntilKilled(dir_, next, fds[1]);
    }
    close(fds[1]);
    int commits = std::uniform_int_distribution<int>(0, 300)(rng);
    int64_t committed = next - 1, k = 0;
    for (int i = 0; i < commits && read(fds[0], &k, sizeof(k)) == sizeof(k); ++i) committed = k;
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status);
    while (read(fds[0], &k, sizeof(k)) == sizeof(k)) committed = k;
    close(fds[0]);

    // Every minute up to the last commit reported (or one more, committed before its report),
    // with the late samples of those minutes, each once.
    Samples got = ReadSeries(*Open(0), "s");
    ASSERT_FALSE(got.empty()) << "round " << round;
    const int64_t last = got.back().first / kMinute;
    ASSERT_GE(last, committed) << "round " << round;
    ASSERT_LE(last, committed + 1) << "round " << round;
    std::map<int64_t, double> want;
    for (int64_t m = 0; m <= last; ++m) {
      want[m * kMinute] = static_cast<double>(m);
      if (m >= 30) want[m * kMinute - 29 * kMinute - kMinute / 2] = static_cast<double>(-m);
    }
    ASSERT_EQ(got, Samples(want.begin(), want.end())) << "round " << round;
    next = last + 1;
  }
}

}  // namespace
}  // namespace argus::tsdb
