// Cutting the head into blocks: sealing what a block takes, dropping what a block holds, and
// removing the series left without samples.

#include "tsdb/head.h"
#include "tsdb/series_table.h"

namespace argus::tsdb {

uint64_t Head::EnterEpoch() {
  for (;;) {
    uint64_t e = epoch_.load();
    in_epoch_[e & 1].fetch_add(1);
    if (epoch_.load() == e) return e;
    in_epoch_[e & 1].fetch_sub(1);
  }
}

void Head::LeaveEpoch(uint64_t epoch) { in_epoch_[epoch & 1].fetch_sub(1); }

void Head::ForEachSealedChunk(
    int64_t mint, int64_t maxt,
    const std::function<void(storage::SeriesRef,
                             std::span<const std::shared_ptr<const SealedChunk>>,
                             std::span<const storage::SamplePoint>)>& visit) {
  absl::ReaderMutexLock lock(&table_mu_);
  // The out-of-order samples in the range, copied under one lock rather than one per series.
  absl::flat_hash_map<storage::SeriesRef, std::vector<storage::SamplePoint>> out_of_order;
  if (ooo_samples_.load(std::memory_order_relaxed) > 0) {
    absl::MutexLock ooo_lock(&ooo_mu_);
    for (const auto& [id, samples] : ooo_) {
      for (const storage::SamplePoint& s : samples) {
        if (s.t >= mint && s.t < maxt) out_of_order[id].push_back(s);
      }
    }
  }
  SealedChunks chunks;
  table_->ForEach([&](storage::SeriesRef id) {
    table_mu_.AssertReaderHeld();  // By this function; the analysis does not follow into lambdas.
    chunks.clear();
    {
      absl::MutexLock stripe(&StripeOf(id));
      HeadSeries& series = *SeriesLocked(id);
      OpenChunk& open = series.open;
      if (!open.empty() && open.max_time() < maxt) {
        auto sealed = std::make_shared<SealedChunk>();
        sealed->min_time = open.min_time();
        sealed->max_time = open.max_time();
        sealed->num_samples = open.num_samples();
        open.Seal(&sealed->bytes);
        if (!series.sealed) series.sealed = std::make_unique<SealedChunks>();
        series.sealed->push_back(std::move(sealed));
        open = OpenChunk();
      }
      if (series.sealed) {
        for (const auto& c : *series.sealed) {
          if (c->min_time >= mint && c->max_time < maxt) chunks.push_back(c);
        }
      }
    }
    auto late = out_of_order.find(id);
    std::span<const storage::SamplePoint> late_samples;
    if (late != out_of_order.end()) late_samples = late->second;
    if (!chunks.empty() || !late_samples.empty()) visit(id, chunks, late_samples);
  });
}

std::vector<storage::SeriesRef> Head::Truncate(int64_t mint) {
  stats_.truncations.fetch_add(1, std::memory_order_relaxed);
  int64_t before = truncated_before_.load();
  while (mint > before && !truncated_before_.compare_exchange_weak(before, mint)) {
  }
  std::vector<storage::SeriesRef> empty;
  int64_t new_min = INT64_MAX;
  size_t dropped = 0;
  {
    absl::ReaderMutexLock lock(&table_mu_);
    table_->ForEach([&](storage::SeriesRef id) {
      table_mu_.AssertReaderHeld();  // As above.
      absl::MutexLock stripe(&StripeOf(id));
      HeadSeries& series = *SeriesLocked(id);
      if (series.sealed) {
        size_t n = std::erase_if(*series.sealed, [&](const auto& c) { return c->max_time < mint; });
        dropped += n;
        if (series.sealed->empty()) series.sealed.reset();
      }
      if (!series.open.empty() && series.open.max_time() < mint) {
        series.open = OpenChunk();
        ++dropped;
      }
      if (series.empty()) {
        empty.push_back(id);
      } else {
        new_min = std::min(
            new_min, series.sealed ? series.sealed->front()->min_time : series.open.min_time());
      }
    });
    // Out-of-order samples stay until a block holds them (RemoveOutOfOrder), and keep their
    // series.
    if (ooo_samples_.load(std::memory_order_relaxed) > 0) {
      absl::MutexLock ooo_lock(&ooo_mu_);
      for (const auto& [id, samples] : ooo_) new_min = std::min(new_min, samples.front().t);
      std::erase_if(empty, [this](storage::SeriesRef id) {
        ooo_mu_.AssertHeld();  // By the enclosing scope; the analysis does not follow lambdas.
        return ooo_.contains(id);
      });
    }
  }
  num_chunks_.fetch_sub(dropped, std::memory_order_relaxed);
  stats_.chunks_removed.fetch_add(dropped, std::memory_order_relaxed);
  min_time_.store(new_min, std::memory_order_relaxed);
  if (new_min == INT64_MAX) max_time_.store(INT64_MIN, std::memory_order_relaxed);

  absl::MutexLock lock(&table_mu_);
  if (!removed_.empty()) {
    // Appenders that started before the last removal may still commit to what it removed.
    if (in_epoch_[removed_epoch_ & 1].load() != 0) return {};
    removed_.clear();
  }
  {
    // Checked again: out-of-order samples come under the shared lock, so none can come now.
    absl::MutexLock ooo_lock(&ooo_mu_);
    std::erase_if(empty, [this](storage::SeriesRef id) {
      ooo_mu_.AssertHeld();  // As above.
      return ooo_.contains(id);
    });
  }
  std::vector<storage::SeriesRef> removed;
  model::LabelsBuilder builder;
  for (storage::SeriesRef id : empty) {
    // Checked again, without the stripe: commits append under a shared lock, so none is halfway
    // now.
    HeadSeries* series = table_->Find(id);
    if (!series || !series->empty() || !index_.SeriesLabels(id, builder).ok()) continue;
    model::Labels labels = builder.Build();
    table_->Remove(id, labels.Hash());
    removed_.emplace(id, std::move(labels));
    removed.push_back(id);
  }
  removed_epoch_ = epoch_.fetch_add(1);
  index_.Remove(removed);
  stats_.series_removed.fetch_add(removed.size(), std::memory_order_relaxed);
  return removed;
}

bool Head::Resurrect(storage::SeriesRef id) {
  auto it = removed_.find(id);
  if (it == removed_.end()) return false;
  if (!index_.Add(id, it->second).ok()) return false;
  table_->Create(id, it->second.Hash());
  removed_.erase(it);
  stats_.series_created.fetch_add(1, std::memory_order_relaxed);
  absl::MutexLock wal_lock(&wal_mu_);
  unlogged_.push_back(id);
  return true;
}

}  // namespace argus::tsdb
