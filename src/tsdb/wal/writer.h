#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tsdb/wal/file.h"
#include "tsdb/wal/metrics.h"

namespace argus::tsdb::wal {

struct WriterOptions {
  // A segment is cut when the next Log call would take it past this size. A Log call is never
  // split across segments, so one larger than this gets a segment of its own.
  uint64_t segment_size = uint64_t{128} << 20;
  // Where the writer counts; it must outlive the writer. nullptr: the writer keeps metrics of
  // its own, unregistered (see metrics()).
  Metrics* metrics = nullptr;
};

// Appends records to the segments of one WAL directory. The head calls Log in Commit().
//
// Durability: when Log returns OK its bytes are in the kernel (one write(2), nothing buffered
// here), so a kill -9 right after loses none of them. They reach the disk at the next fsync: on
// segment cut, Sync() and Close(). A power loss may lose what was logged since, as in Prometheus.
//
// Thread-safe: Log calls from many threads are serialized, each written whole and in one piece.
// Only one Writer may have a directory open; the database's lock file ensures it.
class Writer {
 public:
  // Opens the WAL in `dir`, creating the directory if needed, repairs the last segment and starts
  // a new segment after it and after the newest checkpoint (00000000 in an empty directory). Repair
  // cuts off (truncates) a torn or corrupt tail of the last segment, from the end of its last
  // intact record; it logs which segment and how many bytes were lost, and counts a corruption.
  // kIOError when the directory or a segment cannot be opened, read, truncated or created.
  static Result<std::unique_ptr<Writer>> Open(const std::filesystem::path& dir,
                                              WriterOptions options = {});
  // Close(); an error is logged.
  ~Writer();

  // Writes `records` as consecutive frames in one write(2), cutting to a new segment first when
  // the current one would outgrow segment_size. Records are opaque here (record.h encodes them);
  // each must be 1 to 256 MiB long. No records: nothing is written, OK. A crash during the call
  // may leave a prefix of its records, each whole; the rest is a torn tail that Open cuts.
  //   kInvalidInput: a record is empty or too long; nothing is written.
  //   kIOError: the write failed (with the OS's reason: no space, I/O error, file too large). The
  //     frames written in part are truncated away, so the segment ends with the last complete
  //     Log call; the failure is counted and the writer stays usable: the next Log tries again.
  Status Log(std::span<const std::string_view> records);
  Status Log(std::initializer_list<std::string_view> records) {
    return Log(std::span<const std::string_view>(records.begin(), records.size()));
  }

  // fsync(2) of the current segment.
  Status Sync();

  // Closes the current segment (fsync) and starts the next one; returns the new one's index.
  // Every segment before it is then complete, ready to be checkpointed.
  Result<int> NextSegment();

  // Deletes the segments with index <= last_segment, never the current one: the caller has
  // checkpointed them. Counts a truncation, and a failed one on kIOError.
  Status Truncate(int last_segment);

  // The index of the segment being written.
  int current_segment() const;
  const std::filesystem::path& dir() const { return dir_; }
  Metrics& metrics() { return *metrics_; }

  // Syncs and closes the current segment. Later calls of Log, Sync and NextSegment return
  // kError. Idempotent.
  Status Close();

 private:
  Writer(std::filesystem::path dir, WriterOptions options);
  Status Repair(int segment);
  // Creates segment `index` and makes it the current one; the previous one is synced and closed.
  Status StartSegment(int index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status SyncCurrent() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Cuts the segment back to the end of the last complete Log call.
  Status TruncateTail() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status CheckOpen() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::filesystem::path dir_;
  const uint64_t segment_size_;
  std::unique_ptr<Metrics> own_metrics_;
  Metrics* metrics_;

  mutable absl::Mutex mu_;
  UniqueFd fd_ ABSL_GUARDED_BY(mu_);  // The current segment; invalid once closed.
  int segment_ ABSL_GUARDED_BY(mu_) = -1;
  uint64_t size_ ABSL_GUARDED_BY(mu_) = 0;  // Up to the end of the last complete Log call.
  // A failed write left bytes past size_ that could not be cut yet.
  bool tail_dirty_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::string frames_ ABSL_GUARDED_BY(mu_);  // Scratch space for the frames of one Log call.
};

}  // namespace argus::tsdb::wal
