// Open chunk snapshots: a restored chunk holds the same samples, goes on appending exactly as the
// original would, and a damaged snapshot is refused with a reason instead of being served.

#include <gtest/gtest.h>

#include <limits>

#include "tsdb/chunkenc/chunk_testing.h"
#include "tsdb/chunkenc/open_chunk.h"
#include "tsdb/chunkenc/synthetic_series.h"

namespace argus::tsdb {
namespace {

std::string SnapshotOf(const OpenChunk& chunk) {
  std::string s;
  chunk.AppendSnapshot(&s);
  return s;
}

std::string SealOf(const OpenChunk& chunk) {
  std::string s;
  chunk.Seal(&s);
  return s;
}

// Restores the chunk of the first `cut` samples, then appends the rest to it and to the original
// (some of them make the chunk re-code itself): both must stay identical.
void ExpectRestoresAtEveryCut(std::string_view name, const std::vector<int64_t>& t,
                              const std::vector<double>& v) {
  for (size_t cut : {size_t{1}, size_t{2}, size_t{17}, t.size() / 2}) {
    OpenChunk original;
    for (size_t i = 0; i < cut; ++i) original.Append(t[i], v[i]);
    auto restored = OpenChunk::Restore(SnapshotOf(original));
    ASSERT_TRUE(restored.ok()) << name << ": " << restored.status().message();
    EXPECT_EQ(restored->num_samples(), original.num_samples());
    EXPECT_EQ(restored->min_time(), original.min_time());
    EXPECT_EQ(restored->max_time(), original.max_time());
    for (size_t i = cut; i < t.size(); ++i) {
      original.Append(t[i], v[i]);
      restored->Append(t[i], v[i]);
    }
    ASSERT_EQ(SnapshotOf(*restored), SnapshotOf(original)) << name << " cut " << cut;
    ASSERT_EQ(SealOf(*restored), SealOf(original)) << name << " cut " << cut;
    std::vector<int64_t> got_t;
    std::vector<double> got_v;
    restored->Decode(&got_t, &got_v);
    EXPECT_EQ(got_t, t) << name;
    EXPECT_TRUE(SameBits(v, got_v)) << name;
  }
}

TEST(OpenChunkSnapshotTest, RestoresEveryShapeAndAppendsOnAsTheOriginal) {
  for (Timestamps timestamps : {Timestamps::kAligned, Timestamps::kJittered}) {
    for (SeriesShape shape : kAllShapes) {
      SyntheticSeries series = GenerateSeries(shape, 240, 7, timestamps);
      ExpectRestoresAtEveryCut(ShapeName(shape), series.t, series.v);
    }
  }
}

OpenChunk Example() {
  OpenChunk chunk;
  for (int i = 0; i < 50; ++i) chunk.Append(1000 + i * 15000 + (i % 7 == 0 ? 3 : 0), i * 0.25);
  chunk.Append(2'000'000, std::numeric_limits<double>::quiet_NaN());
  return chunk;
}

TEST(OpenChunkSnapshotTest, RefusesEveryTruncationAndTrailingBytes) {
  std::string snapshot = SnapshotOf(Example());
  for (size_t n = 0; n < snapshot.size(); ++n) {
    auto restored = OpenChunk::Restore(snapshot.substr(0, n));
    ASSERT_FALSE(restored.ok()) << "cut at " << n;
    EXPECT_EQ(restored.status().code(), Status::Code::kCorruption);
  }
  EXPECT_FALSE(OpenChunk::Restore(snapshot + '\0').ok());
}

TEST(OpenChunkSnapshotTest, RefusesFieldsThatDisagreeWithTheStream) {
  const std::string snapshot = SnapshotOf(Example());
  // Byte 0 is the version; byte 1 the sample count (51, one byte).
  std::string bad = snapshot;
  bad[0] = 2;
  EXPECT_NE(OpenChunk::Restore(bad).status().message().find("unknown version 2"),
            std::string::npos);
  bad = snapshot;
  bad[1] = 50;  // One sample fewer than the stream holds.
  EXPECT_NE(OpenChunk::Restore(bad).status().message().find("not at the chunk's max time"),
            std::string::npos)
      << OpenChunk::Restore(bad).status().message();
  bad = snapshot;
  bad[1] = 52;  // One more than the stream holds.
  EXPECT_FALSE(OpenChunk::Restore(bad).ok());
  // Flipping any single bit of the stream or the fields is caught in most places; whatever is
  // not caught must still restore to a chunk that reads and appends without harm.
  int caught = 0;
  for (size_t bit = 0; bit < snapshot.size() * 8; ++bit) {
    bad = snapshot;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    auto restored = OpenChunk::Restore(bad);
    if (!restored.ok()) {
      EXPECT_EQ(restored.status().code(), Status::Code::kCorruption);
      ++caught;
      continue;
    }
    std::vector<int64_t> t;
    std::vector<double> v;
    restored->Decode(&t, &v);
    ASSERT_EQ(t.size(), 51u);
    restored->Append(restored->max_time() + 1, 1.5);
  }
  EXPECT_GT(caught, static_cast<int>(snapshot.size() * 8 * 3 / 4));
}

}  // namespace
}  // namespace argus::tsdb
