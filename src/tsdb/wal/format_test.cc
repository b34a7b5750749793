// Pins the bytes of a small WAL to the layout in docs/format/wal.md: a change to them is a change
// of the on-disk format, which the document and the readers of old WALs must follow.

#include <gtest/gtest.h>

#include "tsdb/wal/checkpoint.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

// The example of docs/format/wal.md.
void LogExample(Writer& w) {
  std::string series, samples;
  SeriesEncoder(&series).Add(1, model::Labels{{"__name__", "up"}, {"job", "a"}});
  SamplesEncoder enc(&samples);
  enc.Add(1, 1000, 1.0);
  enc.Add(2, 1000, 0.5);
  ASSERT_TRUE(w.Log({series, samples}).ok());
}

TEST(FormatTest, SegmentBytes) {
  wal_test::ScratchDir tmp;
  auto w = Writer::Open(tmp.path());
  ASSERT_TRUE(w.ok());
  LogExample(**w);
  EXPECT_EQ(Hex(wal_test::ReadFile(tmp.path() / "00000000")),
            // Frame 1: length 21, CRC32C of the record, CRC32C of those 8 bytes.
            "15000000"
            "e53e5b2d"
            "898d8966"
            // Series record: type 1, ref delta zigzag(1), 2 labels, "__name__"="up", "job"="a".
            "01"
            "02"
            "02"
            "085f5f6e616d655f5f"
            "027570"
            "036a6f62"
            "0161"
            // Frame 2: length 15.
            "0f000000"
            "35fda7b6"
            "93b19718"
            // Samples record: type 2;
            "02"
            // ref delta zigzag(1); t delta zigzag(1000)=2000 with the integral flag: 0xa1 0x1f;
            // the value 1 as zigzag(1).
            "02"
            "a11f"
            "02"
            // ref delta zigzag(1); t delta 0 without the flag; 0.5 as 8 little-endian bytes.
            "02"
            "00"
            "000000000000e03f");
}

TEST(FormatTest, DirectoryLayout) {
  wal_test::ScratchDir tmp;
  auto w = Writer::Open(tmp.path());
  ASSERT_TRUE(w.ok());
  LogExample(**w);
  ASSERT_TRUE((*w)->NextSegment().ok());
  ASSERT_TRUE(Checkpoint(
                  tmp.path(), 0, 0, [](uint64_t) { return true; }, 0)
                  .ok());
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp.path() / "00000001"));
  // The checkpoint is a directory of segments of the same format, holding the same records.
  EXPECT_EQ(wal_test::ReadFile(tmp.path() / "checkpoint.00000000" / "00000000"),
            wal_test::ReadFile(tmp.path() / "00000000"));
  EXPECT_EQ(SegmentName(12345678), "12345678");
  EXPECT_EQ(CheckpointName(42), "checkpoint.00000042");
}

}  // namespace
}  // namespace argus::tsdb::wal
