#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "storage/appender.h"
#include "storage/querier.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/chunkenc/open_chunk.h"
#include "tsdb/index/mem_index.h"

namespace argus::tsdb {

namespace wal {
class Writer;
class CheckpointWriter;
class DecodedChunks;
class DecodedSeries;
struct RefSample;
}  // namespace wal
class SeriesTable;
struct HeadSeries;

// One completed chunk of a head series, in the sealed format. Immutable once made, and shared
// with the queriers reading it, so that truncating the head never pulls bytes from under a query.
struct SealedChunk {
  int64_t min_time = 0;
  int64_t max_time = 0;
  int num_samples = 0;
  std::string bytes;
};

// The chunks of one series as they were at one moment: what a query reads, outside every lock.
struct SeriesChunks {
  std::vector<std::shared_ptr<const SealedChunk>> sealed;  // In time order.
  OpenChunk open;                                          // After the sealed ones; may be empty.
  // Out-of-order samples, in time order: among and before the chunks' samples, perhaps at the
  // same timestamps (the chunks' samples win there).
  std::vector<storage::SamplePoint> out_of_order;
};

// Counters of the head, read by the database's self-metrics. Monotonic unless said otherwise.
// Atomics rather than fields under a lock: appenders bump them on the append path, under
// whichever lock they hold or none, and a reader needs each counter alone, not a consistent set.
struct HeadStats {
  std::atomic<uint64_t> samples_appended{0};
  std::atomic<uint64_t> out_of_order_samples{0};   // Older than the series' newest sample.
  std::atomic<uint64_t> out_of_bound_samples{0};   // Older than the head accepts at all.
  std::atomic<uint64_t> too_old_samples{0};        // Beyond the out-of-order window, when open.
  std::atomic<uint64_t> out_of_order_appended{0};  // Taken within the out-of-order window.
  std::atomic<uint64_t> duplicate_samples{0};      // Same timestamp as the newest, other value.
  std::atomic<uint64_t> series_created{0};
  std::atomic<uint64_t> series_removed{0};
  std::atomic<uint64_t> chunks_created{0};
  std::atomic<uint64_t> chunks_removed{0};
  std::atomic<uint64_t> truncations{0};
};

// The start of the block range that holds `t`: the largest multiple of `range` not above it.
inline int64_t BlockStart(int64_t t, int64_t range) {
  int64_t q = t / range;
  return (q - (t % range < 0 ? 1 : 0)) * range;
}

// What one head snapshot wrote.
struct SnapshotStats {
  uint64_t series = 0;
  uint64_t chunks = 0;  // Sealed and open.
  uint64_t bytes = 0;   // Of records, frames included.
};

// What restoring the chunks records of a snapshot did; see Head::RestoreChunks.
struct RestoreStats {
  uint64_t series = 0;    // Whose chunks were restored.
  uint64_t rejected = 0;  // Whose chunks failed their checks and were left out.
  Status first_error;     // Why the first of those was rejected.
  void Add(const RestoreStats& other);
};

struct HeadOptions {
  // Blocks cover this much time, aligned to multiples of it since the epoch; no chunk spans a
  // boundary, so the head can be cut into blocks chunk by chunk.
  int64_t block_range_ms = 2 * 3600 * 1000;
  // A chunk is sealed when it holds this many samples.
  int chunk_samples = kTargetChunkSamples;
  // Refuse samples more than half a block range older than the newest one, as Prometheus does
  // (they could land in a block being written). Off for imports, which write history in any
  // order across series.
  bool bounded_window = true;
};

// The in-memory part of the database: every series that had samples recently, with its recent
// samples in compressed chunks, and the samples that came late (out of order) but within the
// out-of-order window, kept apart from the chunks (head_ooo.cc). Appends come through NewAppender
// (storage::Appender); each commit is logged to the WAL (when there is one) before its samples
// become visible.
//
// Series get sequential ids, which are also their storage::SeriesRef and their ref in the WAL.
// Memory per series is the headline figure, so a series is only its open chunk and a pointer to
// its sealed chunks; the labels live in the MemIndex, the label hash in one flat table.
//
// Thread-safety: every method may be called from any thread. Appenders run concurrently; each
// series' chunks are guarded by one of a fixed set of stripe locks, the series table by a
// reader-writer lock that only series creation and garbage collection take exclusively.
//
// Lock order: table_mu_ (shared or exclusive), then either one stripe lock or wal_mu_ or
// ooo_mu_, never two of them and never two stripes; then wal::Writer's lock (under wal_mu_, or
// under table_mu_ alone in CutWal), and MemIndex's lock last. Stripes are only taken under
// table_mu_ shared, so holding table_mu_ exclusively excludes every stripe holder: Truncate and
// ReplaySeries read and remove series that way, without the stripes. The analysis cannot give each
// series its element of the array of stripes, so the chunks of a series are reached only through
// SeriesLocked(id), which requires StripeOf(id) (the analysis checks that the stripe held is the
// one of that id) and table_mu_; table_->Find alone says whether a series exists. The atomics are
// lock-free on purpose, each said why beside it.
class Head {
 public:
  // `wal` may be null (imports, tests): commits are then not logged. It must outlive the head.
  explicit Head(HeadOptions options = {}, wal::Writer* wal = nullptr);
  ~Head();
  Head(const Head&) = delete;
  Head& operator=(const Head&) = delete;

