#include <gtest/gtest.h>

#include <fstream>

#include "tsdb/index/block_reader.h"
#include "tsdb/index/block_test_util.h"
#include "tsdb/index/matcher_test_util.h"

namespace argus::tsdb {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class BlockCorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    series_ = testing::WithChunks(testing::MakeSeries(150, 9), 9);
    dir_ = testing::WriteBlock(tmp_.path(), Ulid::FromParts(7, {}), series_);
  }

  // Opens the block and expects kCorruption that names `file`.
  void ExpectCorrupt(const std::string& file, const std::string& what) {
    auto block = BlockReader::Open(dir_);
    ASSERT_FALSE(block.ok()) << what;
    EXPECT_EQ(block.status().code(), Status::Code::kCorruption) << what;
    EXPECT_NE(block.status().message().find(file), std::string::npos)
        << what << ": " << block.status().message();
  }

  testing::TempDir tmp_;
  std::vector<testing::TestSeries> series_;
  fs::path dir_;
};

// Every byte of the index is under a checksum or checked as part of the header: one flipped bit
// anywhere fails the open.
TEST_F(BlockCorruptionTest, BitFlipsInTheIndexFailTheOpen) {
  fs::path index = dir_ / "index";
  std::string good = ReadAll(index);
  for (size_t pos = 0; pos < good.size(); pos += pos < 16 || pos + 128 > good.size() ? 1 : 37) {
    std::string bad = good;
    bad[pos] = static_cast<char>(bad[pos] ^ (1 << (pos % 8)));
    WriteAll(index, bad);
    ExpectCorrupt("index", "bit flip at " + std::to_string(pos));
  }
  WriteAll(index, good);
  EXPECT_TRUE(BlockReader::Open(dir_).ok());
}

TEST_F(BlockCorruptionTest, TruncatedIndexFailsTheOpen) {
  fs::path index = dir_ / "index";
  std::string good = ReadAll(index);
  for (size_t size : {size_t{0}, size_t{5}, size_t{8}, size_t{107}, good.size() / 2,
                      good.size() - 101, good.size() - 1}) {
    WriteAll(index, good.substr(0, size));
    ExpectCorrupt("index", "truncated to " + std::to_string(size));
  }
  WriteAll(index, good + "x");  // Grown: the table of contents is no longer at the end.
  ExpectCorrupt("index", "one byte appended");
}

TEST_F(BlockCorruptionTest, BadMetaFailsTheOpen) {
  WriteAll(dir_ / "meta.json", "{\"ulid\": 3}");
  ExpectCorrupt("meta.json", "bad meta.json");
}

// A damaged chunk is found when it is read, and only that chunk fails.
TEST_F(BlockCorruptionTest, DamagedChunksFailTheirRead) {
  fs::path segment = dir_ / "chunks" / "000001";
  std::string good = ReadAll(segment);
  std::vector<ChunkRef> refs;
  {
    auto block = BlockReader::Open(dir_);
    ASSERT_TRUE(block.ok());
    model::LabelsBuilder labels;
    std::vector<ChunkMeta> chunks;
    for (SeriesId id = 0; id < series_.size(); ++id) {
      ASSERT_TRUE((*block)->Series(id, labels, chunks).ok());
      for (const auto& c : chunks) refs.push_back(c.ref);
    }
  }
  ASSERT_GT(refs.size(), 20u);
  for (size_t victim = 0; victim < refs.size(); victim += 7) {
    uint32_t offset = static_cast<uint32_t>(refs[victim]);
    for (uint32_t delta : {0u, 2u, 3u}) {  // The length, the data, the data.
      std::string bad = good;
      bad[offset + delta] = static_cast<char>(bad[offset + delta] ^ 0x10);
      WriteAll(segment, bad);
      auto reopened = BlockReader::Open(dir_);
      ASSERT_TRUE(reopened.ok()) << reopened.status().message();
      for (size_t i = 0; i < refs.size(); ++i) {
        auto bytes = (*reopened)->Chunk(refs[i]);
        if (i == victim) {
          ASSERT_EQ(bytes.status().code(), Status::Code::kCorruption);
          EXPECT_NE(bytes.status().message().find("000001: byte " + std::to_string(offset)),
                    std::string::npos)
              << bytes.status().message();
        } else if (delta != 0) {  // A bad length may also reach into the next record.
          EXPECT_TRUE(bytes.ok()) << i;
        }
      }
    }
  }
  WriteAll(segment, good.substr(0, good.size() - 3));
  auto truncated = BlockReader::Open(dir_);
  ASSERT_TRUE(truncated.ok());
  EXPECT_EQ((*truncated)->Chunk(refs.back()).status().code(), Status::Code::kCorruption);
  EXPECT_TRUE((*truncated)->Chunk(refs.front()).ok());
  EXPECT_EQ((*truncated)->Chunk(uint64_t{9} << 32 | 8).status().code(), Status::Code::kCorruption);
  EXPECT_EQ((*truncated)->Chunk(uint64_t{1} << 32 | 3).status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace argus::tsdb
