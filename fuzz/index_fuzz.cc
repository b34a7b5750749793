// libFuzzer target for a block's index file: opening arbitrary bytes and reading everything an
// opened index offers never crashes. Each input is tried as it is and "resealed" (every section's
// CRC32C and the table of contents' made right), so that the fuzzer gets past the checksums to
// the decoding behind them. Seeds: fuzz/index_seeds/ (the small block of block_format_test).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/crc32c.h"
#include "base/encoding.h"
#include "tsdb/index/index_file.h"
#include "tsdb/index/postings_for_matchers.h"

namespace {

using namespace argus::tsdb;

constexpr size_t kMaxWalk = 2000;  // Ids, values and series read per input: keeps runs fast.

void PutCrc(std::string& file, uint64_t at, uint32_t crc) {
  std::string le;
  argus::encoding::PutFixed32(le, crc);
  file.replace(at, 4, le);
}

void Reseal(std::string& file) {
  if (file.size() < format::kHeaderSize + format::kTocSize) return;
  uint64_t toc = file.size() - format::kTocSize;
  auto bytes = reinterpret_cast<const uint8_t*>(file.data());
  for (size_t s = 0; s < format::kNumSections; ++s) {
    uint64_t offset = argus::encoding::LoadFixed64(bytes + toc + 16 * s);
    uint64_t length = argus::encoding::LoadFixed64(bytes + toc + 16 * s + 8);
    if (offset > toc || length > toc - offset || toc - offset - length < 4) continue;
    PutCrc(file, offset + length, argus::Crc32c(std::string_view(file).substr(offset, length)));
  }
  PutCrc(file, file.size() - 4,
         argus::Crc32c(std::string_view(file).substr(toc, format::kTocSize - 4)));
}

void Drain(Postings& p) {
  for (size_t n = 0; n < kMaxWalk && p.Next(); ++n) (void)p.At();
  (void)p.Err();
}

void ReadEverything(const IndexFile& index) {
  argus::model::LabelsBuilder labels;
  std::vector<ChunkMeta> chunks;
  for (SeriesId id = 0; id < index.num_series() && id < kMaxWalk; ++id) {
    (void)index.Series(id, labels, &chunks);
  }
  (void)index.Series(index.num_series(), labels, &chunks);
  auto all = index.AllPostings();
  Drain(*all);
  size_t visited = 0;
  auto names = index.LabelNames();
  for (const std::string& name : *names) {
    std::vector<std::string> values;
    (void)index.VisitLabelValues(name, {}, [&](std::string_view v) {
      values.emplace_back(v);
      return ++visited < kMaxWalk;
    });
    for (const std::string& v : values) {
      auto p = index.PostingsFor(name, v);
      if (p->Seek(3)) Drain(*p);
    }
    using argus::model::Matcher;
    std::vector<Matcher> matchers = {*Matcher::Make(Matcher::Type::kRegexMatch, name, "a.*"),
                                     *Matcher::Make(Matcher::Type::kNotEqual, name, "")};
    Drain(*PostingsForMatchers(index, matchers));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string file(reinterpret_cast<const char*>(data), size);
  for (int sealed = 0; sealed < 2; ++sealed) {
    if (sealed) Reseal(file);
    auto bytes = reinterpret_cast<const uint8_t*>(file.data());
    auto index = IndexFile::Open({bytes, file.size()}, "fuzz");
    if (index.ok()) ReadEverything(**index);
  }
  return 0;
}