  std::unique_ptr<storage::Appender> NewAppender();

  // The smallest and largest timestamp of any sample in the head (out-of-order ones included);
  // INT64_MAX and INT64_MIN while it holds none.
  int64_t MinTime() const { return min_time_.load(std::memory_order_relaxed); }
  int64_t MaxTime() const { return max_time_.load(std::memory_order_relaxed); }
  // Samples older than this are refused (kOutOfBounds): they belong to a block already written,
  // or lie more than half a block range behind the newest sample, as in Prometheus. With an
  // out-of-order window, such samples and those older than their series' newest are taken
  // apart from the chunks instead, as long as they are at most the window behind the newest
  // sample of the head (or of the blocks, while the head is empty), as Prometheus'
  // out_of_order_time_window; older ones are refused as too old (kOutOfBounds too).
  int64_t MinValidTime() const;
  // Sets the out-of-order window in milliseconds; 0 (the default) closes it. Any thread.
  void SetOutOfOrderWindow(int64_t ms) { ooo_window_.store(ms, std::memory_order_relaxed); }

  // The labels and postings of every series in the head.
  const MemIndex& index() const { return index_; }
  size_t NumSeries() const { return index_.NumSeries(); }
  size_t NumChunks() const { return num_chunks_.load(std::memory_order_relaxed); }
  const HeadStats& stats() const { return stats_; }

  // Copies the chunks of series `id` that overlap [mint, maxt] into *out (sealed chunks by
  // reference). False when the head no longer holds the series.
  bool Chunks(storage::SeriesRef id, int64_t mint, int64_t maxt, SeriesChunks* out) const;

  // For writing a block of [mint, maxt): seals every open chunk that lies wholly before maxt
  // (nothing can be appended to it any more, as maxt <= MinValidTime()), then calls `visit` with
  // each series that has sealed chunks or out-of-order samples in the range, with those (copies
  // of the samples, in time order), in id order.
  void ForEachSealedChunk(
      int64_t mint, int64_t maxt,
      const std::function<void(storage::SeriesRef id,
                               std::span<const std::shared_ptr<const SealedChunk>>,
                               std::span<const storage::SamplePoint> out_of_order)>& visit);
  // Drops the out-of-order samples of series `id` at `times` (sorted), once a block holds them.
  // Samples that came meanwhile stay.
  void RemoveOutOfOrder(storage::SeriesRef id, std::span<const int64_t> times);

  // Drops every chunk that ends before `mint` (now in a block) and then every series left with no
  // samples (out-of-order ones included); raises MinValidTime to `mint`. Returns the ids of the
  // series removed.
  std::vector<storage::SeriesRef> Truncate(int64_t mint);

  // Replaying the WAL: creates the series of a series record, under one lock. When the head holds
  // a record's labels already (under another id: the series was dropped and came back), that id
  // is kept and the record's id becomes its alias in *aliases, for the caller to map the record's
  // samples; an id taken by other labels, or one the index refuses, goes to *errors.
  void ReplaySeries(const wal::DecodedSeries& record,
                    absl::flat_hash_map<uint64_t, uint64_t>* aliases, std::vector<Status>* errors);
  // Appends replayed samples without logging them; samples of unknown series, older than
  // MinValidTime or out of order (already in a restored chunk among them) are skipped.
  void ReplaySamples(std::span<const wal::RefSample> samples);
  // Takes replayed out-of-order samples (kOutOfOrderSamples records) back, whatever the window:
  // they were taken once. Samples of unknown series and repeated timestamps are skipped.
  void ReplayOutOfOrder(std::span<const wal::RefSample> samples);

