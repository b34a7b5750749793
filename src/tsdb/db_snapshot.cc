// Snapshots of the head, which make it durable as chunks and bound the WAL: see Db::Snapshot.

#include <chrono>
#include <ctime>

#include "base/log.h"
#include "tsdb/db.h"
#include "tsdb/wal/checkpoint.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb {
namespace {

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

Status Db::Snapshot() {
  absl::MutexLock lock(&compact_mu_);
  return SnapshotLocked();
}

bool Db::SnapshotDue() const {
  if (!wal_) return false;
  const uint64_t after = wal_bytes_after_snapshot_;
  return after == 0 || wal::SizeBytes(wal_->dir()) >= after + after / 4;
}

Status Db::SnapshotLocked() {
  if (!wal_) return Status::Ok();
  const HeadStats& stats = head_->stats();
  uint64_t changes = stats.samples_appended.load() + stats.out_of_order_appended.load() +
                     stats.series_created.load() + stats.series_removed.load();
  if (changes == snapshot_changes_) return Status::Ok();
  auto start = std::chrono::steady_clock::now();
  double cpu_start = CpuSeconds();
  auto cut = head_->CutWal();
  if (!cut.ok()) return cut.status().Wrap("head snapshot");
  const int last = *cut - 1;
  auto out = wal::CheckpointWriter::Create(wal_->dir(), last, wal_metrics_.get());
  if (!out.ok()) return out.status().Wrap("head snapshot");
  auto written = head_->WriteSnapshot(**out);
  if (!written.ok()) return written.status().Wrap("head snapshot");
  auto path = (*out)->Finish();
  if (!path.ok()) return path.status().Wrap("head snapshot");
  // From here on a restart reads the new checkpoint; what it replaces only costs disk until
  // deleted, so failures to delete are reported and tried again next time.
  snapshot_changes_ = changes;
  Status truncated = wal_->Truncate(last);
  Status deleted = wal::DeleteCheckpoints(wal_->dir(), last, wal_metrics_.get());
  wal_bytes_after_snapshot_ = wal::SizeBytes(wal_->dir());
  log::Info("Head snapshot written",
            {{"checkpoint", path->string()},
             {"series", written->series},
             {"chunks", written->chunks},
             {"bytes", written->bytes},
             {"seconds",
              fmt::format(
                  "{:.3f}",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())},
             {"cpu_seconds", fmt::format("{:.3f}", CpuSeconds() - cpu_start)}});
  if (!truncated.ok()) return truncated.Wrap("deleting WAL segments after a head snapshot");
  return deleted.Wrap("deleting old checkpoints after a head snapshot");
}

}  // namespace argus::tsdb
