#pragma once

// Helpers for the WAL's tests.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "tsdb/wal/reader.h"

namespace argus::tsdb::wal::wal_test {

// A fresh directory, removed by the destructor. It is made in /dev/shm where there is one: these
// tests check formats, repair and crashes, which page-cache semantics decide, and fsync there
// costs nothing, so that hundreds of repairs take seconds on a busy disk.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    std::filesystem::path base = "/dev/shm";
    if (!std::filesystem::is_directory(base, ec)) base = std::filesystem::temp_directory_path();
    path_ = base / ("argus-wal-test-" + std::to_string(std::random_device()()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Captures what is logged while it lives.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    sink->set_pattern("%v");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream out_;
};

struct ReadResult {
  std::vector<std::string> records;
  std::vector<Corruption> corruptions;
  Status status;
};

inline ReadResult ReadAll(Reader reader) {
  ReadResult result;
  while (reader.Next()) result.records.emplace_back(reader.record());
  result.corruptions.assign(reader.corruptions().begin(), reader.corruptions().end());
  result.status = reader.status();
  return result;
}

// Everything a restart would replay from `dir`.
inline ReadResult Replay(const std::filesystem::path& dir) {
  auto reader = Reader::ForReplay(dir);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  if (!reader.ok()) return {};
  return ReadAll(std::move(*reader));
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(content.data(), content.size());
}

// A record of `size` bytes whose content says which one it is: record n of a test.
inline std::string TestRecord(int n, size_t size = 20) {
  std::string r = "\x02record-" + std::to_string(n) + "-";
  while (r.size() < size) r += static_cast<char>('a' + (r.size() + n) % 26);
  r.resize(size);
  return r;
}

// Runs `f` in a forked child and returns what it returned, or why the child failed. For tests
// that change the process (resource limits, mount namespaces) or must not share its fate.
inline std::string RunInChild(const std::function<std::string()>& f) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    close(fds[0]);
    std::string result = f();
    for (size_t done = 0; done < result.size();) {
      ssize_t n = write(fds[1], result.data() + done, result.size() - done);
      if (n <= 0) _exit(2);
      done += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string result;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
    result.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "the child died: " + result;
  return result;
}

}  // namespace argus::tsdb::wal::wal_test
