#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "events/event.h"
#include "model/matcher.h"

namespace argus::tsdb::wal {
class Writer;
}

namespace argus::events {

struct StoreOptions {
  // How long events are kept, by their time: a segment is deleted once its newest event is older
  // than this before the clock's now (--storage.tsdb.retention.time). 0 keeps every event.
  int64_t retention_ms = 0;
  // A segment is cut when an append would take it past this size, and before the first append
  // that comes this long (by the clock) after the segment's first event. So retention, which
  // deletes whole segments, keeps an event at most about this much longer than it has to.
  uint64_t segment_size = uint64_t{4} << 20;
  int64_t segment_duration_ms = int64_t{6} * 3600 * 1000;
  const Clock* clock = &SystemClock::Instance();  // Must outlive the store.
};

// The events of a data directory (`<data>/events/`): append-only segment files of CRC32C-framed
// records (docs/format/events.md), read back by time range and labels.
//
// Durability: when Append returns OK the event is on disk (fsync), so neither kill -9 nor a power
// loss loses it. A crash during an append leaves a torn record at the end of the last segment,
// which Open cuts off; damaged records anywhere are logged by Open and skipped by every read.
//
// The store keeps only the time range of each segment in memory; Query reads the segments whose
// range meets the one asked for.
//
// Thread-safe: appends are serialized; queries run alongside each other, not alongside an append
// or a deletion. Only one store may have a directory open (the data directory's lock file sees to
// it in the server).
class Store {
 public:
  // Opens the store in `dir`, creating it if needed: repairs the tail of the last segment, reads
  // the time range of every segment (logging damage, with the segment and byte offset), deletes
  // the segments past retention, and starts a new segment for the appends.
  // kIOError when the directory or a segment cannot be created, read or truncated.
  static Result<std::unique_ptr<Store>> Open(const std::filesystem::path& dir,
                                             StoreOptions options = {});
  ~Store();  // Syncs and closes the segment being written.
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Validates `event` (events::Validate) and writes it durably.
  //   kInvalidInput: the event is not valid; nothing is written.
  //   kIOError: the write or the fsync failed (with the OS's reason); the event was not
  //     acknowledged, though after a failed fsync it may still be read back.
  Status Append(const Event& event) ABSL_LOCKS_EXCLUDED(mu_);

  // The events with start_ms <= time_ms <= end_ms that match at least one of `selectors` (all the
  // matchers of one selector, as match[] in Prometheus' API; no selectors match every event),
  // oldest first, events of the same time in the order they were appended.
  // kIOError when a segment cannot be read.
  Result<std::vector<Event>> Query(int64_t start_ms, int64_t end_ms,
                                   const std::vector<std::vector<model::Matcher>>& selectors) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Deletes the oldest segments, up to the first that holds an event within retention, never the
  // one being written. Nothing to do when retention is 0. kIOError when one cannot be deleted.
  Status DropExpired() ABSL_LOCKS_EXCLUDED(mu_);

  // The bytes of the segment files, for /metrics: one stat per file.
  uint64_t SizeBytes() const;

 private:
  // The time range of a segment's events.
  struct Span {
    int64_t min_time_ms = INT64_MAX;
    int64_t max_time_ms = INT64_MIN;
    size_t events = 0;
    int64_t first_append_ms = 0;  // By the clock: when the segment got its first event.
    void Add(int64_t time_ms) {
      min_time_ms = std::min(min_time_ms, time_ms);
      max_time_ms = std::max(max_time_ms, time_ms);
      ++events;
    }
  };

  Store(std::filesystem::path dir, StoreOptions options, std::unique_ptr<tsdb::wal::Writer> writer);
  // Reads the time range of every segment before the one being written.
  Status LoadSpans() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Cuts a new segment when the current one has been written to for segment_duration_ms.
  Status CutIfOld(int64_t now_ms) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::filesystem::path dir_;
  const StoreOptions options_;

  mutable absl::Mutex mu_;
  std::unique_ptr<tsdb::wal::Writer> writer_ ABSL_GUARDED_BY(mu_);
  std::map<int, Span> spans_ ABSL_GUARDED_BY(mu_);  // By segment index, the current one included.
};

}  // namespace argus::events
