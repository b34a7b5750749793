#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/metrics.h"
#include "base/status.h"
#include "storage/storage.h"
#include "tsdb/head.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/ulid.h"

namespace argus::tsdb {

class DirLock;
namespace wal {
class Writer;
class Metrics;
}  // namespace wal

struct DbOptions {
  // --storage.tsdb.retention.time: blocks whose data is all older than this before the newest
  // sample are deleted. 0 keeps everything.
  int64_t retention_ms = int64_t{15} * 24 * 3600 * 1000;
  // --storage.tsdb.retention.size: the oldest blocks are deleted while blocks and WAL together
  // take more bytes than this. 0: no limit.
  uint64_t retention_bytes = 0;
  // The range of the blocks cut from the head; compaction makes blocks of 3, 9, 27 ... times it,
  // up to a tenth of the retention time or 31 days.
  int64_t block_range_ms = 2 * 3600 * 1000;
  // How often the background thread looks for work (compaction, retention). It also runs when
  // the head grows past 1.5 block ranges.
  std::chrono::milliseconds compaction_interval = std::chrono::minutes(1);
  // Whether to start the background thread; tests call Compact() themselves.
  bool background_compaction = true;
  uint64_t wal_segment_bytes = uint64_t{128} << 20;
  // Where the database registers its self-metrics (prometheus_tsdb_*); may be null. Must outlive
  // the database.
  MetricsRegistry* metrics = nullptr;
  const Clock* clock = &SystemClock::Instance();
  // For imports: no WAL (the imported file is the log), and the head takes samples of any age.
  bool for_import = false;
  // For tools that read a directory a server may be using: no lock, nothing written or moved
  // (bad blocks are skipped, not quarantined), the WAL only read; NewAppender must not be called.
  bool read_only = false;
};

// The time-series database: the head (with its WAL) and the blocks on disk in one directory,
// behind storage::Storage.
//
//   <dir>/lock                 held while a database has the directory open
//   <dir>/wal/                 the write-ahead log of the head (wal/segments.h)
//   <dir>/<ulid>/              blocks (docs/format/block.md)
//   <dir>/quarantine/<ulid>/   blocks that failed their checks, moved aside and never read
//
// Every sample whose Commit returned OK survives a kill -9: Open replays the WAL. A block with a
// bad checksum is quarantined with a log line and the database opens without it. Thread-safe.
class Db final : public storage::Storage {
 public:
  // Opens (creating if needed) the database in `dir`: takes the lock, loads the blocks, replays
  // the WAL into the head. kIOError when the directory cannot be used or another process holds
  // it; damage in blocks or the WAL is repaired or set aside, not an error.
  static Result<std::unique_ptr<Db>> Open(const std::filesystem::path& dir, DbOptions options);
  ~Db() override;  // Stops the background work, syncs and closes the WAL.

  std::unique_ptr<storage::Appender> NewAppender() override;
  std::unique_ptr<storage::Querier> NewQuerier(int64_t mint, int64_t maxt) override;

  // One round of background work, as the background thread does it: cut the head into blocks
  // while it spans more than 1.5 block ranges, merge blocks by the compaction levels, apply
  // retention, then snapshot the head (Snapshot) if the round cut a block or SnapshotDue. kIOError
  // when a block or the snapshot cannot be written; the head keeps its data then and the next round
  // tries again.
  Status Compact() ABSL_LOCKS_EXCLUDED(compact_mu_);

  // Makes the head durable as a snapshot, so that a restart loads its chunks instead of
  // replaying every sample: cuts the WAL to a new segment K, writes the head's series and chunks
  // as wal/checkpoint.<K-1> (docs/format/wal.md), then deletes the segments before K and the
  // older checkpoints. A crash before the checkpoint is complete leaves the previous one and its
  // segments in place. Nothing is written when nothing was appended since the last snapshot.
  // kIOError when writing fails; the WAL is left as it was then. Thread-safe; waits for a
  // running Compact.
  Status Snapshot() ABSL_LOCKS_EXCLUDED(compact_mu_);

  // Sets the head's out-of-order window (Head::MinValidTime), in milliseconds; 0 closes it. Takes
  // effect for the next append. Thread-safe.
  void SetOutOfOrderWindow(int64_t ms) { head_->SetOutOfOrderWindow(ms); }

  // Writes every sample of the head into blocks now, whatever its span (for imports).
  Status FlushHead() ABSL_LOCKS_EXCLUDED(compact_mu_);

