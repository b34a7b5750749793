#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/file_io.h"
#include "tsdb/index/index_format.h"

namespace argus::tsdb {

// Writes a block's index file (docs/format/index.md). Series entries go to the file as they come;
// the symbols, the postings and the tables are kept in memory until Finish. Internal to
// tsdb/index; BlockWriter checks the order of what it passes on. Not thread-safe.
class IndexWriter {
 public:
  static Result<std::unique_ptr<IndexWriter>> Create(const std::filesystem::path& path);

  // Adds the next series (id = the number of series added before).
  Status AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks);
  // Writes the remaining sections and the table of contents, fsyncs and closes.
  Status Finish();

  uint64_t num_series() const { return series_offsets_.size(); }

 private:
  explicit IndexWriter(std::unique_ptr<FileWriter> file) : file_(std::move(file)) {}
  uint32_t Symbol(std::string_view s);
  Status WriteSymbols();
  Status WritePostingsAndTables();
  Status WriteToc();
  Status EndSection(size_t section);

  std::unique_ptr<FileWriter> file_;
  std::string entry_;  // Reused for each series entry.
  std::vector<uint64_t> series_offsets_;
  std::deque<std::string> symbols_;  // By id; a deque so that views into it stay valid.
  absl::flat_hash_map<std::string_view, uint32_t> symbol_ids_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> postings_;  // name << 32 | value.
  uint64_t section_offsets_[format::kNumSections] = {};
  uint64_t section_lengths_[format::kNumSections] = {};
};

}  // namespace argus::tsdb
