// Out-of-order samples: those older than their series' newest sample (or than the head accepts
// in order) but within the out-of-order window. They are kept apart from the chunks, as sorted
// lists of samples by series: late samples are rare, and the chunks' encoding needs time order.
// Queries merge them with the chunks; cutting the head into a block takes those in its range.

#include <algorithm>

#include "tsdb/head.h"
#include "tsdb/series_table.h"
#include "tsdb/wal/record.h"

namespace argus::tsdb {

Status Head::CheckOutOfOrder(int64_t t, Status refused) {
  const int64_t window = ooo_window_.load(std::memory_order_relaxed);
  if (window <= 0) {
    auto& counter = refused.code() == Status::Code::kOutOfBounds ? stats_.out_of_bound_samples
                                                                 : stats_.out_of_order_samples;
    counter.fetch_add(1, std::memory_order_relaxed);
    return refused;
  }
  // While the head is empty, the newest sample is the blocks' (MinValidTime holds it then).
  const int64_t newest = std::max(MaxTime(), truncated_before_.load(std::memory_order_relaxed));
  if (newest != INT64_MIN && t >= newest - window) return Status::Ok();
  stats_.too_old_samples.fetch_add(1, std::memory_order_relaxed);
  return Status::Errorf(Status::Code::kOutOfBounds,
                        "too old sample: timestamp {} is more than the out-of-order window ({} ms) "
                        "older than the newest, {}",
                        t, window, newest);
}

bool Head::InsertOutOfOrder(storage::SeriesRef id, int64_t t, double v) {
  if (!table_->Find(id)) return false;
  ooo_samples_.fetch_add(1, std::memory_order_relaxed);  // Before the sample is there.
  absl::MutexLock lock(&ooo_mu_);
  std::vector<storage::SamplePoint>& samples = ooo_[id];
  auto at = std::lower_bound(samples.begin(), samples.end(), t,
                             [](const storage::SamplePoint& s, int64_t t) { return s.t < t; });
  if (at != samples.end() && at->t == t) {  // The first sample of a timestamp stays.
    ooo_samples_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  samples.insert(at, {t, v});
  NoteTimes(t);
  return true;
}

void Head::CopyOutOfOrder(storage::SeriesRef id, int64_t mint, int64_t maxt,
                          std::vector<storage::SamplePoint>* out) const {
  if (ooo_samples_.load(std::memory_order_relaxed) == 0) return;
  absl::MutexLock lock(&ooo_mu_);
  auto it = ooo_.find(id);
  if (it == ooo_.end()) return;
  for (const storage::SamplePoint& s : it->second) {
    if (s.t >= mint && s.t <= maxt) out->push_back(s);
  }
}

void Head::RemoveOutOfOrder(storage::SeriesRef id, std::span<const int64_t> times) {
  absl::MutexLock lock(&ooo_mu_);
  auto it = ooo_.find(id);
  if (it == ooo_.end()) return;
  std::vector<storage::SamplePoint>& samples = it->second;
  size_t kept = 0, next = 0;
  for (const storage::SamplePoint& s : samples) {
    while (next < times.size() && times[next] < s.t) ++next;
    if (next < times.size() && times[next] == s.t) continue;
    samples[kept++] = s;
  }
  ooo_samples_.fetch_sub(samples.size() - kept, std::memory_order_relaxed);
  samples.resize(kept);
  if (samples.empty()) ooo_.erase(it);
}

void Head::ReplayOutOfOrder(std::span<const wal::RefSample> samples) {
  absl::ReaderMutexLock lock(&table_mu_);
  uint64_t taken = 0;
  for (const wal::RefSample& s : samples) taken += InsertOutOfOrder(s.ref, s.t, s.v) ? 1 : 0;
  stats_.out_of_order_appended.fetch_add(taken, std::memory_order_relaxed);
}

}  // namespace argus::tsdb
