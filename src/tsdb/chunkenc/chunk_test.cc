#include "tsdb/chunkenc/chunk.h"

#include <gtest/gtest.h>

#include "tsdb/chunkenc/open_chunk.h"
#include "tsdb/chunkenc/synthetic_series.h"

namespace argus::tsdb {
namespace {

TEST(ChunkTest, Smoke) {
  for (SeriesShape shape : kAllShapes) {
    for (uint64_t seed = 0; seed < 20; ++seed) {
      SyntheticSeries s = GenerateSeries(shape, 480, seed);
      std::string chunk;
      ASSERT_TRUE(EncodeChunk(s.t, s.v, &chunk).ok());
      std::vector<int64_t> t;
      std::vector<double> v;
      Status st = DecodeChunk(chunk, &t, &v);
      ASSERT_TRUE(st.ok()) << st.message();
      ASSERT_EQ(t, s.t);
      for (size_t i = 0; i < v.size(); ++i) {
        ASSERT_EQ(std::bit_cast<uint64_t>(v[i]), std::bit_cast<uint64_t>(s.v[i])) << i;
      }
      OpenChunk open;
      for (size_t i = 0; i < s.t.size(); ++i) open.Append(s.t[i], s.v[i]);
      open.Decode(&t, &v);
      ASSERT_EQ(t, s.t);
      for (size_t i = 0; i < v.size(); ++i) {
        ASSERT_EQ(std::bit_cast<uint64_t>(v[i]), std::bit_cast<uint64_t>(s.v[i])) << i;
      }
      std::cout << ShapeName(shape) << " " << seed << " sealed " << chunk.size() * 1.0 / 480
                << " open " << open.MemoryBytes() * 1.0 / 480 << "\n";
    }
  }
}

}  // namespace
}  // namespace argus::tsdb
