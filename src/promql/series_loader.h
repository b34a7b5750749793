#pragma once

// Loading the samples of the series one Select matched, ahead of the evaluator that reads them:
// while the evaluator works on one series, the pool's workers decode the next ones. Internal to
// the evaluator.

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "base/status.h"
#include "base/worker_pool.h"
#include "model/labels.h"
#include "promql/value.h"
#include "storage/querier.h"

namespace argus::promql {

// The samples a selector reads of each series: lo < t <= hi, staleness markers dropped when
// `drop_stale`.
struct LoadWindow {
  int64_t lo = 0;
  int64_t hi = 0;
  bool drop_stale = false;
};

// Hands out the series of `set` that have samples in the window, in the set's order, each with
// those samples in time order (stored NaNs that look like the evaluator's Absent() become plain
// NaNs). A few dozen series past the current one are loaded ahead on `pool`, or on this thread
// where the pool has not started them; with a null pool each is loaded when Next reaches it.
// The set's iterators must be usable on other threads while the set moves on
// (storage::SampleIterator's contract). Not thread-safe; the set must outlive the loader.
class SeriesLoader {
 public:
  SeriesLoader(storage::SeriesSet& set, LoadWindow window, WorkerPool* pool);
  ~SeriesLoader();  // Waits for the loads in flight.
  SeriesLoader(const SeriesLoader&) = delete;
  SeriesLoader& operator=(const SeriesLoader&) = delete;

  // Moves to the next series with samples in the window; false at the end or on an error.
  bool Next();
  // The current series' labels and samples, which the caller may change or move away.
  model::Labels& labels();
  std::vector<FPoint>& points();
  // The error of the set or of a series' samples; the series before it were handed out.
  Status Err() const { return err_; }

 private:
  struct Batch;
  // Starts loading batches of series until enough are in flight or the set is done.
  void FillAhead();

  storage::SeriesSet& set_;
  const LoadWindow window_;
  WorkerPool* pool_;
  bool set_done_ = false;
  std::deque<std::shared_ptr<Batch>> ahead_;  // Started, in the set's order.
  std::shared_ptr<Batch> current_;
  size_t next_ = 0;  // The series of current_ that Next hands out next.
  std::vector<std::vector<FPoint>> spare_points_;  // Used up, kept for their capacity.
  Status err_;
};

}  // namespace argus::promql
