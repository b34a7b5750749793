#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/index_format.h"
#include "tsdb/index/index_reader.h"

namespace argus::tsdb {

// Reads an index file (docs/format/index.md) in place: nothing but the label names table is
// copied out of `bytes`, which must outlive the IndexFile. Every read is bounds-checked, so any
// bytes (a damaged file, a fuzzer's input) give kCorruption errors, never a crash. Internal to
// tsdb/index: BlockReader wraps it. Immutable and thread-safe.
class IndexFile final : public IndexReader {
 public:
  // The CRC32C of `length` bytes at `offset` of the file.
  using CrcFunction = std::function<Result<uint32_t>(uint64_t offset, uint64_t length)>;

  // Checks the header, the table of contents, each section's CRC32C (computed by `crc_of` when
  // given, else over `bytes`) and the sizes of the tables. `name` (the file's path) starts every
  // error message.
  static Result<std::unique_ptr<IndexFile>> Open(std::span<const uint8_t> bytes, std::string name,
                                                 const CrcFunction& crc_of = nullptr);

  uint64_t num_series() const { return num_series_; }

  // IndexReader.
  std::unique_ptr<Postings> PostingsFor(std::string_view name,
                                        std::string_view value) const override;
  std::unique_ptr<Postings> AllPostings() const override;
  Status VisitLabelValues(std::string_view name, const ValueRange& range,
                          absl::FunctionRef<bool(std::string_view)> visit) const override;
  Result<std::vector<std::string>> LabelNames() const override;
  Status SeriesLabels(SeriesId id, model::LabelsBuilder& builder) const override {
    return Series(id, builder, nullptr);
  }

  // `chunks` may be null when only the labels are wanted.
  Status Series(SeriesId id, model::LabelsBuilder& labels, std::vector<ChunkMeta>* chunks) const;

 private:
  struct Name {
    std::string_view name;
    uint32_t first_value;
    uint32_t num_values;
  };
  IndexFile(std::span<const uint8_t> bytes, std::string name) : bytes_(bytes), name_(name) {}
  Status CheckLayout(const CrcFunction& crc_of);
  Status ReadTables();
  Status Corrupt(format::Section section, uint64_t offset, std::string_view what) const;
  // The bytes of a section, without its CRC.
  std::span<const uint8_t> Section(format::Section s) const {
    return bytes_.subspan(section_offsets_[s], section_lengths_[s]);
  }
  bool Symbol(uint32_t id, std::string_view* out) const;
  const Name* FindName(std::string_view name) const;
  // The index of the first value entry of `name` that is >= `value`; kCorruption if a symbol
  // does not resolve.
  Result<uint32_t> LowerBound(const Name& name, std::string_view value) const;
  std::string_view ValueAt(uint32_t entry, bool* ok) const;

  std::span<const uint8_t> bytes_;
  std::string name_;
  uint64_t section_offsets_[format::kNumSections] = {};
  uint64_t section_lengths_[format::kNumSections] = {};
  uint64_t num_series_ = 0;
  uint32_t num_symbols_ = 0;
  uint64_t num_values_ = 0;
  std::vector<Name> names_;  // Sorted by name.
};

}  // namespace argus::tsdb
