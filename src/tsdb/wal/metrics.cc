#include "tsdb/wal/metrics.h"

#include "tsdb/wal/segments.h"

namespace argus::tsdb::wal {
namespace {

MetricsRegistry& RegistryOr(MetricsRegistry* registry, std::unique_ptr<MetricsRegistry>* own) {
  if (registry != nullptr) return *registry;
  *own = std::make_unique<MetricsRegistry>();
  return **own;
}

}  // namespace

Metrics::Metrics(MetricsRegistry* registry, const std::filesystem::path& dir)
    : registry_(RegistryOr(registry, &own_registry_)),
      fsync_duration(registry_.AddSummary("prometheus_tsdb_wal_fsync_duration_seconds",
                                          "Duration of write log fsync.")),
      page_flushes(registry_.AddCounter("prometheus_tsdb_wal_page_flushes_total",
                                        "Writes to WAL segments (one for each Log call).")),
      writes_failed(registry_.AddCounter("prometheus_tsdb_wal_writes_failed_total",
                                         "Total number of WAL writes that failed.")),
      truncations(registry_.AddCounter("prometheus_tsdb_wal_truncations_total",
                                       "Total number of WAL truncations attempted.")),
      truncations_failed(registry_.AddCounter("prometheus_tsdb_wal_truncations_failed_total",
                                              "Total number of WAL truncations that failed.")),
      corruptions(registry_.AddCounter("prometheus_tsdb_wal_corruptions_total",
                                       "Total number of WAL corruptions.")),
      checkpoint_creations(registry_.AddCounter("prometheus_tsdb_checkpoint_creations_total",
                                                "Total number of checkpoint creations attempted.")),
      checkpoint_creations_failed(
          registry_.AddCounter("prometheus_tsdb_checkpoint_creations_failed_total",
                               "Total number of checkpoint creations that failed.")),
      checkpoint_deletions(registry_.AddCounter("prometheus_tsdb_checkpoint_deletions_total",
                                                "Total number of checkpoint deletions attempted.")),
      checkpoint_deletions_failed(
          registry_.AddCounter("prometheus_tsdb_checkpoint_deletions_failed_total",
                               "Total number of checkpoint deletions that failed.")),
      segment_current(
          registry_.AddGauge("prometheus_tsdb_wal_segment_current",
                             "WAL segment index that the TSDB is currently writing to.")) {
  registry_.AddGaugeFunc("prometheus_tsdb_wal_storage_size_bytes",
                         "Size of the WAL directory, checkpoints included.",
                         [dir] { return static_cast<double>(SizeBytes(dir)); });
}

}  // namespace argus::tsdb::wal
