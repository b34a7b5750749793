#include "tsdb/head.h"

#include <bit>

#include "base/check.h"
#include "tsdb/series_table.h"

namespace argus::tsdb {

double HeadSeries::LastValue() const {
  std::vector<int64_t> t;
  std::vector<double> v;
  if (!open.empty()) {
    open.Decode(&t, &v);
  } else {
    CHECK(DecodeChunk(sealed->back()->bytes, &t, &v).ok());  // Sealed by this process.
  }
  return v.back();
}

HeadSeries* SeriesTable::Find(storage::SeriesRef id) {
  size_t p = id / kPageSize;
  if (p >= pages_.size() || !pages_[p] || !pages_[p]->live[id % kPageSize]) return nullptr;
  return &pages_[p]->series[id % kPageSize];
}

const HeadSeries* SeriesTable::Find(storage::SeriesRef id) const {
  return const_cast<SeriesTable*>(this)->Find(id);
}

HeadSeries& SeriesTable::Create(storage::SeriesRef id, uint64_t hash) {
  size_t p = id / kPageSize;
  if (p >= pages_.size()) pages_.resize(p + 1);
  if (!pages_[p]) pages_[p] = std::make_unique<Page>();
  Page& page = *pages_[p];
  CHECK(!page.live[id % kPageSize]);
  page.live[id % kPageSize] = true;
  ++page.live_count;
  auto [it, inserted] = by_hash_.try_emplace(hash, static_cast<uint32_t>(id));
  if (!inserted) collisions_[hash].push_back(static_cast<uint32_t>(id));
  if (id >= next_id) next_id = id + 1;
  return page.series[id % kPageSize];
}

void SeriesTable::Remove(storage::SeriesRef id, uint64_t hash) {
  Page& page = *pages_[id / kPageSize];
  page.series[id % kPageSize] = HeadSeries();
  page.live[id % kPageSize] = false;
  if (--page.live_count == 0) pages_[id / kPageSize].reset();
  auto c = collisions_.find(hash);
  if (auto it = by_hash_.find(hash); it != by_hash_.end() && it->second == id) {
    by_hash_.erase(it);
    if (c != collisions_.end()) {  // Promote a colliding series.
      by_hash_[hash] = c->second.back();
      c->second.pop_back();
    }
  } else if (c != collisions_.end()) {
    std::erase(c->second, static_cast<uint32_t>(id));
  }
  if (c != collisions_.end() && c->second.empty()) collisions_.erase(c);
}

Head::Head(HeadOptions options, wal::Writer* wal)
    : options_(options), wal_(wal), table_(std::make_unique<SeriesTable>()) {}

Head::~Head() = default;

int64_t Head::MinValidTime() const {
  int64_t bound = truncated_before_.load(std::memory_order_relaxed);
  int64_t max = MaxTime();
  if (options_.bounded_window && max != INT64_MIN) {
    bound = std::max(bound, max - options_.block_range_ms / 2);
  }
  return bound;
}

void Head::NoteTimes(int64_t t) {
  int64_t min = min_time_.load(std::memory_order_relaxed);
  while (t < min && !min_time_.compare_exchange_weak(min, t, std::memory_order_relaxed)) {
  }
  int64_t max = max_time_.load(std::memory_order_relaxed);
  while (t > max && !max_time_.compare_exchange_weak(max, t, std::memory_order_relaxed)) {
  }
}

HeadSeries* Head::SeriesLocked(storage::SeriesRef id) const { return table_->Find(id); }

Result<storage::SeriesRef> Head::FindLocked(const model::Labels& labels, uint64_t hash) const {
  storage::SeriesRef found = 0;
  model::LabelsBuilder builder;
  table_->ForHash(hash, [&](storage::SeriesRef id) {
    if (found == 0 && index_.SeriesLabels(id, builder).ok() && builder.Build() == labels) {
      found = id;
    }
  });
  if (found == 0) return Status::Error("no such series", Status::Code::kNotFound);
  return found;
}

Result<storage::SeriesRef> Head::GetOrCreate(const model::Labels& labels, bool* created) {
  *created = false;
  uint64_t hash = labels.Hash();
  {
    absl::ReaderMutexLock lock(&table_mu_);
    auto found = FindLocked(labels, hash);
    if (found.ok()) return found;
  }
  absl::MutexLock lock(&table_mu_);
  auto found = FindLocked(labels, hash);  // Somebody may have created it meanwhile.
  if (found.ok()) return found;
  storage::SeriesRef id = table_->next_id;
  ARGUS_RETURN_IF_ERROR(index_.Add(id, labels));
  table_->Create(id, hash);
  *created = true;
  stats_.series_created.fetch_add(1, std::memory_order_relaxed);
  absl::MutexLock wal_lock(&wal_mu_);
  unlogged_.push_back(id);
  return id;
}

Status Head::CheckAppendable(storage::SeriesRef id, int64_t t, double v, bool* skip) const {
  *skip = false;
  absl::ReaderMutexLock lock(&table_mu_);
  absl::MutexLock stripe(&StripeOf(id));
  const HeadSeries* series = SeriesLocked(id);
  if (!series) return Status::Errorf(Status::Code::kNotFound, "unknown series {}", id);
  int64_t last = series->LastTime();
  if (t > last) return Status::Ok();
  if (t < last) {
    return Status::Errorf(Status::Code::kOutOfOrder,
                          "out of order sample: timestamp {} is older than the newest, {}", t,
                          last);
  }
  if (std::bit_cast<uint64_t>(series->LastValue()) != std::bit_cast<uint64_t>(v)) {
    return Status::Errorf(Status::Code::kDuplicate,
                          "duplicate sample for timestamp {} with another value", t);
  }
  *skip = true;
  return Status::Ok();
}

Status Head::AppendLocked(storage::SeriesRef id, int64_t t, double v) {
  absl::MutexLock stripe(&StripeOf(id));
  HeadSeries* found = SeriesLocked(id);
  if (!found) return Status::Errorf(Status::Code::kNotFound, "unknown series {}", id);
  HeadSeries& series = *found;
  int64_t last = series.LastTime();
  if (t <= last) {
    // Another commit got there first, or this transaction had the series twice.
    if (t == last && std::bit_cast<uint64_t>(series.LastValue()) == std::bit_cast<uint64_t>(v)) {
      return Status::Ok();
    }
    return Status::Errorf(Status::Code::kOutOfOrder, "out of order sample at {}", t);
  }
  OpenChunk& open = series.open;
  if (!open.empty()) {
    int64_t block_end =
        BlockStart(open.min_time(), options_.block_range_ms) + options_.block_range_ms;
    if (open.num_samples() >= options_.chunk_samples || t >= block_end) {
      auto sealed = std::make_shared<SealedChunk>();
      sealed->min_time = open.min_time();
      sealed->max_time = open.max_time();
      sealed->num_samples = open.num_samples();
      open.Seal(&sealed->bytes);
      sealed->bytes.shrink_to_fit();
      if (!series.sealed) series.sealed = std::make_unique<SealedChunks>();
      series.sealed->push_back(std::move(sealed));
      open = OpenChunk();
    }
  }
  if (open.empty()) {
    num_chunks_.fetch_add(1, std::memory_order_relaxed);
    stats_.chunks_created.fetch_add(1, std::memory_order_relaxed);
  }
  open.Append(t, v);
  NoteTimes(t);
  return Status::Ok();
}

bool Head::Chunks(storage::SeriesRef id, int64_t mint, int64_t maxt, SeriesChunks* out) const {
  out->sealed.clear();
  out->open = OpenChunk();
  out->out_of_order.clear();
  absl::ReaderMutexLock lock(&table_mu_);
  {
    absl::MutexLock stripe(&StripeOf(id));
    const HeadSeries* series = SeriesLocked(id);
    if (!series) return false;
    if (series->sealed) {
      for (const auto& c : *series->sealed) {
        if (c->max_time >= mint && c->min_time <= maxt) out->sealed.push_back(c);
      }
    }
    if (!series->open.empty() && series->open.max_time() >= mint &&
        series->open.min_time() <= maxt) {
      out->open = series->open;
    }
  }
  CopyOutOfOrder(id, mint, maxt, &out->out_of_order);
  return true;
}

}  // namespace argus::tsdb
