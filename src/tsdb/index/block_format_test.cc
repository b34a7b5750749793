// Pins the bytes of a small block, so that a change of the format (docs/format/index.md and
// docs/format/block.md) cannot go unnoticed. The structure is spelt out byte by byte; the
// CRC32Cs are computed over the spelt-out sections, which also pins what each one covers.

#include <gtest/gtest.h>

#include <fstream>

#include "base/crc32c.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/block_test_util.h"
#include "tsdb/index/block_writer.h"

namespace argus::tsdb {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out += static_cast<char>(b);
  return out;
}

std::string Le32(uint32_t v) {
  return Bytes({int(v & 0xff), int(v >> 8 & 0xff), int(v >> 16 & 0xff), int(v >> 24)});
}
std::string Le64(uint64_t v) {
  return Le32(static_cast<uint32_t>(v)) + Le32(static_cast<uint32_t>(v >> 32));
}
// A section followed by its checksum.
std::string Sealed(const std::string& section) { return section + Le32(Crc32c(section)); }

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(BlockFormatTest, PinnedBytes) {
  testing::TempDir tmp;
  Ulid ulid = *Ulid::Parse("01HGW2N7EHJ3N4WZ0K5B6Y2F3D");
  auto writer = BlockWriter::Create(tmp.path(), ulid);
  ASSERT_TRUE(writer.ok());
  const std::string first_bytes = Bytes({1, 2, 3});
  ChunkData first[] = {{1000, 2000, first_bytes}};
  ChunkData second[] = {{3000, 3500, "ab"}, {4000, 4100, "c"}};
  ASSERT_TRUE((*writer)->AddSeries({{"__name__", "up"}, {"job", "a"}}, first).ok());
  ASSERT_TRUE((*writer)->AddSeries({{"__name__", "up"}, {"job", "b"}}, second).ok());
  BlockMeta meta;
  meta.min_time = 1000;
  meta.max_time = 4101;
  meta.num_samples = 6;
  meta.compaction_sources = {ulid};
  auto dir = (*writer)->Finish(meta);
  ASSERT_TRUE(dir.ok()) << dir.status().message();

  std::string chunks = "ARGC" + Bytes({1, 0, 0, 0}) +                          // Header.
                       Bytes({3, 1, 2, 3}) + Le32(Crc32c(Bytes({1, 2, 3}))) +  // At 8.
                       Bytes({2}) + "ab" + Le32(Crc32c("ab")) +                // At 16.
                       Bytes({1}) + "c" + Le32(Crc32c("c"));                   // At 23.
  EXPECT_EQ(ReadAll(*dir / "chunks" / "000001"), chunks);

  // Symbols in first-seen order: 0 __name__, 1 up, 2 job, 3 a, 4 b.
  std::string series =
      // 2 labels (0, 1) (2, 3); 1 chunk: min 1000 (zig-zag 2000), ref 1<<32|8, max - min 1000.
      Bytes({2, 0, 1, 2, 3, 1, 0xd0, 0x0f, 0x88, 0x80, 0x80, 0x80, 0x10, 0xe8, 0x07}) +
      // 2 labels (0, 1) (2, 4); 2 chunks: 3000 (zig-zag 6000), ref 1<<32|16, 500; then
      // min - previous max 500 (zig-zag 1000), ref + 7, 100.
      Bytes({2, 0, 1, 2, 4, 2, 0xf0, 0x2e, 0x90, 0x80, 0x80, 0x80, 0x10, 0xf4, 0x03, 0xe8, 0x07, 7,
             100});
  std::string offsets = Le64(2) + Le64(0) + Le64(15);
  std::string symbols =
      Le32(5) + Le32(0) + Le32(8) + Le32(10) + Le32(13) + Le32(14) + Le32(15) + "__name__upjobab";
  std::string postings = Le32(2) + Le32(0) + Le32(1) +  // __name__="up" at 0.
                         Le32(1) + Le32(0) +            // job="a" at 12.
                         Le32(1) + Le32(1);             // job="b" at 20.
  std::string values = Le32(1) + Le64(0) + Le32(3) + Le64(12) + Le32(4) + Le64(20);
  std::string names = Le32(2) + Le32(0) + Le32(0) + Le32(1) + Le32(2) + Le32(1) + Le32(2);
  std::string toc = Le64(8) + Le64(34) + Le64(46) + Le64(24) + Le64(74) + Le64(43) + Le64(121) +
                    Le64(28) + Le64(153) + Le64(36) + Le64(193) + Le64(28);
  std::string index = "ARGI" + Bytes({1, 0, 0, 0}) + Sealed(series) + Sealed(offsets) +
                      Sealed(symbols) + Sealed(postings) + Sealed(values) + Sealed(names) +
                      Sealed(toc);
  EXPECT_EQ(ReadAll(*dir / "index"), index);

  EXPECT_EQ(ReadAll(*dir / "meta.json"),
            R"({"ulid":"01HGW2N7EHJ3N4WZ0K5B6Y2F3D","minTime":1000,"maxTime":4101,)"
            R"("stats":{"numSamples":6,"numSeries":2,"numChunks":3},"compaction":{"level":1,)"
            R"("sources":["01HGW2N7EHJ3N4WZ0K5B6Y2F3D"]},"version":1})"
            "\n");
}

}  // namespace
}  // namespace argus::tsdb
