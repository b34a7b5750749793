// Head snapshots: the series and chunks of the head written as the WAL's checkpoint, and restored
// from it at start-up (docs/format/wal.md, "Checkpoints").

#include <fmt/format.h>

#include <optional>

#include "base/check.h"
#include "tsdb/chunkenc/chunk.h"
#include "tsdb/head.h"
#include "tsdb/series_table.h"
#include "tsdb/wal/checkpoint.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb {
namespace {

// Records are batched to about this size: large enough that a snapshot is written fast, small
// enough that restoring one batch at a time needs little memory.
constexpr size_t kBatchBytes = size_t{1} << 20;

// A series record, a chunks record and an out-of-order samples record being filled, logged
// together whenever they grow past kBatchBytes, the series first so that a replay creates them
// before their chunks and samples.
class SnapshotBatch {
 public:
  explicit SnapshotBatch(wal::CheckpointWriter& out) : out_(out) { Reset(); }

  wal::SeriesEncoder& series() { return *series_; }
  wal::ChunksEncoder& chunks() { return *chunks_; }
  wal::SamplesEncoder& out_of_order() { return *out_of_order_; }
  bool full() const {
    return series_buf_.size() + chunks_buf_.size() + out_of_order_buf_.size() >= kBatchBytes;
  }

  Status Flush() {
    if (series_buf_.size() <= 1) return Status::Ok();  // Nothing but the type bytes.
    Status s = out_of_order_buf_.size() <= 1
                   ? out_.Log({series_buf_, chunks_buf_})
                   : out_.Log({series_buf_, chunks_buf_, out_of_order_buf_});
    Reset();
    return s;
  }

 private:
  void Reset() {
    series_buf_.clear();
    chunks_buf_.clear();
    out_of_order_buf_.clear();
    series_.emplace(&series_buf_);
    chunks_.emplace(&chunks_buf_);
    out_of_order_.emplace(&out_of_order_buf_, wal::RecordType::kOutOfOrderSamples);
  }

  wal::CheckpointWriter& out_;
  std::string series_buf_;
  std::string chunks_buf_;
  std::string out_of_order_buf_;
  std::optional<wal::SeriesEncoder> series_;
  std::optional<wal::ChunksEncoder> chunks_;
  std::optional<wal::SamplesEncoder> out_of_order_;
};

// The checks a snapshot's chunks of one series must pass before they go into the head.
Status CheckChunks(const wal::DecodedChunks::Series& s, const OpenChunk* open) {
  int64_t previous_max = INT64_MIN;
  bool first = true;
  for (const wal::ChunkView& c : s.sealed) {
    if (!first && c.min_time <= previous_max) {
      return Status::Error("sealed chunks overlap or are out of order", Status::Code::kCorruption);
    }
    if (c.num_samples > static_cast<uint32_t>(kMaxChunkSamples)) {
      return Status::Error("a sealed chunk has too many samples", Status::Code::kCorruption);
    }
    ARGUS_RETURN_IF_ERROR(CheckChunkHeader(c.bytes, static_cast<int>(c.num_samples), c.min_time)
                              .Wrap("sealed chunk"));
    previous_max = c.max_time;
    first = false;
  }
  if (open != nullptr && !first && open->min_time() <= previous_max) {
    return Status::Error("the open chunk overlaps the sealed ones", Status::Code::kCorruption);
  }
  if (open == nullptr && !first) {
    // Appends at the newest timestamp decode the newest chunk (HeadSeries::LastValue), which
    // must therefore be whole.
    std::vector<int64_t> t;
    std::vector<double> v;
    const wal::ChunkView& last = s.sealed.back();
    ARGUS_RETURN_IF_ERROR(DecodeChunk(last.bytes, &t, &v).Wrap("newest sealed chunk"));
    if (t.size() != last.num_samples || t.back() != last.max_time) {
      return Status::Error("the newest sealed chunk does not match its time range",
                           Status::Code::kCorruption);
    }
  }
  return Status::Ok();
}

}  // namespace

void RestoreStats::Add(const RestoreStats& other) {
  series += other.series;
  if (rejected == 0 && other.rejected != 0) first_error = other.first_error;
  rejected += other.rejected;
}

Result<int> Head::CutWal() {
  CHECK(wal_ != nullptr);
  // Most of the segment reaches the disk here, so that the cut below, which holds off commits,
  // has little left to sync.
  ARGUS_RETURN_IF_ERROR(wal_->Sync());
  absl::MutexLock lock(&table_mu_);
  return wal_->NextSegment();
}

