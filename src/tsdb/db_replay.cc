// Replaying the WAL into the head at start-up. One thread reads and decodes the records in
// order and creates the series; the samples go to one worker per core, chosen by series id, so
// that each series' samples are appended in order while the workers append in parallel. The
// queues between them are bounded, so that replay holds little beyond the head itself.

#include <absl/container/flat_hash_map.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

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

  // Hands the samples of one record to the workers.
  void Add(const std::vector<wal::RefSample>& samples) {
    for (auto& part : split_) part.clear();
    for (const wal::RefSample& s : samples) split_[s.ref % split_.size()].push_back(s);
    for (size_t i = 0; i < split_.size(); ++i) {
      if (split_[i].empty()) continue;
      Queue& q = queues_[i];
      std::unique_lock lock(q.mu);
      q.cv.wait(lock, [&] { return q.batches.size() < kMaxQueued; });
      q.batches.push_back(split_[i]);
      q.cv.notify_all();
    }
  }

  // Waits until every sample handed over is in the head.
  void Finish() {
    for (Queue& q : queues_) {
      std::lock_guard lock(q.mu);
      q.done = true;
      q.cv.notify_all();
    }
    threads_.clear();  // Joins.
  }

 private:
  static constexpr size_t kMaxQueued = 64;
  struct Queue {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::vector<wal::RefSample>> batches;
    bool done = false;
  };

  void Work(Queue& q) {
    for (;;) {
      std::vector<wal::RefSample> batch;
      {
        std::unique_lock lock(q.mu);
        q.cv.wait(lock, [&] { return q.done || !q.batches.empty(); });
        if (q.batches.empty()) return;
        batch = std::move(q.batches.front());
        q.batches.pop_front();
        q.cv.notify_all();
      }
      head_.ReplaySamples(batch);
    }
  }

  Head& head_;
  std::vector<Queue> queues_;
  std::vector<std::vector<wal::RefSample>> split_;
  std::vector<std::jthread> threads_;
};

}  // namespace

Status Db::ReplayWal() {
  auto reader = wal::Reader::ForReplay(WalDir(dir_));
  if (!reader.ok()) return reader.status();
  wal::DecodedSeries series;
  std::vector<wal::RefSample> samples;
  // A series record for labels the head holds under another id (the series was dropped and came
  // back) makes that record's id an alias.
  absl::flat_hash_map<uint64_t, uint64_t> aliases;
  model::LabelsBuilder builder;
  uint64_t records = 0;
  ReplayWorkers workers(*head_, std::max(1u, std::thread::hardware_concurrency()));
  while (reader->Next()) {
    std::string_view record = reader->record();
    ++records;
    switch (wal::TypeOf(record)) {
      case wal::RecordType::kSeries: {
        if (!wal::DecodeSeries(record, &series).ok()) continue;  // Counted by the reader.
        for (const auto& s : series.series()) {
          builder.Reset();
          for (const auto& l : s.labels) builder.Add(l.name, l.value);
          auto id = head_->ReplaySeries(s.ref, builder.Build());
          if (!id.ok()) {
            spdlog::warn("msg=\"Skipping a series record of the WAL\" ref={} err=\"{}\"", s.ref,
                         id.status().message());
          } else if (*id != s.ref) {
            aliases[s.ref] = *id;
          }
        }
        break;
      }
      case wal::RecordType::kSamples: {
        if (!wal::DecodeSamples(record, &samples).ok()) continue;
        if (!aliases.empty()) {
          for (auto& s : samples) {
            if (auto it = aliases.find(s.ref); it != aliases.end()) s.ref = it->second;
          }
        }
        workers.Add(samples);
        break;
      }
      default:
        break;
    }
  }
  workers.Finish();
  for (const wal::Corruption& c : reader->corruptions()) {
    wal_metrics_->corruptions.Inc();
    spdlog::warn("msg=\"WAL damage found in replay; what it held is lost\" {}", c.ToString());
  }
  if (!reader->status().ok()) return reader->status().Wrap("replaying the WAL");
  spdlog::info(
      "msg=\"WAL replay completed\" records={} series={} head_min_time={} head_max_time={}",
      records, head_->NumSeries(), head_->MinTime(), head_->MaxTime());
  return Status::Ok();
}

}  // namespace argus::tsdb
