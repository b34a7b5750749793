// Replaying the WAL into the head at start-up. One thread reads and decodes the records in
// order and creates the series; the chunks records of a head snapshot go to one worker per core
// in turn, and the samples to the worker chosen by series id, so that each series' samples are
// appended in order while the workers append in parallel. All chunks are restored before the
// first samples record is handed over, so that samples already in a restored chunk are skipped.
// The queues between them are bounded, so that replay holds little beyond the head itself.

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <chrono>
#include <deque>
#include <optional>
#include <thread>

#include "base/log.h"
#include "tsdb/db.h"
#include "tsdb/wal/metrics.h"
#include "tsdb/wal/reader.h"
#include "tsdb/wal/record.h"

namespace argus::tsdb {
namespace {

class ReplayWorkers {
 public:
  ReplayWorkers(Head& head, size_t n) : head_(head), queues_(n), split_(n) {
    for (size_t i = 0; i < n; ++i) {
      threads_.emplace_back([this, i] { Work(queues_[i]); });
    }
  }
  ~ReplayWorkers() { Finish(); }

  // Hands the samples of one record to the workers, once every chunks record handed over before
  // is restored.
  void Add(const std::vector<wal::RefSample>& samples, bool out_of_order) {
    if (restoring_) Drain();
    for (auto& part : split_) part.clear();
    for (const wal::RefSample& s : samples) split_[s.ref % split_.size()].push_back(s);
    for (size_t i = 0; i < split_.size(); ++i) {
      if (!split_[i].empty()) Push(queues_[i], {split_[i], out_of_order, {}}, kMaxQueued);
    }
  }

  // Hands a chunks record to the next worker. Fewer of these wait in a queue: each is a batch
  // of about a megabyte.
  void AddChunks(std::string_view record) {
    restoring_ = true;
    Push(queues_[next_++ % queues_.size()], {{}, false, std::string(record)}, kMaxQueuedChunks);
  }

  // What the chunks records restored; complete after Finish.
  RestoreStats restored() const ABSL_LOCKS_EXCLUDED(restored_mu_) {
    absl::MutexLock lock(&restored_mu_);
    return restored_;
  }
  // When the last chunks record before the first samples was restored, if there were any.
  std::optional<std::chrono::steady_clock::time_point> snapshot_loaded() const {
    return snapshot_loaded_;
  }

  // Waits until every batch handed over is in the head, with the workers still running.
  void Drain() {
    for (Queue& q : queues_) {
      absl::MutexLock lock(&q.mu, absl::Condition(&q, &Queue::Idle));
    }
    restoring_ = false;
    if (!snapshot_loaded_) snapshot_loaded_ = std::chrono::steady_clock::now();
  }

  // Waits until every batch handed over is in the head.
  void Finish() {
    for (Queue& q : queues_) {
      absl::MutexLock lock(&q.mu);
      q.done = true;
    }
    threads_.clear();  // Joins.
  }

 private:
  static constexpr size_t kMaxQueued = 64;
  static constexpr size_t kMaxQueuedChunks = 2;
  struct Batch {
    std::vector<wal::RefSample> samples;
    bool out_of_order = false;  // The samples are out of order (Head::ReplayOutOfOrder).
    std::string chunks;         // A chunks record, or empty for samples.
  };
  // Waiters wait for one of the conditions below with absl::Mutex::Await or LockWhen; the
  // mutex re-evaluates them whenever it is released, so nobody notifies.
  struct Queue {
    absl::Mutex mu;
    std::deque<Batch> batches ABSL_GUARDED_BY(mu);
    bool busy ABSL_GUARDED_BY(mu) = false;  // A batch is being appended.
    bool done ABSL_GUARDED_BY(mu) = false;

    bool Idle() const ABSL_SHARED_LOCKS_REQUIRED(mu) { return batches.empty() && !busy; }
    bool WorkOrDone() const ABSL_SHARED_LOCKS_REQUIRED(mu) { return done || !batches.empty(); }
  };

  static void Push(Queue& q, Batch batch, size_t max_queued) {
    auto room = [&q, max_queued] {
      q.mu.AssertReaderHeld();  // Evaluated under the lock; the analysis cannot see that.
      return q.batches.size() < max_queued;
    };
    absl::MutexLock lock(&q.mu, absl::Condition(&room));
    q.batches.push_back(std::move(batch));
  }

