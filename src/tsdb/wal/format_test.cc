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
template <typename Log>
void LogExample(Log& w) {
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

TEST(FormatTest, OutOfOrderSamplesRecordBytes) {
  std::string record;
  SamplesEncoder enc(&record, RecordType::kOutOfOrderSamples);
  enc.Add(1, 1000, 1.0);
  enc.Add(2, 1000, 0.5);
  // Type 4, then the entries exactly as in a samples record.
  EXPECT_EQ(Hex(record),
            "04"
            "02"
            "a11f"
            "02"
            "02"
            "00"
            "000000000000e03f");
  std::vector<RefSample> decoded;
  ASSERT_TRUE(DecodeSamples(record, &decoded).ok());
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_EQ(decoded[1].ref, 2u);
  EXPECT_EQ(decoded[1].t, 1000);
  EXPECT_EQ(decoded[1].v, 0.5);
  EXPECT_EQ(TypeOf(record), RecordType::kOutOfOrderSamples);
  // Other types are still refused.
  record[0] = static_cast<char>(RecordType::kChunks);
  EXPECT_FALSE(DecodeSamples(record, &decoded).ok());
}

TEST(FormatTest, ChunksRecordBytes) {
  std::string record;
  ChunksEncoder enc(&record);
  ChunkView sealed{1000, 2000, 2, "ab"};
  enc.Add(1, {&sealed, 1}, "\x01\x02\x03");
  enc.Add(3, {}, "");
  EXPECT_EQ(Hex(record),
            // Type 3.
            "03"
            // Series ref delta zigzag(1); one sealed chunk: min time zigzag(1000), span 1000,
            // 2 samples, 2 bytes "ab".
            "02"
            "01"
            "d00f"
            "e807"
            "02"
            "026162"
            // The open chunk's snapshot: 3 bytes (opaque to the WAL).
            "03010203"
            // Series ref delta zigzag(2); no sealed chunk, no open chunk.
            "04"
            "00"
            "00");
  DecodedChunks decoded;
  ASSERT_TRUE(DecodeChunks(record, &decoded).ok());
  ASSERT_EQ(decoded.series().size(), 2u);
  EXPECT_EQ(decoded.series()[0].ref, 1u);
  ASSERT_EQ(decoded.series()[0].sealed.size(), 1u);
  EXPECT_EQ(decoded.series()[0].sealed[0].max_time, 2000);
  EXPECT_EQ(decoded.series()[0].sealed[0].bytes, "ab");
  EXPECT_EQ(decoded.series()[0].open, "\x01\x02\x03");
  EXPECT_EQ(decoded.series()[1].ref, 3u);
  EXPECT_TRUE(decoded.series()[1].sealed.empty());
  // Every truncation but those at a series' end is refused.
  for (size_t n = 2; n < record.size(); ++n) {
    if (n == record.size() - 3) continue;
    EXPECT_FALSE(DecodeChunks(record.substr(0, n), &decoded).ok()) << n;
  }
}

TEST(FormatTest, DirectoryLayout) {
  wal_test::ScratchDir tmp;
  auto w = Writer::Open(tmp.path());
  ASSERT_TRUE(w.ok());
  LogExample(**w);
  ASSERT_TRUE((*w)->NextSegment().ok());
  auto checkpoint = CheckpointWriter::Create(tmp.path(), 0);
  ASSERT_TRUE(checkpoint.ok());
  LogExample(**checkpoint);
  ASSERT_TRUE((*checkpoint)->Finish().ok());
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp.path() / "00000001"));
  // The checkpoint is a directory of segments of the same format, holding the same records.
  EXPECT_EQ(wal_test::ReadFile(tmp.path() / "checkpoint.00000000" / "00000000"),
            wal_test::ReadFile(tmp.path() / "00000000"));
  EXPECT_EQ(SegmentName(12345678), "12345678");
  EXPECT_EQ(CheckpointName(42), "checkpoint.00000042");
}

}  // namespace
}  // namespace argus::tsdb::wal
