#include "tsdb/db.h"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <random>
#include <tuple>

#include "base/check.h"
#include "base/log.h"
#include "tsdb/dir_lock.h"
#include "tsdb/index/ulid.h"
#include "tsdb/querier.h"
#include "tsdb/wal/metrics.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb {

std::filesystem::path Db::WalDir(const std::filesystem::path& dir) { return dir / "wal"; }

Db::Db(std::filesystem::path dir, DbOptions options)
    : dir_(std::move(dir)),
      options_(options),
      registry_(options.metrics ? options.metrics : &own_registry_),
      ulids_(*options.clock,
             [rng = std::mt19937_64(std::random_device()())]() mutable { return rng(); }) {}

Result<std::unique_ptr<Db>> Db::Open(const std::filesystem::path& dir, DbOptions options) {
  std::error_code ec;
  if (options.read_only && !std::filesystem::is_directory(dir, ec)) {
    return Status::Errorf(Status::Code::kIOError, "{} is not a directory", dir.string());
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "cannot create {}: {}", dir.string(),
                          ec.message());
  }
  std::unique_ptr<Db> db(new Db(dir, options));
  if (!options.read_only) {
    auto lock = DirLock::Acquire(dir, /*remove_if_created=*/false);
    if (!lock.ok()) return lock.status();
    db->lock_ = std::move(*lock);
  }
  ARGUS_RETURN_IF_ERROR(db->LoadBlocks());
  if (!options.for_import)
    db->wal_metrics_ = std::make_unique<wal::Metrics>(db->registry_, WalDir(dir));
  if (!options.for_import && !options.read_only) {
    wal::WriterOptions wal_options;
    wal_options.segment_size = options.wal_segment_bytes;
    wal_options.metrics = db->wal_metrics_.get();
    auto writer = wal::Writer::Open(WalDir(dir), wal_options);  // Repairs a torn tail first.
    if (!writer.ok()) return writer.status();
    db->wal_ = std::move(*writer);
  }
  HeadOptions head_options;
  head_options.block_range_ms = options.block_range_ms;
  head_options.bounded_window = !options.for_import;
  db->head_ = std::make_unique<Head>(head_options, db->wal_.get());
  // The WAL is replayed whole before the head refuses what the blocks cover: an imported block
  // may cover samples that only the WAL holds. Samples that a block holds already and that the
  // WAL still holds too (a crash before the snapshot that follows a block) come back into the
  // head; queries serve them once and compaction merges the overlapping block they make.
  if (!options.for_import) ARGUS_RETURN_IF_ERROR(db->ReplayWal());
  {
    absl::MutexLock lock_blocks(&db->blocks_mu_);
    if (!db->blocks_.empty()) {
      int64_t newest = 0;
      for (const auto& b : db->blocks_) newest = std::max(newest, b->meta().max_time);
      // A backfilled block may reach past now (it covers the range being scraped): samples from
      // now on are taken all the same, and compaction merges what overlaps.
      db->head_->SetMinValidTime(std::min(newest, options.clock->NowMillis()));
    }
  }
  db->RegisterMetrics();
  if (options.background_compaction && !options.read_only) {
    db->background_ = std::jthread([d = db.get()](std::stop_token stop) { d->Run(stop); });
  }
  return db;
}

Db::~Db() {
  if (background_.joinable()) {
    background_.request_stop();
    background_.join();
  }
  if (wal_) {
    Status closed = wal_->Close();
    if (!closed.ok()) log::Error("Closing the WAL failed", {{"err", closed.message()}});
  }
}

