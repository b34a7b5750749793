// kill -9 at random moments. A child process logs in a loop and reports through a pipe when it
// calls Log and when Log returns. The test kills it when a call returns, or while a large call's
// write(2) is under way (the WAL directory grows), or at once; then it checks that every call
// that returned reads back exactly and starts the next child on the same WAL, which repairs it
// and logs more.

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "tsdb/wal/reader.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

constexpr int kRuns = 30;
constexpr uint64_t kCallsPerRun = 1'000'000;
// What the child reports: the call's number, with this bit set once Log returned OK.
constexpr uint64_t kReturned = uint64_t{1} << 63;

using Call = std::pair<int, uint64_t>;  // Run, and the call's number in the run.

uint64_t CallId(Call call) {
  return static_cast<uint64_t>(call.first) * kCallsPerRun + call.second;
}

std::string Samples(uint64_t id, size_t n) {
  std::mt19937_64 rng(id);
  std::string out;
  SamplesEncoder samples(&out);
  for (size_t i = 0; i < n; ++i) {
    samples.Add(id + i, static_cast<int64_t>(id), std::bit_cast<double>(rng()));
  }
  return out;
}

// The two records of a call: a series record whose ref says which call it is, and samples:
// 60,000 of them (600 kB, whose write takes a while) for the run's large call, else up to
// 1,000.
std::pair<std::string, std::string> CallRecords(Call call, uint64_t large_call) {
  uint64_t id = CallId(call);
  std::pair<std::string, std::string> out;
  SeriesEncoder(&out.first)
      .Add(id, model::Labels{{"__name__", "crash_test"},
                             {"run", std::to_string(call.first)},
                             {"seq", std::to_string(call.second)}});
  out.second = Samples(id, call.second == large_call ? 60'000 : 1 + id % 1000);
  return out;
}

[[noreturn]] void ChildLogsForever(const std::filesystem::path& dir, int run, uint64_t large_call,
                                   int pipe_fd) {
  auto w = Writer::Open(dir, {.segment_size = 1 << 20});
  if (!w.ok()) _exit(3);
  for (uint64_t seq = 0;; ++seq) {
    auto [series, samples] = CallRecords({run, seq}, large_call);
    if (write(pipe_fd, &seq, sizeof seq) != sizeof seq) _exit(4);
    if (!(*w)->Log({series, samples}).ok()) _exit(5);
    uint64_t returned = seq | kReturned;
    if (write(pipe_fd, &returned, sizeof returned) != sizeof returned) _exit(6);
  }
}

bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

TEST(CrashTest, EveryReturnedLogSurvivesKill9) {
  const char* seed_env = std::getenv("ARGUS_WAL_CRASH_SEED");
  const uint32_t seed = seed_env ? static_cast<uint32_t>(std::atoll(seed_env)) : 20260101;
  SCOPED_TRACE(::testing::Message() << "ARGUS_WAL_CRASH_SEED=" << seed);
  std::mt19937 rng(seed);
  wal_test::ScratchDir tmp;
  std::vector<uint64_t> returned(kRuns, 0);    // Per run, how many Log calls returned.
  std::vector<uint64_t> large_call(kRuns, 0);  // Per run, which call was the large one.
  std::map<Call, std::pair<std::string, std::string>> expected;
  std::set<Call> cut_short;  // Calls a kill interrupted between their two frames.
  int torn_tails = 0;

  for (int run = 0; run < kRuns; ++run) {
    enum class Kill { kAtOnce, kWhenReturned, kWhileWriting } kill_at;
    uint32_t dice = rng() % 10;
    kill_at = dice == 0 ? Kill::kAtOnce : dice < 4 ? Kill::kWhenReturned : Kill::kWhileWriting;
    uint64_t target = rng() % 20;
    large_call[run] = target;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      ChildLogsForever(tmp.path(), run, target, fds[1]);
    }
    close(fds[1]);
    uint64_t message;
    auto note = [&] {
      if (message & kReturned) returned[run] = (message & ~kReturned) + 1;
    };
    // At once the child may be in the middle of repairing what the last one left.
    while (kill_at != Kill::kAtOnce && read(fds[0], &message, sizeof message) == sizeof message) {
      note();
      if (kill_at == Kill::kWhenReturned && message == (target | kReturned)) break;
      if (kill_at == Kill::kWhileWriting && message == target) {
        // The large call has started: wait until its bytes arrive, or it returns.
        uint64_t before = SizeBytes(tmp.path());
        while (SizeBytes(tmp.path()) <= before && !Readable(fds[0])) {
        }
        break;
      }
    }
    kill(pid, SIGKILL);
    int status;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child exited by itself with " << WEXITSTATUS(status);
    while (read(fds[0], &message, sizeof message) == sizeof message) note();
    close(fds[0]);

    auto reader = Reader::ForReplay(tmp.path());
    ASSERT_TRUE(reader.ok());
    std::map<int, uint64_t> found;  // Whole calls read back per run, each run's in order from 0.
    std::optional<Call> open_call;  // Its series record was read, its samples are to come.
    DecodedSeries series;
    while (reader->Next()) {
      std::string_view record = reader->record();
      if (TypeOf(record) == RecordType::kSamples) {
        ASSERT_TRUE(open_call.has_value()) << "samples without their series";
        ASSERT_EQ(record, expected.at(*open_call).second)
            << "run " << open_call->first << " call " << open_call->second;
        ++found[open_call->first];
        open_call.reset();
        continue;
      }
      if (open_call) cut_short.insert(*open_call);
      ASSERT_TRUE(DecodeSeries(record, &series).ok());
      ASSERT_EQ(series.size(), 1u);
      Call call(static_cast<int>(series.series()[0].ref / kCallsPerRun),
                series.series()[0].ref % kCallsPerRun);
      ASSERT_LE(call.first, run);
      ASSERT_EQ(call.second, found[call.first]) << "run " << call.first;
      auto it = expected.find(call);
      if (it == expected.end()) {
        it = expected.emplace(call, CallRecords(call, large_call[call.first])).first;
      }
      ASSERT_EQ(record, it->second.first);
      open_call = call;
    }
    ASSERT_TRUE(reader->status().ok()) << reader->status().message();
    // The WAL may end with half a call: this run's, or an earlier one's whose torn rest the next
    // child cut.
    if (open_call) cut_short.insert(*open_call);
    // The only damage a kill leaves is the write it interrupted, at the end of the WAL.
    auto damage = reader->corruptions();
    ASSERT_LE(damage.size(), 1u) << damage[1].ToString();
    if (!damage.empty()) {
      ASSERT_TRUE(damage[0].torn_tail) << damage[0].ToString();
      ++torn_tails;
    }
    for (int r = 0; r <= run; ++r) {
      // Every call that returned is there, and at most the one the kill interrupted besides,
      // whole or in part.
      EXPECT_GE(found[r], returned[r]) << "run " << r;
      EXPECT_LE(found[r], returned[r] + 1) << "run " << r;
    }
  }
  for (const Call& call : cut_short) {
    EXPECT_EQ(call.second, returned[call.first]) << "run " << call.first << " returned the call";
  }
  std::cout << "kill -9 " << kRuns << " times: " << torn_tails << " torn tails, "
            << cut_short.size() << " calls cut between their records\n";
}

}  // namespace
}  // namespace argus::tsdb::wal
