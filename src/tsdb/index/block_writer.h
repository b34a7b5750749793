#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/index/block_meta.h"
#include "tsdb/index/ulid.h"

namespace argus::tsdb {

// One chunk of a series as the writer takes it: the times of its first and last sample and its
// encoded bytes, which the block stores as they are.
struct ChunkData {
  int64_t min_time = 0;
  int64_t max_time = 0;
  std::string_view bytes;
};

struct BlockWriterOptions {
  // A chunk segment file is closed before it would grow past this (Prometheus' 512 MiB); a single
  // larger chunk gets a segment of its own.
  uint64_t max_segment_bytes = uint64_t{512} << 20;
};

// Writes one block (docs/format/block.md) into `<parent>/<ulid>.tmp`, and on Finish renames it
// to `<parent>/<ulid>`: a directory with a ULID name is always complete. A writer that is
// destroyed without a successful Finish deletes its temporary directory; after a crash the
// database deletes leftover `*.tmp` directories at start-up. Used by one thread at a time.
class BlockWriter {
 public:
  // Fails with kIOError when the temporary directory cannot be made (or already exists).
  static Result<std::unique_ptr<BlockWriter>> Create(const std::filesystem::path& parent,
                                                     const Ulid& ulid,
                                                     BlockWriterOptions options = {});
  ~BlockWriter();

  // Adds a series with its chunks. Series must come in strictly increasing label order
  // (model::Labels' operator<), with at least one label; chunks sorted by min_time, each with
  // min_time <= max_time. kInvalidInput when they are not (nothing is added), kIOError when a
  // write fails (the writer is then unusable and Finish fails too).
  Status AddSeries(const model::Labels& labels, std::span<const ChunkData> chunks);

  // Writes the index and meta.json, fsyncs every file and the directory, and renames it into
  // place. `meta` gives min_time, max_time, num_samples and compaction; the writer sets ulid,
  // num_series, num_chunks and version. Returns the block's directory.
  Result<std::filesystem::path> Finish(BlockMeta meta);

  BlockWriter(const BlockWriter&) = delete;
  BlockWriter& operator=(const BlockWriter&) = delete;

 private:
  class Impl;
  explicit BlockWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace argus::tsdb
