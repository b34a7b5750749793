#pragma once

#include <filesystem>
#include <memory>

#include "base/metrics.h"

namespace argus::tsdb::wal {

// The WAL's self-metrics, under Prometheus' names. One instance per WAL directory, shared by its
// Writer and by the CheckpointWriter and DeleteCheckpoints calls of the database; the Reader counts
// nothing (its caller counts the corruptions it reports, in `corruptions`).
//
// prometheus_tsdb_wal_fsync_duration_seconds is a summary, as in Prometheus, without quantiles.
// prometheus_tsdb_wal_page_flushes_total counts write(2) calls: Argus writes every Log call at
// once instead of in pages.
class Metrics {
 public:
  // Registers on `registry`, which must outlive this object; with nullptr the metrics are
  // counted but not exposed (tests read them here). storage_size_bytes reports SizeBytes(dir)
  // when rendered. Register one instance per registry.
  Metrics(MetricsRegistry* registry, const std::filesystem::path& dir);

 private:
  std::unique_ptr<MetricsRegistry> own_registry_;  // Before the references into it.
  MetricsRegistry& registry_;

 public:
  Summary& fsync_duration;
  Counter& page_flushes;
  Counter& writes_failed;
  Counter& truncations;
  Counter& truncations_failed;
  Counter& corruptions;
  Counter& checkpoint_creations;
  Counter& checkpoint_creations_failed;
  Counter& checkpoint_deletions;
  Counter& checkpoint_deletions_failed;
  Gauge& segment_current;
};

}  // namespace argus::tsdb::wal
