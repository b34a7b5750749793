// The database under faults: kill -9 at random moments of ingestion, compaction and head
// snapshots, and a full disk.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "tsdb/db.h"
#include "tsdb/test_util.h"
#include "tsdb/wal/segments.h"

namespace argus::tsdb {
namespace {

using testing::ReadSeries;
using testing::Samples;
using testing::Series;

constexpr int64_t kMinute = 60 * 1000;
constexpr int kSeries = 20;
// Written to the pipe just before the child starts a head snapshot.
constexpr int64_t kSnapshotStarts = INT64_MIN;

double ValueOf(int64_t t, int series) { return static_cast<double>(t / kMinute) + series * 0.5; }

DbOptions Options() {
  DbOptions options;
  options.background_compaction = false;
  options.wal_segment_bytes = 64 << 10;  // Many segments, so checkpoints have work to do.
  return options;
}

// The child: appends one sample a minute to every series from `from` on, reporting each
// committed timestamp on `fd`, snapshots the head every 7 commits (saying so first) and compacts
// now and then (which snapshots too), until it is killed.
[[noreturn]] void AppendUntilKilled(const std::filesystem::path& dir, int64_t from, int fd) {
  auto db = Db::Open(dir, Options());
  if (!db.ok()) _exit(2);
  std::vector<storage::SeriesRef> refs(kSeries, 0);
  for (int64_t t = from;; t += kMinute) {
    auto app = (*db)->NewAppender();
    for (int s = 0; s < kSeries; ++s) {
      auto ref = app->Append(refs[s], refs[s] ? model::Labels() : Series("s" + std::to_string(s)),
                             t, ValueOf(t, s));
      if (!ref.ok()) _exit(3);
      refs[s] = *ref;
    }
    if (!app->Commit().ok()) _exit(4);
    if (write(fd, &t, sizeof(t)) != sizeof(t)) _exit(5);
    if ((t / kMinute) % 37 == 0 && !(*db)->Compact().ok()) _exit(6);
    if ((t / kMinute) % 7 == 0) {
      if (write(fd, &kSnapshotStarts, sizeof(t)) != sizeof(t)) _exit(5);
      if (!(*db)->Snapshot().ok()) _exit(7);
    }
  }
}

TEST(DbCrashTest, EveryCommittedSampleSurvivesKillNine) {
  std::filesystem::path dir = ::testing::TempDir() + "/db_crash_test_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::mt19937 rng(20261201);
  int64_t next = 0;
  int unfinished_snapshots = 0;
  for (int round = 0; round < 20; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      AppendUntilKilled(dir, next, fds[1]);
    }
    close(fds[1]);
    // Let it commit a random number of times (restarts with nothing new included), then kill it
    // wherever it is: appending, logging, writing a block or a snapshot; in odd rounds just as a
    // snapshot starts.
    int commits = std::uniform_int_distribution<int>(0, 400)(rng);
    int64_t committed = next - kMinute;
    int64_t t;
    for (int i = 0; i < commits && read(fds[0], &t, sizeof(t)) == sizeof(t);) {
      if (t != kSnapshotStarts) committed = t, ++i;
    }
    while (round % 2 == 1 && read(fds[0], &t, sizeof(t)) == sizeof(t) && t != kSnapshotStarts) {
      committed = t;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited with " << WEXITSTATUS(status);
    while (read(fds[0], &t, sizeof(t)) == sizeof(t)) {
      if (t != kSnapshotStarts) committed = t;
    }
    close(fds[0]);
    unfinished_snapshots += !wal::ListTemporaryCheckpoints(dir / "wal")->empty();

    auto db = Db::Open(dir, Options());
    ASSERT_TRUE(db.ok()) << db.status().message();
    for (int s = 0; s < kSeries; ++s) {
      Samples got = ReadSeries(**db, "s" + std::to_string(s));
      // Every minute from 0 on, each once: at least up to the last commit reported, and perhaps
      // one more that committed before the report was written.
      ASSERT_FALSE(got.empty()) << "round " << round;
      ASSERT_GE(got.back().first, committed) << "round " << round << " series " << s;
      ASSERT_LE(got.back().first, committed + kMinute) << "round " << round;
      ASSERT_EQ(got.size(), static_cast<size_t>(got.back().first / kMinute + 1))
          << "round " << round << " series " << s;
      for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].first, static_cast<int64_t>(i) * kMinute) << "round " << round;
        ASSERT_EQ(got[i].second, ValueOf(got[i].first, s)) << "round " << round;
      }
      next = got.back().first + kMinute;
    }
  }
  // How often a kill cut a snapshot short, leaving its .tmp (for the log; timing decides).
  std::printf("kill -9 20 times: %d during a snapshot write\n", unfinished_snapshots);
  std::filesystem::remove_all(dir);
}