  void Work(Queue& q) {
    wal::DecodedChunks chunks;
    for (;;) {
      Batch batch;
      {
        absl::MutexLock lock(&q.mu, absl::Condition(&q, &Queue::WorkOrDone));
        if (q.batches.empty()) return;
        batch = std::move(q.batches.front());
        q.batches.pop_front();
        q.busy = true;
      }
      if (batch.chunks.empty() && batch.out_of_order) {
        head_.ReplayOutOfOrder(batch.samples);
      } else if (batch.chunks.empty()) {
        head_.ReplaySamples(batch.samples);
      } else if (Status decoded = wal::DecodeChunks(batch.chunks, &chunks); decoded.ok()) {
        RestoreStats stats = head_.RestoreChunks(chunks);
        absl::MutexLock lock(&restored_mu_);
        restored_.Add(stats);
      } else {
        RestoreStats failed{0, 1, decoded};  // Its frame checked: written wrong, not damaged.
        absl::MutexLock lock(&restored_mu_);
        restored_.Add(failed);
      }
      absl::MutexLock lock(&q.mu);
      q.busy = false;
    }
  }

  Head& head_;
  std::vector<Queue> queues_;
  std::vector<std::vector<wal::RefSample>> split_;
  size_t next_ = 0;
  bool restoring_ = false;  // Chunks records were handed over since the last Drain.
  std::optional<std::chrono::steady_clock::time_point> snapshot_loaded_;
  mutable absl::Mutex restored_mu_;
  RestoreStats restored_ ABSL_GUARDED_BY(restored_mu_);
  std::vector<std::jthread> threads_;
};

}  // namespace

Status Db::ReplayWal() {
  const auto start = std::chrono::steady_clock::now();
  auto reader = wal::Reader::ForReplay(WalDir(dir_));
  if (!reader.ok()) return reader.status();
  wal::DecodedSeries series;
  std::vector<wal::RefSample> samples;
  // A series record for labels the head holds under another id (the series was dropped and came
  // back) makes that record's id an alias.
  absl::flat_hash_map<uint64_t, uint64_t> aliases;
  std::vector<Status> series_errors;
  uint64_t records = 0;
  ReplayWorkers workers(*head_, std::max(1u, std::thread::hardware_concurrency()));
  while (reader->Next()) {
    std::string_view record = reader->record();
    ++records;
    switch (wal::TypeOf(record)) {
      case wal::RecordType::kSeries: {
        if (!wal::DecodeSeries(record, &series).ok()) continue;  // Counted by the reader.
        head_->ReplaySeries(series, &aliases, &series_errors);
        for (const Status& error : series_errors) {
          log::Warn("Skipping a series of the WAL", {{"err", error.message()}});
        }
        series_errors.clear();
        break;
      }
      case wal::RecordType::kChunks:
        workers.AddChunks(record);
        break;
      case wal::RecordType::kSamples:
      case wal::RecordType::kOutOfOrderSamples: {
        if (!wal::DecodeSamples(record, &samples).ok()) continue;
        if (!aliases.empty()) {
          for (auto& s : samples) {
            if (auto it = aliases.find(s.ref); it != aliases.end()) s.ref = it->second;
          }
        }
        workers.Add(samples, wal::TypeOf(record) == wal::RecordType::kOutOfOrderSamples);
        break;
      }
      default:
        break;
    }
  }
  workers.Finish();
  auto seconds = [start](std::chrono::steady_clock::time_point end) {
    return std::chrono::duration<double>(end - start).count();
  };
  auto loaded = workers.snapshot_loaded();
  const RestoreStats restored = workers.restored();
  if (restored.rejected > 0) {
    log::Warn(
        "Chunks of the head snapshot failed their checks; those series lose the samples the "
        "snapshot held",
        {{"series", restored.rejected}, {"first_err", restored.first_error.message()}});
  }
  for (const wal::Corruption& c : reader->corruptions()) {
    wal_metrics_->corruptions.Inc();
    log::Warn("WAL damage found in replay; what it held is lost", {{"segment", c.segment.string()},
                                                                   {"offset", c.offset},
                                                                   {"lost_bytes", c.lost_bytes},
                                                                   {"torn_tail", c.torn_tail},
                                                                   {"what", c.what}});
  }
  if (!reader->status().ok()) return reader->status().Wrap("replaying the WAL");
  bool head_empty = head_->MinTime() > head_->MaxTime();
  log::Info("WAL replay completed",
            {{"records", records},
             {"series", head_->NumSeries()},
             {"series_restored_from_snapshot", restored.series},
             {"snapshot_seconds", fmt::format("{:.3f}", loaded ? seconds(*loaded) : 0.0)},
             {"seconds", fmt::format("{:.3f}", seconds(std::chrono::steady_clock::now()))},
             {"head_min_time", head_empty ? std::nullopt : std::optional(head_->MinTime())},
             {"head_max_time", head_empty ? std::nullopt : std::optional(head_->MaxTime())}});
  return Status::Ok();
}

}  // namespace argus::tsdb
