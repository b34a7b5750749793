// Writes that fail for want of space: each test runs in a child process, which may limit its file
// size or mount a small file system of its own without touching the test process.

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

#include "tsdb/wal/frame.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

using wal_test::Replay;
using wal_test::RunInChild;
using wal_test::TestRecord;

constexpr size_t kRecordSize = 300;

// Logs records until one fails; checks what a failure must leave behind, then calls make_room
// and checks that the writer goes on. Returns "" or what went wrong; `logged` gets the records
// that were logged.
std::string FillThenRecover(const std::filesystem::path& dir, const std::string& reason,
                            const std::function<void()>& make_room,
                            std::vector<std::string>* logged) {
  auto w = Writer::Open(dir, {.segment_size = 1 << 20});
  if (!w.ok()) return w.status().message();
  Status failed;
  for (int i = 0; i < 10000 && failed.ok(); ++i) {
    std::string r = TestRecord(i, kRecordSize);
    failed = (*w)->Log({r});
    if (failed.ok()) logged->push_back(r);
  }
  if (failed.ok()) return "no write failed";
  if (failed.code() != Status::Code::kIOError) return "not an I/O error: " + failed.message();
  if (failed.message().find(reason) == std::string::npos) return "no reason: " + failed.message();
  if (failed.message().find(SegmentPath(dir, 0).string()) == std::string::npos) {
    return "no segment named: " + failed.message();
  }
  // No partial frame stays behind.
  uint64_t size = std::filesystem::file_size(SegmentPath(dir, 0));
  if (size != logged->size() * (kFrameHeaderSize + kRecordSize)) {
    return fmt::format("{} bytes left for {} records", size, logged->size());
  }
  if (Status again = (*w)->Log({TestRecord(-1, kRecordSize)}); again.ok()) {
    return "a write succeeded without room";
  }
  if ((*w)->metrics().writes_failed.Value() != 2) return "failed writes not counted";
  make_room();
  std::string r = TestRecord(-2, kRecordSize);
  if (Status s = (*w)->Log({r}); !s.ok()) return "still failing: " + s.message();
  logged->push_back(r);
  if (Status s = (*w)->Close(); !s.ok()) return s.message();
  return "";
}

std::string CheckReadsBack(const std::filesystem::path& dir, const std::vector<std::string>& want) {
  auto got = Replay(dir);
  if (!got.corruptions.empty()) return "corrupt: " + got.corruptions[0].ToString();
  if (got.records != want)
    return fmt::format("read {} records, want {}", got.records.size(), want.size());
  return "";
}

TEST(FullDiskTest, FileSizeLimit) {
  wal_test::ScratchDir tmp;
  std::vector<std::string> logged;
  std::string result = RunInChild([&] {
    signal(SIGXFSZ, SIG_IGN);
    rlimit old;
    getrlimit(RLIMIT_FSIZE, &old);
    rlimit small = old;
    small.rlim_cur = 10000;  // Between two frames: the failing write lands in part.
    setrlimit(RLIMIT_FSIZE, &small);
    std::vector<std::string> records;
    std::string s = FillThenRecover(
        tmp.path(), "File too large", [&] { setrlimit(RLIMIT_FSIZE, &old); }, &records);
    return s.empty() ? std::to_string(records.size()) : s;
  });
  ASSERT_TRUE(std::all_of(result.begin(), result.end(), ::isdigit)) << result;
  // The child logged records 0 to n-2 and the one after making room.
  size_t n = std::stoul(result);
  for (size_t i = 0; i + 1 < n; ++i) logged.push_back(TestRecord(static_cast<int>(i), kRecordSize));
  logged.push_back(TestRecord(-2, kRecordSize));
  EXPECT_EQ(CheckReadsBack(tmp.path(), logged), "");
}

TEST(FullDiskTest, FileSystemFull) {
  wal_test::ScratchDir tmp;
  auto mnt = tmp.path() / "mnt";
  std::filesystem::create_directories(mnt);
  std::string result = RunInChild([&]() -> std::string {
    // A mount namespace of its own: the file system vanishes with the child.
    if (unshare(CLONE_NEWNS) != 0 ||
        mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=64k") != 0) {
      return std::string("SKIP: cannot mount a small tmpfs here: ") + std::strerror(errno);
    }
    // Space for the writer to get back: 16 KiB held by another file.
    wal_test::WriteFile(mnt / "ballast", std::string(16 << 10, 'x'));
    std::vector<std::string> records;
    std::string s = FillThenRecover(
        mnt / "wal", "No space left on device", [&] { std::filesystem::remove(mnt / "ballast"); },
        &records);
    if (s.empty()) s = CheckReadsBack(mnt / "wal", records);
    umount(mnt.c_str());
    return s;
  });
  if (result.starts_with("SKIP")) GTEST_SKIP() << result;
  EXPECT_EQ(result, "");
}

}  // namespace
}  // namespace argus::tsdb::wal