Result<SnapshotStats> Head::WriteSnapshot(wal::CheckpointWriter& out) const {
  SnapshotStats stats;
  SnapshotBatch batch(out);
  model::LabelsBuilder builder;
  std::vector<wal::LabelView> labels;
  std::vector<wal::ChunkView> sealed;
  std::string open;
  // A page of series at a time under the table's lock, so that series creation waits for one
  // page at most, not for the whole snapshot.
  for (storage::SeriesRef first = 0;; first += SeriesTable::kPageSize) {
    {
      absl::ReaderMutexLock lock(&table_mu_);
      if (first >= table_->next_id) break;
      for (storage::SeriesRef id = first; id < first + SeriesTable::kPageSize; ++id) {
        if (!table_->Find(id) || !index_.SeriesLabels(id, builder).ok()) continue;
        labels.clear();
        for (size_t i = 0; i < builder.size(); ++i) {
          labels.push_back({builder[i].name, builder[i].value});
        }
        batch.series().Add(id, labels);
        sealed.clear();
        open.clear();
        {
          absl::MutexLock stripe(&StripeOf(id));
          const HeadSeries* series = SeriesLocked(id);
          if (series->sealed) {
            for (const auto& c : *series->sealed) {
              sealed.push_back(
                  {c->min_time, c->max_time, static_cast<uint32_t>(c->num_samples), c->bytes});
            }
          }
          if (!series->open.empty()) series->open.AppendSnapshot(&open);
          // The sealed chunks' bytes are copied here, while the stripe lock keeps them alive.
          batch.chunks().Add(id, sealed, open);
        }
        ++stats.series;
        stats.chunks += sealed.size() + (open.empty() ? 0 : 1);
      }
      if (ooo_samples_.load(std::memory_order_relaxed) > 0) {
        absl::MutexLock ooo_lock(&ooo_mu_);
        for (storage::SeriesRef id = first; id < first + SeriesTable::kPageSize; ++id) {
          auto it = ooo_.find(id);
          if (it == ooo_.end()) continue;
          for (const storage::SamplePoint& s : it->second) batch.out_of_order().Add(id, s.t, s.v);
        }
      }
    }
    if (batch.full()) ARGUS_RETURN_IF_ERROR(batch.Flush());
  }
  ARGUS_RETURN_IF_ERROR(batch.Flush());
  stats.bytes = out.bytes();
  return stats;
}

RestoreStats Head::RestoreChunks(const wal::DecodedChunks& record) {
  RestoreStats stats;
  auto reject = [&stats](Status why) {
    if (stats.rejected++ == 0) stats.first_error = std::move(why);
  };
  // First the chunks are checked and made, outside every lock: that is most of the work, and
  // other workers create series (which takes the table's lock exclusively) meanwhile.
  struct Restored {
    storage::SeriesRef id;
    std::unique_ptr<SealedChunks> sealed;
    OpenChunk open;
  };
  std::vector<Restored> restored;
  restored.reserve(record.series().size());
  for (const auto& s : record.series()) {
    Restored r{s.ref, nullptr, OpenChunk()};
    if (!s.open.empty()) {
      auto open = OpenChunk::Restore(s.open);
      if (!open.ok()) {
        reject(open.status().Wrap(fmt::format("series {}: open chunk", s.ref)));
        continue;
      }
      r.open = std::move(*open);
    }
    Status checked = CheckChunks(s, r.open.empty() ? nullptr : &r.open);
    if (!checked.ok()) {
      reject(checked.Wrap(fmt::format("series {}", s.ref)));
      continue;
    }
    if (!s.sealed.empty()) {
      r.sealed = std::make_unique<SealedChunks>();
      r.sealed->reserve(s.sealed.size());
      for (const wal::ChunkView& c : s.sealed) {
        auto chunk = std::make_shared<SealedChunk>();
        chunk->min_time = c.min_time;
        chunk->max_time = c.max_time;
        chunk->num_samples = static_cast<int>(c.num_samples);
        chunk->bytes = c.bytes;
        r.sealed->push_back(std::move(chunk));
      }
    }
    restored.push_back(std::move(r));
  }
  absl::ReaderMutexLock lock(&table_mu_);
  for (Restored& r : restored) {
    absl::MutexLock stripe(&StripeOf(r.id));
    HeadSeries* series = SeriesLocked(r.id);
    if (!series) {
      reject(Status::Errorf(Status::Code::kCorruption, "series {}: chunks of an unknown series",
                            r.id));
      continue;
    }
    if (!series->empty()) {
      reject(Status::Errorf(Status::Code::kCorruption, "series {}: chunks restored twice", r.id));
      continue;
    }
    size_t chunks = r.open.empty() ? 0 : 1;
    if (r.sealed) {
      chunks += r.sealed->size();
      NoteTimes(r.sealed->front()->min_time);
      NoteTimes(r.sealed->back()->max_time);
      series->sealed = std::move(r.sealed);
    }
    if (!r.open.empty()) {
      NoteTimes(r.open.min_time());
      NoteTimes(r.open.max_time());
      series->open = std::move(r.open);
    }
    num_chunks_.fetch_add(chunks, std::memory_order_relaxed);
    ++stats.series;
  }
  return stats;
}

}  // namespace argus::tsdb
