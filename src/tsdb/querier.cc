#include "tsdb/querier.h"

#include <set>

#include "tsdb/chunk_source.h"
#include "tsdb/index/postings_for_matchers.h"

namespace argus::tsdb {
namespace {

// A series as several sources hold it.
class MergedSeries final : public storage::Series {
 public:
  MergedSeries(int64_t mint, int64_t maxt) : mint_(mint), maxt_(maxt) {}

  const model::Labels& labels() const override { return parts_.front().labels; }
  std::unique_ptr<storage::SampleIterator> Iterator() const override {
    std::vector<std::unique_ptr<storage::SampleIterator>> iterators;
    for (const SourceSeries& part : parts_) iterators.push_back(part.Iterator(mint_, maxt_));
    return NewMergeIterator(std::move(iterators));
  }

  std::vector<SourceSeries> parts_;

 private:
  const int64_t mint_;
  const int64_t maxt_;
};

// Merges the sources' sets, each sorted by labels, into one.
class MergedSeriesSet final : public storage::SeriesSet {
 public:
  MergedSeriesSet(std::vector<std::unique_ptr<SourceSeriesSet>> sets, int64_t mint, int64_t maxt)
      : sets_(std::move(sets)),
        has_(sets_.size()),
        used_(sets_.size(), true),
        current_(mint, maxt) {}

  bool Next() override {
    for (size_t i = 0; i < sets_.size(); ++i) {
      if (used_[i]) has_[i] = sets_[i]->Next();
      used_[i] = false;
    }
    const model::Labels* min = nullptr;
    for (size_t i = 0; i < sets_.size(); ++i) {
      if (!has_[i]) {
        if (!sets_[i]->Err().ok()) return false;
        continue;
      }
      if (!min || sets_[i]->At().labels < *min) min = &sets_[i]->At().labels;
    }
    if (!min) return false;
    // The parts are marked before any is moved out, so that `min` needs no copy.
    for (size_t i = 0; i < sets_.size(); ++i) used_[i] = has_[i] && sets_[i]->At().labels == *min;
    current_.parts_.clear();
    for (size_t i = 0; i < sets_.size(); ++i) {
      if (used_[i]) current_.parts_.push_back(std::move(sets_[i]->At()));
    }
    return true;
  }

  const storage::Series& At() const override { return current_; }

  Status Err() const override {
    for (const auto& set : sets_) {
      if (!set->Err().ok()) return set->Err();
    }
    return Status::Ok();
  }

 private:
  std::vector<std::unique_ptr<SourceSeriesSet>> sets_;
  std::vector<bool> has_;
  std::vector<bool> used_;  // Sets whose current series was taken: they move on at Next.
  MergedSeries current_;
};

class TsdbQuerier final : public storage::Querier {
 public:
  TsdbQuerier(const Head* head, std::vector<std::shared_ptr<const BlockReader>> blocks,
              int64_t mint, int64_t maxt)
      : head_(head), blocks_(std::move(blocks)), mint_(mint), maxt_(maxt) {}
  ~TsdbQuerier() override {
    for (const auto& block : blocks_) block->ReleasePages();
  }

  std::unique_ptr<storage::SeriesSet> Select(std::span<const model::Matcher> matchers) override {
    std::vector<std::unique_ptr<SourceSeriesSet>> sets;
    for (const auto& block : blocks_) {
      sets.push_back(SelectFromBlock(block, PostingsForMatchers(*block, matchers), mint_, maxt_));
    }
    if (head_) {
      sets.push_back(
          SelectFromHead(*head_, PostingsForMatchers(head_->index(), matchers), mint_, maxt_));
    }
    return std::make_unique<MergedSeriesSet>(std::move(sets), mint_, maxt_);
  }

  Result<std::vector<std::string>> LabelNames(std::span<const model::Matcher> matchers) override {
    std::set<std::string> names;
    Status status = ForEachIndex([&](const IndexReader& index) -> Status {
      if (matchers.empty()) {
        auto all = index.LabelNames();
        if (!all.ok()) return all.status();
        names.insert(all->begin(), all->end());
        return Status::Ok();
      }
      return ForEachMatchingSeries(index, matchers, [&](const model::LabelsBuilder& b) {
        for (size_t i = 0; i < b.size(); ++i) names.insert(b[i].name);
      });
    });
    if (!status.ok()) return status;
    return std::vector<std::string>(names.begin(), names.end());
  }

  Result<std::vector<std::string>> LabelValues(const std::string& name,
                                               std::span<const model::Matcher> matchers) override {
    std::set<std::string> values;
    Status status = ForEachIndex([&](const IndexReader& index) -> Status {
      if (matchers.empty()) {
        auto all = tsdb::LabelValues(index, name);
        if (!all.ok()) return all.status();
        values.insert(all->begin(), all->end());
        return Status::Ok();
      }
      return ForEachMatchingSeries(index, matchers, [&](const model::LabelsBuilder& b) {
        std::string_view v = b.Get(name);
        if (!v.empty()) values.emplace(v);
      });
    });
    if (!status.ok()) return status;
    return std::vector<std::string>(values.begin(), values.end());
  }

 private:
  template <typename F>
  Status ForEachIndex(F&& f) const {
    for (const auto& block : blocks_) ARGUS_RETURN_IF_ERROR(f(*block));
    if (head_) ARGUS_RETURN_IF_ERROR(f(head_->index()));
    return Status::Ok();
  }

  template <typename F>
  static Status ForEachMatchingSeries(const IndexReader& index,
                                      std::span<const model::Matcher> matchers, F&& f) {
    auto postings = PostingsForMatchers(index, matchers);
    model::LabelsBuilder builder;
    while (postings->Next()) {
      // A series the head removed meanwhile is skipped; a block's error is the answer.
      Status status = index.SeriesLabels(postings->At(), builder);
      if (status.code() == Status::Code::kCorruption) return status;
      if (status.ok()) f(builder);
    }
    return postings->Err();
  }

  const Head* head_;
  std::vector<std::shared_ptr<const BlockReader>> blocks_;
  const int64_t mint_;
  const int64_t maxt_;
};

}  // namespace

std::unique_ptr<storage::Querier> NewQuerier(const Head* head,
                                             std::vector<std::shared_ptr<const BlockReader>> blocks,
                                             int64_t mint, int64_t maxt) {
  return std::make_unique<TsdbQuerier>(head, std::move(blocks), mint, maxt);
}

}  // namespace argus::tsdb
