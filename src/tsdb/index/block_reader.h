#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tsdb/index/block_meta.h"
#include "tsdb/index/index_reader.h"

namespace argus::tsdb {

class IndexFile;
class MappedFile;

// Where a chunk lives in a block: the chunk segment file's number (1 for chunks/000001) in the
// upper 32 bits, the byte offset of the chunk's record in that file in the lower 32.
using ChunkRef = uint64_t;

// A chunk as the block's index lists it for a series.
struct ChunkMeta {
  int64_t min_time = 0;
  int64_t max_time = 0;
  ChunkRef ref = 0;
  bool operator==(const ChunkMeta&) const = default;
};

// An open block: its meta.json, its index and its chunk segments, memory-mapped. Open checks
// meta.json, the index' table of contents and the checksum of every index section (reading the
// files rather than touching the mapping, so that an open block costs little resident memory);
// chunks are checked when read. Errors are kCorruption (or kIOError) naming the file, the byte
// offset and what was wrong, so that the database can quarantine the block and go on.
//
// Immutable after Open and thread-safe. Postings, views and chunk bytes it returns point into the
// mappings and stay valid while the BlockReader lives.
class BlockReader final : public IndexReader {
 public:
  static Result<std::unique_ptr<BlockReader>> Open(const std::filesystem::path& dir);
  ~BlockReader() override;

  const BlockMeta& meta() const { return meta_; }
  const std::filesystem::path& dir() const { return dir_; }
  // The bytes of the block's files on disk, as found at Open (for size-based retention).
  uint64_t Size() const { return size_; }

  // The labels and the chunk list of series `id` (0 to num_series - 1, in label order).
  // kInvalidInput for an id out of range, kCorruption for a damaged entry.
  Status Series(SeriesId id, model::LabelsBuilder& labels, std::vector<ChunkMeta>& chunks) const;

  // The bytes of the chunk at `ref`, checked against its CRC32C: kCorruption with the segment
  // file and offset when they do not match or `ref` points nowhere.
  Result<std::string_view> Chunk(ChunkRef ref) const;

  // Gives back the resident pages of the block's mappings (MappedFile::ReleasePages), so that a
  // process holds in memory what its readers are reading, not all they ever read.
  void ReleasePages() const;

  // IndexReader.
  std::unique_ptr<Postings> PostingsFor(std::string_view name,
                                        std::string_view value) const override;
  std::unique_ptr<Postings> AllPostings() const override;
  Status VisitLabelValues(std::string_view name, const ValueRange& range,
                          absl::FunctionRef<bool(std::string_view)> visit) const override;
  Result<std::vector<std::string>> LabelNames() const override;
  Status SeriesLabels(SeriesId id, model::LabelsBuilder& builder) const override;

  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

 private:
  BlockReader() = default;

  std::filesystem::path dir_;
  BlockMeta meta_;
  uint64_t size_ = 0;
  std::unique_ptr<MappedFile> index_file_;
  std::unique_ptr<IndexFile> index_;                   // Reads index_file_'s mapping.
  std::vector<std::unique_ptr<MappedFile>> segments_;  // chunks/000001 is segments_[0].
};

}  // namespace argus::tsdb
