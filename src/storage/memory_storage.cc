#include "storage/memory_storage.h"

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <vector>

#include "storage/appender.h"

namespace argus::storage {
namespace {

struct Sample {
  int64_t t;
  double v;
};

struct MemSeries {
  model::Labels labels;
  std::vector<Sample> samples;
};

// All series, indexed by labels and by ref.
struct Db {
  absl::Mutex mu;
  std::map<model::Labels, SeriesRef> by_labels ABSL_GUARDED_BY(mu);
  std::vector<MemSeries> series ABSL_GUARDED_BY(mu);  // ref is index + 1.
};

class MemoryAppender final : public Appender {
 public:
  explicit MemoryAppender(Db& db) : db_(db) {}

  Result<SeriesRef> Append(SeriesRef ref, const model::Labels& labels, int64_t t,
                           double v) override {
    absl::MutexLock lock(&db_.mu);
    if (ref == 0 || ref > db_.series.size()) {
      if (labels.empty()) return Status::Errorf(Status::Code::kNotFound, "unknown series {}", ref);
      auto [it, inserted] = db_.by_labels.try_emplace(labels, db_.series.size() + 1);
      if (inserted) db_.series.push_back({labels, {}});
      ref = it->second;
    }
    // Checks against committed samples and against this transaction's earlier ones.
    int64_t newest = INT64_MIN;
    double newest_v = 0;
    const auto& committed = db_.series[ref - 1].samples;
    if (!committed.empty()) {
      newest = committed.back().t;
      newest_v = committed.back().v;
    }
    if (auto it = newest_pending_.find(ref); it != newest_pending_.end()) {
      newest = it->second.t;
      newest_v = it->second.v;
    }
    if (t < newest) {
      return Status::Errorf(Status::Code::kOutOfOrder, "out of order sample for {} at {}",
                            db_.series[ref - 1].labels.ToString(), t);
    }
    if (t == newest && std::bit_cast<uint64_t>(v) != std::bit_cast<uint64_t>(newest_v)) {
      return Status::Errorf(Status::Code::kDuplicate,
                            "duplicate sample for timestamp {} of {} with another value", t,
                            db_.series[ref - 1].labels.ToString());
    }
    if (t != newest) {
      pending_.push_back({ref, {t, v}});
      newest_pending_[ref] = {t, v};
    }
    return ref;
  }

  Status Commit() override {
    absl::MutexLock lock(&db_.mu);
    for (const auto& p : pending_) {
      auto& samples = db_.series[p.ref - 1].samples;
      // A concurrent transaction may have added a newer sample since Append checked.
      if (samples.empty() || samples.back().t < p.sample.t) samples.push_back(p.sample);
    }
    Clear();
    return Status::Ok();
  }

  void Rollback() override { Clear(); }

 private:
  void Clear() {
    pending_.clear();
    newest_pending_.clear();
  }

  struct Pending {
    SeriesRef ref;
    Sample sample;
  };
  Db& db_;
  std::vector<Pending> pending_;
  absl::flat_hash_map<SeriesRef, Sample> newest_pending_;
};

class VectorIterator final : public SampleIterator {
 public:
  explicit VectorIterator(std::vector<Sample> samples) : samples_(std::move(samples)) {}
  bool Next() override { return ++pos_ < samples_.size(); }
  bool Seek(int64_t t) override {
    if (pos_ == kBefore) pos_ = 0;
    while (pos_ < samples_.size() && samples_[pos_].t < t) ++pos_;
    return pos_ < samples_.size();
  }
  int64_t t() const override { return samples_[pos_].t; }
  double v() const override { return samples_[pos_].v; }
  Status Err() const override { return Status::Ok(); }

 private:
  static constexpr size_t kBefore = static_cast<size_t>(-1);
  std::vector<Sample> samples_;
  size_t pos_ = kBefore;
};

class CopiedSeries final : public Series {
 public:
  CopiedSeries(model::Labels labels, std::vector<Sample> samples)
      : labels_(std::move(labels)), samples_(std::move(samples)) {}
  const model::Labels& labels() const override { return labels_; }
  std::unique_ptr<SampleIterator> Iterator() const override {
    return std::make_unique<VectorIterator>(samples_);
  }

 private:
  model::Labels labels_;
  std::vector<Sample> samples_;
};

class CopiedSeriesSet final : public SeriesSet {
 public:
  explicit CopiedSeriesSet(std::vector<CopiedSeries> series) : series_(std::move(series)) {}
  bool Next() override { return ++pos_ < series_.size(); }
  const Series& At() const override { return series_[pos_]; }
  Status Err() const override { return Status::Ok(); }

 private:
  std::vector<CopiedSeries> series_;
  size_t pos_ = static_cast<size_t>(-1);
};

bool MatchesAll(const model::Labels& labels, std::span<const model::Matcher> matchers) {
  return std::all_of(matchers.begin(), matchers.end(),
                     [&](const model::Matcher& m) { return m.Matches(labels.Get(m.name())); });
}

// Copies what it selects, so that results stay valid while appends go on.
class MemoryQuerier final : public Querier {
 public:
  MemoryQuerier(Db& db, int64_t mint, int64_t maxt) : db_(db), mint_(mint), maxt_(maxt) {}

  std::unique_ptr<SeriesSet> Select(std::span<const model::Matcher> matchers) override {
    std::vector<CopiedSeries> out;
    absl::MutexLock lock(&db_.mu);
    for (const auto& [labels, ref] : db_.by_labels) {  // Sorted by labels.
      if (!MatchesAll(labels, matchers)) continue;
      std::vector<Sample> samples;
      for (const auto& s : db_.series[ref - 1].samples) {
        if (s.t >= mint_ && s.t <= maxt_) samples.push_back(s);
      }
      if (!samples.empty()) out.emplace_back(labels, std::move(samples));
    }
    return std::make_unique<CopiedSeriesSet>(std::move(out));
  }

  Result<std::vector<std::string>> LabelNames(std::span<const model::Matcher> matchers) override {
    std::set<std::string> names;
    ForEachMatching(matchers, [&](const model::Labels& labels) {
      for (const auto& l : labels) names.insert(l.name);
    });
    return std::vector<std::string>(names.begin(), names.end());
  }

  Result<std::vector<std::string>> LabelValues(const std::string& name,
                                               std::span<const model::Matcher> matchers) override {
    std::set<std::string> values;
    ForEachMatching(matchers, [&](const model::Labels& labels) {
      if (labels.Has(name)) values.emplace(labels.Get(name));
    });
    return std::vector<std::string>(values.begin(), values.end());
  }

 private:
  template <typename F>
  void ForEachMatching(std::span<const model::Matcher> matchers, F f) {
    absl::MutexLock lock(&db_.mu);
    for (const auto& [labels, ref] : db_.by_labels) {
      if (MatchesAll(labels, matchers)) f(labels);
    }
  }

  Db& db_;
  int64_t mint_;
  int64_t maxt_;
};

class MemoryStorage final : public Storage {
 public:
  std::unique_ptr<Appender> NewAppender() override { return std::make_unique<MemoryAppender>(db_); }
  std::unique_ptr<Querier> NewQuerier(int64_t mint, int64_t maxt) override {
    return std::make_unique<MemoryQuerier>(db_, mint, maxt);
  }

 private:
  Db db_;
};

}  // namespace

std::unique_ptr<Storage> NewMemoryStorage() { return std::make_unique<MemoryStorage>(); }

}  // namespace argus::storage