  // Head snapshots (head_snapshot.cc): the head's state made durable, so that a restart loads
  // chunks instead of re-appending every sample, and replays only the WAL written since.
  //
  // Cuts the WAL (which must exist) to a new segment K while no commit is between logging and
  // appending, so that every sample logged before K is in the head's chunks by the time this
  // returns; returns K. kIOError when the WAL cannot be synced or cut.
  Result<int> CutWal();
  // Writes every series of the head, with its labels, sealed chunks (their bytes) and open chunk
  // (its snapshot), to `out` as batches of a series record and a chunks record. Appends go on
  // meanwhile: each series is read under its stripe lock, so it holds at least what it held when
  // CutWal returned, and perhaps samples the segments from K hold too, which a replay skips.
  // Errors are those of `out`.
  Result<SnapshotStats> WriteSnapshot(wal::CheckpointWriter& out) const;
  // Restores the chunks of a chunks record into series that ReplaySeries created and that have
  // no samples yet. Disk bytes are untrusted: a series whose chunks fail a check (open chunk
  // snapshot, sealed chunk headers, time order) gets none of them and is counted as rejected;
  // unknown or non-empty series likewise. Thread-safe; workers call it in parallel.
  RestoreStats RestoreChunks(const wal::DecodedChunks& record);
  // The id the next new series gets.
  storage::SeriesRef NextId() const;
  // Refuses samples before `t` from now on: the blocks on disk hold everything up to there.
  void SetMinValidTime(int64_t t);

 private:
  friend class HeadAppender;
  static constexpr int kStripes = 4096;
  // Taken only under table_mu_, which the annotation makes the analysis check.
  absl::Mutex& StripeOf(storage::SeriesRef id) const ABSL_SHARED_LOCKS_REQUIRED(table_mu_)
      ABSL_LOCK_RETURNED(stripes_[id % kStripes]) {
    return stripes_[id % kStripes];
  }
  // Series `id`, or null when the head does not hold it. The caller holds table_mu_ (which keeps
  // the series in the table) and the series' stripe lock (which guards its chunks), and uses the
  // series only while it holds both.
  HeadSeries* SeriesLocked(storage::SeriesRef id) const ABSL_SHARED_LOCKS_REQUIRED(table_mu_)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(StripeOf(id));

