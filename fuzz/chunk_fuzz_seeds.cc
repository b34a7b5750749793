// Writes seeds for chunk_fuzz into the folder given as the only argument: for every synthetic
// shape, a sealed chunk (first byte odd) and the same samples as a sample list (first byte even,
// every value as its 8 bytes).

#include <cstdio>
#include <fstream>
#include <string>

#include "tsdb/chunkenc/bit_io.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/synthetic_series.h"

int main(int argc, char** argv) {
  using namespace argus::tsdb;
  if (argc != 2) {
    std::fprintf(stderr, "usage: chunk_fuzz_seeds FOLDER\n");
    return 2;
  }
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::ofstream(std::string(argv[1]) + "/" + name, std::ios::binary) << bytes;
  };
  for (SeriesShape shape : kAllShapes) {
    for (uint64_t seed = 0; seed < 3; ++seed) {
      SyntheticSeries s = GenerateSeries(shape, 60 * static_cast<int>(seed + 1), seed,
                                         seed == 2 ? Timestamps::kJittered : Timestamps::kAligned);
      std::string name = std::string(ShapeName(shape)) + "_" + std::to_string(seed);
      std::string chunk = "\x01";
      if (!EncodeChunk(s.t, s.v, &chunk).ok()) return 1;
      write(name + "_chunk", chunk);
      std::string samples(1, '\0');
      for (size_t i = 0; i < s.t.size(); ++i) {
        PutUvarint(static_cast<uint64_t>(i == 0 ? s.t[0] : s.t[i] - s.t[i - 1]), &samples);
        samples.push_back('\0');
        PutFixed64(std::bit_cast<uint64_t>(s.v[i]), &samples);
      }
      write(name + "_samples", samples);
    }
  }
  return 0;
}
