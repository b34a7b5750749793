#pragma once

// Test helpers for blocks: a temporary directory and a block written from series with made-up
// chunks.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tsdb/index/block_writer.h"

namespace argus::tsdb::testing {

// A fresh directory under the system's temporary directory, deleted with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "argus-index-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct TestSeries {
  model::Labels labels;
  std::vector<std::string> chunk_bytes;  // Chunk i covers [1000 * i, 1000 * i + 999].
};

// Gives each of `labels` (sorted) 0 to 3 chunks of 1 to 300 random bytes.
inline std::vector<TestSeries> WithChunks(const std::vector<model::Labels>& labels, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<TestSeries> out;
  for (const auto& l : labels) {
    TestSeries s{l, {}};
    for (size_t n = rng() % 4; n > 0; --n) {
      std::string bytes(1 + rng() % 300, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      s.chunk_bytes.push_back(std::move(bytes));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Writes `series` as block `ulid` under `parent` and returns its directory.
inline std::filesystem::path WriteBlock(const std::filesystem::path& parent, const Ulid& ulid,
                                        const std::vector<TestSeries>& series,
                                        BlockWriterOptions options = {}) {
  auto writer = BlockWriter::Create(parent, ulid, options);
  EXPECT_TRUE(writer.ok()) << writer.status().message();
  for (const auto& s : series) {
    std::vector<ChunkData> chunks;
    for (size_t i = 0; i < s.chunk_bytes.size(); ++i) {
      int64_t t = 1000 * static_cast<int64_t>(i);
      chunks.push_back({t, t + 999, s.chunk_bytes[i]});
    }
    Status status = (*writer)->AddSeries(s.labels, chunks);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  BlockMeta meta;
  meta.min_time = 0;
  meta.max_time = 4000;
  meta.num_samples = 120 * series.size();
  auto dir = (*writer)->Finish(meta);
  EXPECT_TRUE(dir.ok()) << dir.status().message();
  return dir.ok() ? *dir : std::filesystem::path();
}

}  // namespace argus::tsdb::testing