// A small tmpfs to fill up; tests skip where the machine does not allow mounting one.
class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/db_full_disk_test_" + std::to_string(getpid());
    std::filesystem::create_directories(dir_);
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=2m") != 0) {
      std::filesystem::remove(dir_);
      GTEST_SKIP() << "cannot mount a 2 MiB tmpfs to fill up (" << std::strerror(errno)
                   << "); this test needs root";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) umount(dir_.c_str());
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  bool mounted_ = false;
};

TEST_F(FullDiskTest, AppendsFailClearlyAndResumeWhenSpaceIsFreed) {
  {  // Most of the space goes to a file that is deleted later.
    std::ofstream filler(dir_ / "filler", std::ios::binary);
    std::string block(1 << 20, 'x');
    filler.write(block.data(), block.size());
    filler.write(block.data(), (1 << 19) + (1 << 18));
  }
  MetricsRegistry registry;
  DbOptions options = Options();
  options.metrics = &registry;
  auto db = Db::Open(dir_ / "db", options);
  ASSERT_TRUE(db.ok()) << db.status().message();
  std::string long_value(200, 'v');
  int64_t t = 0;
  Status failed;
  for (; t < 100000 * kMinute; t += kMinute) {
    auto app = (*db)->NewAppender();
    for (int s = 0; s < 50; ++s) {
      model::Labels labels{
          {"__name__", "m"}, {"s", std::to_string(t / kMinute * 50 + s)}, {"long", long_value}};
      ASSERT_TRUE(app->Append(0, labels, t, 1).ok());
    }
    failed = app->Commit();
    if (!failed.ok()) break;
  }
  ASSERT_FALSE(failed.ok()) << "the disk never filled up";
  EXPECT_EQ(failed.code(), Status::Code::kIOError);
  EXPECT_NE(failed.message().find("No space left on device"), std::string::npos)
      << failed.message();
  std::string metrics;
  registry.Render(&metrics);
  EXPECT_NE(metrics.find("prometheus_tsdb_wal_writes_failed_total 1"), std::string::npos);
  const int64_t failed_at = t;

  std::filesystem::remove(dir_ / "filler");
  auto app = (*db)->NewAppender();
  ASSERT_TRUE(app->Append(0, model::Labels{{"__name__", "after"}}, t + kMinute, 2).ok());
  ASSERT_TRUE(app->Commit().ok());
  db->reset();

  options.metrics = nullptr;  // The first database registered its metrics there.
  auto reopened = Db::Open(dir_ / "db", options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  auto q = (*reopened)->NewQuerier(INT64_MIN, INT64_MAX);
  size_t series = testing::ReadAll(*q, testing::Eq("__name__", "m")).size();
  EXPECT_EQ(series, static_cast<size_t>(failed_at / kMinute * 50));  // All but the failed commit.
  EXPECT_EQ(ReadSeries(**reopened, "after"), (Samples{{failed_at + kMinute, 2}}));
}

}  // namespace
}  // namespace argus::tsdb