  const Head& head() const { return *head_; }
  // The open blocks, oldest first.
  std::vector<std::shared_ptr<const BlockReader>> Blocks() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Db(std::filesystem::path dir, DbOptions options);
  static std::filesystem::path WalDir(const std::filesystem::path& dir);
  Status LoadBlocks();
  // The order of blocks_: by min_time, and blocks of the same start in the order they were
  // written (ULIDs increase), so that where overlapping blocks have samples at one timestamp,
  // queries and compaction both take the older block's.
  static bool BlockOrder(const std::shared_ptr<const BlockReader>& a,
                         const std::shared_ptr<const BlockReader>& b);
  // Moves a block that failed its checks to <dir>/quarantine and says so in the log.
  void Quarantine(const std::filesystem::path& block, const Status& why);
  // Replays the newest checkpoint and the segments after it into the head (db_replay.cc).
  Status ReplayWal();
  void RegisterMetrics();
  void Run(std::stop_token stop);
  // Writes the head's samples in [mint, maxt) as a block, adds it, and truncates the head (the
  // snapshot that ends the round truncates the WAL).
  Status CompactHead(int64_t mint, int64_t maxt) ABSL_EXCLUSIVE_LOCKS_REQUIRED(compact_mu_);
  // Snapshot() for a caller that holds compact_mu_.
  Status SnapshotLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(compact_mu_);
  // Whether the WAL written since the last snapshot has reached a quarter of that snapshot's
  // size, which bounds the bytes snapshots write at four times the WAL's own (a snapshot rewrites
  // every series and chunk) while keeping the WAL a restart replays short.
  bool SnapshotDue() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(compact_mu_);
  Status CompactBlocks() ABSL_EXCLUSIVE_LOCKS_REQUIRED(compact_mu_);
  // The blocks to merge next: overlapping ones, or a complete range of the next level.
  std::vector<std::shared_ptr<const BlockReader>> PlanCompaction(int64_t max_range) const;
  // Writes one block with the samples of `group` (re-chunked), then deletes the group.
  Status MergeBlocks(const std::vector<std::shared_ptr<const BlockReader>>& group)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(compact_mu_);
  // Merges t/v into all_t/all_v by time; at equal timestamps all_*'s sample stays.
  static void MergeSamples(const std::vector<int64_t>& t, const std::vector<double>& v,
                           std::vector<int64_t>* all_t, std::vector<double>* all_v);
  // Opens a block just written and adds it to the database.
  Status AddBlock(const std::filesystem::path& path);
  // Counts a failed compaction and returns `error` as its reason.
  Status Failed(Status error);
  void ApplyRetention() ABSL_EXCLUSIVE_LOCKS_REQUIRED(compact_mu_);
  void DeleteBlocks(const std::vector<std::shared_ptr<const BlockReader>>& doomed);

  const std::filesystem::path dir_;
  const DbOptions options_;
  MetricsRegistry own_registry_;  // Where the metrics go when the options name no registry.
  MetricsRegistry* const registry_;
  std::unique_ptr<DirLock> lock_;  // Null when read-only.
  std::unique_ptr<wal::Metrics> wal_metrics_;
  std::unique_ptr<wal::Writer> wal_;
  std::unique_ptr<Head> head_;

  // Lock order: compact_mu_, then the head's locks (see head.h) or blocks_mu_, never both;
  // wake_mu_ is taken with no other lock held.
  mutable absl::Mutex blocks_mu_ ABSL_ACQUIRED_AFTER(compact_mu_);
  // In BlockOrder.
  std::vector<std::shared_ptr<const BlockReader>> blocks_ ABSL_GUARDED_BY(blocks_mu_);

  UlidGenerator ulids_;
  absl::Mutex compact_mu_;  // One round of Compact or one Snapshot at a time.
  // Samples appended and series created as of the last snapshot.
  uint64_t snapshot_changes_ ABSL_GUARDED_BY(compact_mu_) = UINT64_MAX;
  // The WAL directory's size just after the last snapshot; 0 until one was written.
  uint64_t wal_bytes_after_snapshot_ ABSL_GUARDED_BY(compact_mu_) = 0;
  // Counters for the self-metrics, read without a lock by their callbacks: each is one number.
  std::atomic<uint64_t> compactions_{0};
  std::atomic<uint64_t> compactions_failed_{0};
  std::atomic<uint64_t> time_retentions_{0};
  std::atomic<uint64_t> size_retentions_{0};
  std::atomic<uint64_t> blocks_quarantined_{0};

  // The background thread waits on wake_mu_ for stopping_ or the next round; a stop request
  // (std::stop_token) sets stopping_ through a std::stop_callback.
  absl::Mutex wake_mu_;
  bool stopping_ ABSL_GUARDED_BY(wake_mu_) = false;
  std::jthread background_;
};

}  // namespace argus::tsdb