Status Db::LoadBlocks() {
  std::error_code ec;
  std::vector<std::shared_ptr<const BlockReader>> loaded;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory()) continue;
    if (name.ends_with(".tmp")) {  // A block or checkpoint a crash left half-written.
      if (!options_.read_only) std::filesystem::remove_all(entry.path(), ec);
      continue;
    }
    if (!Ulid::Parse(name).ok()) continue;
    auto block = BlockReader::Open(entry.path());
    if (block.ok()) {
      const BlockMeta& m = (*block)->meta();
      log::Debug("Block loaded", {{"block", name},
                                  {"min_time", m.min_time},
                                  {"max_time", m.max_time},
                                  {"series", m.num_series},
                                  {"samples", m.num_samples},
                                  {"level", m.compaction_level}});
      loaded.push_back(std::move(*block));
      continue;
    }
    if (options_.read_only) {
      log::Warn("Skipping a block that failed its checks",
                {{"block", entry.path().string()}, {"err", block.status().message()}});
    } else {
      Quarantine(entry.path(), block.status());
    }
  }
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "cannot list {}: {}", dir_.string(),
                          ec.message());
  }
  std::sort(loaded.begin(), loaded.end(), BlockOrder);
  absl::MutexLock lock(&blocks_mu_);
  blocks_ = std::move(loaded);
  return Status::Ok();
}

bool Db::BlockOrder(const std::shared_ptr<const BlockReader>& a,
                    const std::shared_ptr<const BlockReader>& b) {
  return std::tie(a->meta().min_time, a->meta().ulid) <
         std::tie(b->meta().min_time, b->meta().ulid);
}

void Db::Quarantine(const std::filesystem::path& block, const Status& why) {
  std::error_code ec;
  std::filesystem::path target = dir_ / "quarantine" / block.filename();
  std::filesystem::create_directories(target.parent_path(), ec);
  std::filesystem::remove_all(target, ec);
  std::filesystem::rename(block, target, ec);
  ++blocks_quarantined_;
  log::Error("A block failed its checks and is set aside; its data is not served",
             {{"block", block.string()},
              {"moved_to", ec ? "(could not move it)" : target.string()},
              {"err", why.message()}});
}

std::unique_ptr<storage::Appender> Db::NewAppender() {
  CHECK(!options_.read_only);
  return head_->NewAppender();
}

std::unique_ptr<storage::Querier> Db::NewQuerier(int64_t mint, int64_t maxt) {
  std::vector<std::shared_ptr<const BlockReader>> blocks;
  {
    absl::MutexLock lock(&blocks_mu_);
    for (const auto& b : blocks_) {
      if (b->meta().min_time <= maxt && b->meta().max_time > mint) blocks.push_back(b);
    }
  }
  return tsdb::NewQuerier(head_.get(), std::move(blocks), mint, maxt);
}

std::vector<std::shared_ptr<const BlockReader>> Db::Blocks() const {
  absl::MutexLock lock(&blocks_mu_);
  return blocks_;
}

void Db::Run(std::stop_token stop) {
  // Runs at once when a stop was requested already, else in the thread that requests it.
  std::stop_callback on_stop(stop, [this] {
    absl::MutexLock lock(&wake_mu_);
    stopping_ = true;
  });
  for (;;) {
    {
      absl::MutexLock lock(&wake_mu_);
      wake_mu_.AwaitWithTimeout(absl::Condition(&stopping_),
                                absl::FromChrono(options_.compaction_interval));
      if (stopping_) return;
    }
    Status status = Compact();
    if (!status.ok()) {
      log::Error("Compaction failed; the head keeps its data", {{"err", status.message()}});
    }
  }
}

