#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace argus::tsdb::wal {

class SegmentReader;

// Damage found while reading: what could not be read, where, and how much was lost.
struct Corruption {
  std::filesystem::path segment;
  uint64_t offset = 0;      // Of the first byte not read as a record.
  uint64_t lost_bytes = 0;  // From offset on.
  // The last file read ended inside a frame: a write was interrupted (a crash), nothing was
  // damaged after the fact. Every other corruption is damage.
  bool torn_tail = false;
  std::string what;
  // "segment=<path> offset=<n> lost_bytes=<n> torn_tail=<bool> what=\"...\"", for a log line.
  std::string ToString() const;
};

// Reads the records of a list of segment files in order. A restart replays
// ForReplay(dir); a checkpoint reads the previous checkpoint and the segments it covers.
//
// Damage does not stop reading. A damaged record is reported and skipped; a damaged frame header
// is reported and the rest of its segment skipped, reading on with the next segment. The last
// file may end inside a frame (the write a crash interrupted): that ends reading cleanly and is
// reported as a torn tail; in any other file it is damage.
//
// Not thread-safe; one reader per thread. The segments must not be truncated while read.
class Reader {
 public:
  explicit Reader(std::vector<std::filesystem::path> segments);
  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  // What a restart replays: the segments of the newest checkpoint in `dir`, then every segment of
  // `dir` after it. Segments missing from that sequence are reported as corruptions.
  static Result<Reader> ForReplay(const std::filesystem::path& dir);

  // Moves to the next record; false at the end, or when an I/O error stopped reading (status()).
  bool Next();
  // The current record (its first byte is its RecordType). Valid until the next call of Next().
  std::string_view record() const { return record_; }
  // Where the current record's frame starts.
  const std::filesystem::path& segment() const;
  uint64_t offset() const { return offset_; }

  // The damage found so far, in the order found.
  std::span<const Corruption> corruptions() const { return corruptions_; }
  // OK, or the I/O error (a segment that cannot be opened or read) that ended reading early.
  const Status& status() const { return status_; }

 private:
  void Report(bool torn_tail);

  std::vector<std::filesystem::path> segments_;
  size_t next_segment_ = 0;
  std::unique_ptr<SegmentReader> current_;
  std::string_view record_;
  uint64_t offset_ = 0;
  std::vector<Corruption> corruptions_;
  Status status_;
};

}  // namespace argus::tsdb::wal
