// Appending to the head: the Appender that scrapes and rules use, its commit through the WAL,
// and the replay of the WAL at start-up.

#include <array>

#include "base/log.h"
#include "tsdb/head.h"
#include "tsdb/series_table.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb {

class HeadAppender final : public storage::Appender {
 public:
  explicit HeadAppender(Head& head) : head_(head) {}
  ~HeadAppender() override { Rollback(); }

  Result<storage::SeriesRef> Append(storage::SeriesRef ref, const model::Labels& labels, int64_t t,
                                    double v) override {
    if (!epoch_) epoch_ = head_.EnterEpoch();
    if (t < head_.MinValidTime()) {
      ARGUS_RETURN_IF_ERROR(head_.CheckOutOfOrder(
          t,
          Status::Errorf(Status::Code::kOutOfBounds,
                         "out of bounds sample: timestamp {} is older than the head accepts", t)));
      return AppendOutOfOrder(ref, labels, t, v);
    }
    bool skip = false;
    Status status = ref == 0 ? Status::Error("no ref", Status::Code::kNotFound)
                             : head_.CheckAppendable(ref, t, v, &skip);
    if (status.code() == Status::Code::kNotFound) {
      if (labels.empty()) return status;
      bool created = false;
      auto id = head_.GetOrCreate(labels, &created);
      if (!id.ok()) return id.status();
      ref = *id;
      status = created ? Status::Ok() : head_.CheckAppendable(ref, t, v, &skip);
    }
    if (!status.ok()) {
      if (status.code() == Status::Code::kOutOfOrder) {
        ARGUS_RETURN_IF_ERROR(head_.CheckOutOfOrder(t, std::move(status)));
        out_of_order_.push_back({ref, t, v});
        return ref;
      }
      if (status.code() == Status::Code::kDuplicate) {
        head_.stats_.duplicate_samples.fetch_add(1, std::memory_order_relaxed);
      }
      return status;
    }
    if (!skip) pending_.push_back({ref, t, v});
    return ref;
  }

  Status Commit() override {
    Status status = head_.Commit(pending_, out_of_order_);
    Done();
    return status;
  }

  void Rollback() override { Done(); }

 private:
  // A sample the in-order checks refused but the out-of-order window takes, for series `ref`
  // or, when the head does not hold that, the one with `labels`.
  Result<storage::SeriesRef> AppendOutOfOrder(storage::SeriesRef ref, const model::Labels& labels,
                                              int64_t t, double v) {
    bool skip = false;
    if (ref == 0 || head_.CheckAppendable(ref, t, v, &skip).code() == Status::Code::kNotFound) {
      if (labels.empty()) return Status::Errorf(Status::Code::kNotFound, "unknown series {}", ref);
      bool created = false;
      auto id = head_.GetOrCreate(labels, &created);
      if (!id.ok()) return id.status();
      ref = *id;
    }
    out_of_order_.push_back({ref, t, v});
    return ref;
  }

  void Done() {
    pending_.clear();
    out_of_order_.clear();
    if (epoch_) head_.LeaveEpoch(*epoch_);
    epoch_.reset();
  }

  Head& head_;
  std::vector<Head::PendingSample> pending_;
  std::vector<Head::PendingSample> out_of_order_;  // Taken by the out-of-order window.
  std::optional<uint64_t> epoch_;  // Set from the first Append until Commit or Rollback.
};

std::unique_ptr<storage::Appender> Head::NewAppender() {
  return std::make_unique<HeadAppender>(*this);
}

Status Head::Commit(std::vector<PendingSample>& samples, std::vector<PendingSample>& out_of_order) {
  std::string samples_record, out_of_order_record;
  std::array<std::string_view, 2> records;
  size_t num_records = 0;
  if (wal_ && !samples.empty()) {
    wal::SamplesEncoder encoder(&samples_record);
    for (const PendingSample& s : samples) encoder.Add(s.id, s.t, s.v);
    records[num_records++] = samples_record;
  }
  if (wal_ && !out_of_order.empty()) {
    wal::SamplesEncoder encoder(&out_of_order_record, wal::RecordType::kOutOfOrderSamples);
    for (const PendingSample& s : out_of_order) encoder.Add(s.id, s.t, s.v);
    records[num_records++] = out_of_order_record;
  }
  // A truncation may have removed a series this commit appends to: it comes back first, so that
  // its record precedes its samples in the log.
  for (;;) {
    {
      absl::ReaderMutexLock lock(&table_mu_);
      bool missing = false;
      for (const auto* list : {&samples, &out_of_order}) {
        for (const PendingSample& s : *list) {
          if (!table_->Find(s.id)) missing = true;
        }
      }
      if (!missing) {
        return CommitLocked(samples, out_of_order, std::span(records.data(), num_records));
      }
    }
    absl::MutexLock exclusive(&table_mu_);
    size_t lost = 0;
    for (auto* list : {&samples, &out_of_order}) {
      size_t kept = 0;
      for (const PendingSample& s : *list) {
        if (table_->Find(s.id) || Resurrect(s.id)) (*list)[kept++] = s;
      }
      lost += list->size() - kept;
      list->resize(kept);
    }
    if (lost > 0) {  // The epochs of head_gc.cc make this impossible; say so if it is not.
      log::Error("Samples of removed series dropped at commit", {{"count", lost}});
    }
  }
}