void Db::RegisterMetrics() {
  MetricsRegistry& r = *registry_;
  const Head* head = head_.get();
  const HeadStats* stats = &head->stats();
  auto counter = [&r](std::string name, std::string help, const std::atomic<uint64_t>* v) {
    r.AddCounterFunc(std::move(name), std::move(help),
                     [v] { return static_cast<double>(v->load(std::memory_order_relaxed)); });
  };
  r.AddGaugeFunc("prometheus_tsdb_head_series", "Total number of series in the head block.",
                 [head] { return static_cast<double>(head->NumSeries()); });
  r.AddGaugeFunc("prometheus_tsdb_head_chunks", "Total number of chunks in the head block.",
                 [head] { return static_cast<double>(head->NumChunks()); });
  r.AddGaugeFunc("prometheus_tsdb_head_min_time",
                 "Minimum time bound of the head block. The unit is decided by the library "
                 "consumer.",
                 [head] { return static_cast<double>(head->MinTime()); });
  r.AddGaugeFunc("prometheus_tsdb_head_max_time",
                 "Maximum timestamp of the head block. The unit is decided by the library "
                 "consumer.",
                 [head] { return static_cast<double>(head->MaxTime()); });
  counter("prometheus_tsdb_head_samples_appended_total", "Total number of appended samples.",
          &stats->samples_appended);
  counter("prometheus_tsdb_out_of_order_samples_total",
          "Total number of out of order samples ingestion failed attempts due to out of order "
          "being disabled.",
          &stats->out_of_order_samples);
  counter("prometheus_tsdb_out_of_bound_samples_total",
          "Total number of out of bound samples ingestion failed attempts with out of order "
          "support disabled.",
          &stats->out_of_bound_samples);
  counter("prometheus_tsdb_too_old_samples_total",
          "Total number of out of order samples ingestion failed attempts with out of order "
          "support enabled, but sample outside of time window.",
          &stats->too_old_samples);
  counter("prometheus_tsdb_head_out_of_order_samples_appended_total",
          "Total number of appended out of order samples.", &stats->out_of_order_appended);
  counter("argus_tsdb_duplicate_samples_total",
          "Total number of samples refused because their series had another value at the "
          "same timestamp.",
          &stats->duplicate_samples);
  counter("prometheus_tsdb_head_series_created_total", "Total number of series created in the head",
          &stats->series_created);
  counter("prometheus_tsdb_head_series_removed_total", "Total number of series removed in the head",
          &stats->series_removed);
  counter("prometheus_tsdb_head_chunks_created_total", "Total number of chunks created in the head",
          &stats->chunks_created);
  counter("prometheus_tsdb_head_chunks_removed_total", "Total number of chunks removed in the head",
          &stats->chunks_removed);
  counter("prometheus_tsdb_head_truncations_total", "Total number of head truncations attempted.",
          &stats->truncations);
  counter("prometheus_tsdb_compactions_total",
          "Total number of compactions that were executed for the partition.", &compactions_);
  counter("prometheus_tsdb_compactions_failed_total",
          "Total number of compactions that failed for the partition.", &compactions_failed_);
  counter("prometheus_tsdb_time_retentions_total",
          "The number of times that blocks were deleted because the maximum time limit was "
          "exceeded.",
          &time_retentions_);
  counter("prometheus_tsdb_size_retentions_total",
          "The number of times that blocks were deleted because the maximum number of bytes "
          "was exceeded.",
          &size_retentions_);
  counter("argus_tsdb_blocks_quarantined_total",
          "Blocks that failed their checks and were moved to the quarantine directory.",
          &blocks_quarantined_);
  r.AddGaugeFunc("prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks",
                 [this] { return static_cast<double>(Blocks().size()); });
  r.AddGaugeFunc("prometheus_tsdb_storage_blocks_bytes",
                 "The number of bytes that are currently used for local storage by all blocks.",
                 [this] {
                   uint64_t bytes = 0;
                   for (const auto& b : Blocks()) bytes += b->Size();
                   return static_cast<double>(bytes);
                 });
  r.AddGaugeFunc("prometheus_tsdb_lowest_timestamp",
                 "Lowest timestamp value stored in the database. The unit is decided by the "
                 "library consumer.",
                 [this] {
                   auto blocks = Blocks();
                   return static_cast<double>(blocks.empty() ? head_->MinTime()
                                                             : blocks.front()->meta().min_time);
                 });
  r.AddGaugeFunc("prometheus_tsdb_retention_limit_bytes",
                 "Max number of bytes to be retained in the tsdb blocks, configured 0 means "
                 "disabled",
                 [this] { return static_cast<double>(options_.retention_bytes); });
}

}  // namespace argus::tsdb
