#include "promql/series_loader.h"

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <atomic>
#include <cmath>
#include <limits>

#include "promql/evaluator.h"

namespace argus::promql {
namespace {

// Series per task, and tasks in flight per worker: enough to keep the workers busy while the
// evaluator takes a series, few enough that what is loaded ahead stays small.
constexpr size_t kBatchSeries = 16;
constexpr size_t kBatchesPerWorker = 2;

Status LoadSamples(storage::SampleIterator& it, const LoadWindow& w, std::vector<FPoint>* points) {
  points->clear();
  if (w.lo >= w.hi) return Status::Ok();
  ARGUS_RETURN_IF_ERROR(it.AppendRange(w.lo + 1, w.hi, points));
  size_t kept = 0;
  for (FPoint& p : *points) {
    if (std::isnan(p.v)) {
      if (w.drop_stale && storage::IsStaleNaN(p.v)) continue;
      if (IsAbsent(p.v)) p.v = std::numeric_limits<double>::quiet_NaN();
    }
    (*points)[kept++] = p;
  }
  points->resize(kept);
  return Status::Ok();
}

}  // namespace

// Up to kBatchSeries series of the set, loaded by whichever thread claims the batch first.
struct SeriesLoader::Batch {
  std::vector<model::Labels> labels;
  std::vector<std::unique_ptr<storage::SampleIterator>> iterators;
  std::vector<std::vector<FPoint>> points;
  size_t loaded = 0;  // Series whose samples were read; those after an error were not.
  Status status;      // The error that ended the load early.

  // Atomic, not under mu: the first thread to set it owns the batch, and the owner's writes to
  // the fields above reach the waiter through mu (done), so claiming needs no lock.
  std::atomic<bool> claimed = false;
  absl::Mutex mu;
  bool done ABSL_GUARDED_BY(mu) = false;

  void Load(const LoadWindow& window) {
    while (loaded < iterators.size()) {
      status = LoadSamples(*iterators[loaded], window, &points[loaded]);
      if (!status.ok()) break;
      ++loaded;
    }
    iterators.clear();  // Lets go of the chunks as soon as they are copied.
    absl::MutexLock lock(&mu);
    done = true;
  }

  // Waits for the worker that claimed the batch; false if none had, and it is this thread's.
  bool WaitIfClaimed() {
    if (!claimed.exchange(true)) return false;
    absl::MutexLock lock(&mu, absl::Condition(&done));
    return true;
  }
};

SeriesLoader::SeriesLoader(storage::SeriesSet& set, LoadWindow window, WorkerPool* pool)
    : set_(set), window_(window), pool_(pool) {}

SeriesLoader::~SeriesLoader() {
  // Batches no worker has claimed are dropped unread; their tasks find them claimed.
  for (auto& batch : ahead_) {
    if (!batch->WaitIfClaimed()) batch->iterators.clear();
  }
}

void SeriesLoader::FillAhead() {
  const size_t limit = pool_ == nullptr ? 1 : kBatchesPerWorker * pool_->threads() + 1;
  while (!set_done_ && ahead_.size() < limit) {
    auto batch = std::make_shared<Batch>();
    while (batch->iterators.size() < kBatchSeries) {
      if (!set_.Next()) {
        set_done_ = true;
        break;
      }
      const storage::Series& series = set_.At();
      batch->labels.push_back(series.labels());
      batch->iterators.push_back(series.Iterator());
      if (spare_points_.empty()) {
        batch->points.emplace_back();
      } else {
        batch->points.push_back(std::move(spare_points_.back()));
        spare_points_.pop_back();
      }
    }
    if (batch->iterators.empty()) break;
    if (pool_ != nullptr) {
      pool_->Submit([batch, window = window_] {
        if (!batch->claimed.exchange(true)) batch->Load(window);
      });
    }
    ahead_.push_back(std::move(batch));
  }
}

bool SeriesLoader::Next() {
  while (err_.ok()) {
    if (current_ != nullptr) {
      while (next_ < current_->loaded) {
        if (!current_->points[next_++].empty()) return true;
      }
      err_ = current_->status;
      for (auto& p : current_->points) spare_points_.push_back(std::move(p));
      current_.reset();
      if (!err_.ok()) return false;
    }
    FillAhead();
    if (ahead_.empty()) {
      err_ = set_.Err();
      return false;
    }
    current_ = std::move(ahead_.front());
    ahead_.pop_front();
    if (!current_->WaitIfClaimed()) current_->Load(window_);
    next_ = 0;
  }
  return false;
}

model::Labels& SeriesLoader::labels() { return current_->labels[next_ - 1]; }

std::vector<FPoint>& SeriesLoader::points() { return current_->points[next_ - 1]; }

}  // namespace argus::promql