  // Finds the series with these labels, or creates it (to be logged by the next commit). Sets
  // *created. kLimitExceeded when the index's id space is used up.
  Result<storage::SeriesRef> GetOrCreate(const model::Labels& labels, bool* created)
      ABSL_LOCKS_EXCLUDED(table_mu_);
  Result<storage::SeriesRef> FindLocked(const model::Labels& labels, uint64_t hash) const
      ABSL_SHARED_LOCKS_REQUIRED(table_mu_);
  // Checks (t, v) against series `id`'s newest sample: kOutOfOrder, kDuplicate, kNotFound when
  // the head does not hold it; OK with *skip set for an exact repeat of the newest sample, which
  // Prometheus ignores.
  Status CheckAppendable(storage::SeriesRef id, int64_t t, double v, bool* skip) const
      ABSL_LOCKS_EXCLUDED(table_mu_);
  // Appends to series `id` under its stripe lock, repeating the ordering check against samples
  // that others committed meanwhile. kNotFound when the head does not hold the series.
  Status AppendLocked(storage::SeriesRef id, int64_t t, double v)
      ABSL_SHARED_LOCKS_REQUIRED(table_mu_);
  // Commit of the samples of a HeadAppender: logs, then appends. See head_append.cc.
  struct PendingSample {
    storage::SeriesRef id;
    int64_t t;
    double v;
  };
  // `out_of_order` are the samples that Append found older than their series' newest or than
  // MinValidTime but within the out-of-order window; they are logged as their own record.
  Status Commit(std::vector<PendingSample>& samples, std::vector<PendingSample>& out_of_order)
      ABSL_LOCKS_EXCLUDED(table_mu_);
  // Commit once every series of the samples is in the table.
  Status CommitLocked(std::span<const PendingSample> samples,
                      std::span<const PendingSample> out_of_order,
                      std::span<const std::string_view> records)
      ABSL_SHARED_LOCKS_REQUIRED(table_mu_) ABSL_LOCKS_EXCLUDED(wal_mu_);
  // For a sample at `t` that the in-order checks refused with `refused` (kOutOfBounds or
  // kOutOfOrder): OK when it is within the out-of-order window; else counts it (as refused, or as
  // too old when the window is open) and returns why it is refused.
  Status CheckOutOfOrder(int64_t t, Status refused);
  // Adds an out-of-order sample to series `id` unless it has one at `t` already; false then.
  bool InsertOutOfOrder(storage::SeriesRef id, int64_t t, double v)
      ABSL_SHARED_LOCKS_REQUIRED(table_mu_) ABSL_LOCKS_EXCLUDED(ooo_mu_);
  // Copies the out-of-order samples of series `id` in [mint, maxt] to *out.
  void CopyOutOfOrder(storage::SeriesRef id, int64_t mint, int64_t maxt,
                      std::vector<storage::SamplePoint>* out) const ABSL_LOCKS_EXCLUDED(ooo_mu_);
  // Brings back a series that a truncation removed, for an appender from before the truncation
  // that commits to it. False when the head does not remember it.
  bool Resurrect(storage::SeriesRef id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(table_mu_)
      ABSL_LOCKS_EXCLUDED(wal_mu_);
  void NoteTimes(int64_t t);

  // Appenders register in the current epoch before they look up their first series and leave
  // when done; a truncation removes series only once everyone from an earlier epoch has left.
  uint64_t EnterEpoch();
  void LeaveEpoch(uint64_t epoch);

  const HeadOptions options_;
  wal::Writer* const wal_;
  MemIndex index_;
  HeadStats stats_;
  mutable std::array<absl::Mutex, kStripes> stripes_;  // After table_mu_; see the lock order.
  // Atomics, not under a lock: every append notes its time and reads MinValidTime, so a lock here
  // would be one that the appenders of all stripes share. Each is read on its own; nothing needs
  // two of them consistent with each other.
  std::atomic<int64_t> min_time_{INT64_MAX};
  std::atomic<int64_t> max_time_{INT64_MIN};
  std::atomic<int64_t> truncated_before_{INT64_MIN};
  // Atomic for the same reason: chunks are cut under different stripe locks at once.
  std::atomic<size_t> num_chunks_{0};

  mutable absl::Mutex table_mu_;
  // The pointer never changes; the table it points to is guarded.
  const std::unique_ptr<SeriesTable> table_ ABSL_PT_GUARDED_BY(table_mu_);
  // The labels of the series the last truncation removed, kept until no appender that might
  // commit to them is left.
  absl::flat_hash_map<storage::SeriesRef, model::Labels> removed_ ABSL_GUARDED_BY(table_mu_);
  uint64_t removed_epoch_ ABSL_GUARDED_BY(table_mu_) = 0;
  // Atomics, not under table_mu_: every appender enters and leaves an epoch, which a lock would
  // make one more lock per transaction; a truncation only needs to see, once it has bumped
  // epoch_, whether the count of the epoch before has fallen to zero.
  std::atomic<uint64_t> epoch_{0};
  std::array<std::atomic<int64_t>, 2> in_epoch_{};  // Appenders in epochs by parity.

  // Out-of-order samples by series, each list in time order with each timestamp once. Apart
  // from the series table, so that a series that never had one pays nothing for it; the count
  // lets queries of a head without any skip the lock (it is raised before a sample is inserted).
  std::atomic<int64_t> ooo_window_{0};
  std::atomic<size_t> ooo_samples_{0};
  mutable absl::Mutex ooo_mu_ ABSL_ACQUIRED_AFTER(table_mu_);
  absl::flat_hash_map<storage::SeriesRef, std::vector<storage::SamplePoint>> ooo_
      ABSL_GUARDED_BY(ooo_mu_);

  // The series not logged yet, and the serialisation of WAL writes, so that a series record
  // always precedes the samples of its series in the log.
  absl::Mutex wal_mu_ ABSL_ACQUIRED_AFTER(table_mu_);
  std::vector<storage::SeriesRef> unlogged_ ABSL_GUARDED_BY(wal_mu_);
};

}  // namespace argus::tsdb