Status Head::CommitLocked(std::span<const PendingSample> samples,
                          std::span<const PendingSample> out_of_order,
                          std::span<const std::string_view> records) {
  if (wal_) {
    absl::MutexLock wal_lock(&wal_mu_);
    std::string series_record;
    if (!unlogged_.empty()) {
      wal::SeriesEncoder encoder(&series_record);
      model::LabelsBuilder builder;
      for (storage::SeriesRef id : unlogged_) {
        if (index_.SeriesLabels(id, builder).ok()) encoder.Add(id, builder.Build());
      }
    }
    std::vector<std::string_view> all;
    if (!series_record.empty()) all.push_back(series_record);
    all.insert(all.end(), records.begin(), records.end());
    Status logged = wal_->Log(all);
    if (!logged.ok()) return logged.Wrap("writing the WAL");
    unlogged_.clear();
  }
  uint64_t appended = 0;
  for (const PendingSample& s : samples) {
    Status status = AppendLocked(s.id, s.t, s.v);
    if (status.ok()) {
      ++appended;
    } else {
      stats_.out_of_order_samples.fetch_add(1, std::memory_order_relaxed);
    }
  }
  stats_.samples_appended.fetch_add(appended, std::memory_order_relaxed);
  if (!out_of_order.empty()) {
    uint64_t taken = 0;
    for (const PendingSample& s : out_of_order) taken += InsertOutOfOrder(s.id, s.t, s.v) ? 1 : 0;
    stats_.out_of_order_appended.fetch_add(taken, std::memory_order_relaxed);
  }
  return Status::Ok();
}

void Head::ReplaySeries(const wal::DecodedSeries& record,
                        absl::flat_hash_map<uint64_t, uint64_t>* aliases,
                        std::vector<Status>* errors) {
  // The labels are built before the lock is taken, which holds off every other writer.
  std::vector<std::pair<model::Labels, uint64_t>> labels;
  labels.reserve(record.size());
  model::LabelsBuilder builder;
  for (const auto& s : record.series()) {
    builder.Reset();
    for (const auto& l : s.labels) builder.Add(l.name, l.value);
    labels.emplace_back(builder.Build(), 0);
    labels.back().second = labels.back().first.Hash();
  }
  absl::MutexLock lock(&table_mu_);
  for (size_t i = 0; i < labels.size(); ++i) {
    const storage::SeriesRef id = record.series()[i].ref;
    const auto& [series_labels, hash] = labels[i];
    if (auto found = FindLocked(series_labels, hash); found.ok()) {
      if (*found != id) (*aliases)[id] = *found;
      continue;
    }
    if (table_->Find(id)) {
      errors->push_back(
          Status::Errorf(Status::Code::kCorruption, "series {} has two label sets", id));
      continue;
    }
    Status added = index_.Add(id, series_labels);
    if (!added.ok()) {
      errors->push_back(added.Wrap(fmt::format("series {}", id)));
      continue;
    }
    table_->Create(id, hash);
    stats_.series_created.fetch_add(1, std::memory_order_relaxed);
  }
}

void Head::ReplaySamples(std::span<const wal::RefSample> samples) {
  absl::ReaderMutexLock lock(&table_mu_);
  int64_t min_valid = truncated_before_.load(std::memory_order_relaxed);
  uint64_t appended = 0;
  for (const wal::RefSample& s : samples) {
    // A sample of a series the head does not hold is skipped: AppendLocked says kNotFound.
    if (s.t >= min_valid && AppendLocked(s.ref, s.t, s.v).ok()) ++appended;
  }
  stats_.samples_appended.fetch_add(appended, std::memory_order_relaxed);
}

storage::SeriesRef Head::NextId() const {
  absl::ReaderMutexLock lock(&table_mu_);
  return table_->next_id;
}

void Head::SetMinValidTime(int64_t t) {
  int64_t before = truncated_before_.load();
  while (t > before && !truncated_before_.compare_exchange_weak(before, t)) {
  }
}

}  // namespace argus::tsdb
