#include "tsdb/chunk_iterator.h"

#include <algorithm>
#include <optional>

#include "tsdb/chunkenc/chunk.h"

namespace argus::tsdb {
namespace {

class ChunksIterator final : public storage::SampleIterator {
 public:
  ChunksIterator(std::vector<ChunkView> sealed, const OpenChunk* open, int64_t mint, int64_t maxt,
                 std::shared_ptr<const void> keep)
      : sealed_(std::move(sealed)), open_(open), mint_(mint), maxt_(maxt), keep_(std::move(keep)) {}

  bool Next() override {
    if (done_) return false;
    for (;;) {
      if (current_) {
        // A chunk's first sample in range is found with Seek, the rest one by one.
        bool found = fresh_ ? current_->Seek(mint_) : current_->Next();
        fresh_ = false;
        if (found) return current_->t() <= maxt_ || Finish();
        if (!current_->Err().ok()) return Fail(current_->Err());
      }
      if (!Advance()) return Finish();
    }
  }

  bool Seek(int64_t t) override {
    if (done_) return false;
    t = std::max(t, mint_);
    if (current_ && !fresh_ && current_->t() >= t) return true;
    for (;;) {
      if (current_ && current_max_ >= t) {  // Chunks that end before t are not decoded.
        bool found = current_->Seek(t);
        fresh_ = false;
        if (found) return current_->t() <= maxt_ || Finish();
        if (!current_->Err().ok()) return Fail(current_->Err());
      }
      if (!Advance()) return Finish();
    }
  }

  int64_t t() const override { return current_->t(); }
  double v() const override { return current_->v(); }
  Status Err() const override { return err_; }

  // Decodes each sealed chunk in range whole and copies its samples in range, so that a query
  // pays no call per sample; the open chunk, short and still growing, is walked.
  Status AppendRange(int64_t mint, int64_t maxt, std::vector<storage::SamplePoint>* out) override {
    done_ = true;
    mint = std::max(mint, mint_);
    maxt = std::min(maxt, maxt_);
    if (mint > maxt) return err_;
    std::vector<int64_t> t;
    std::vector<double> v;
    for (const ChunkView& c : sealed_) {
      if (c.max_time < mint) continue;
      if (c.min_time > maxt) return err_;
      if (Status st = DecodeChunk(c.bytes, &t, &v); !st.ok()) return err_ = std::move(st);
      size_t from = std::lower_bound(t.begin(), t.end(), mint) - t.begin();
      size_t to = std::upper_bound(t.begin() + from, t.end(), maxt) - t.begin();
      out->reserve(out->size() + (to - from));
      for (size_t i = from; i < to; ++i) out->push_back({t[i], v[i]});
    }
    if (open_ && !open_->empty() && open_->max_time() >= mint && open_->min_time() <= maxt) {
      OpenChunkIterator it(*open_);
      if (it.Seek(mint)) {
        do {
          if (it.t() > maxt) break;
          out->push_back({it.t(), it.v()});
        } while (it.Next());
      }
    }
    return err_;
  }

 private:
  // Moves to the next chunk that may hold samples in range; false when none is left.
  bool Advance() {
    fresh_ = true;
    while (next_ < sealed_.size()) {
      const ChunkView& c = sealed_[next_++];
      if (c.max_time < mint_) continue;
      if (c.min_time > maxt_) return false;
      sealed_iterator_.Reset(c.bytes);
      current_ = &sealed_iterator_;
      current_max_ = c.max_time;
      return true;
    }
    if (open_ && !open_->empty() && !open_used_) {
      open_used_ = true;
      if (open_->max_time() < mint_ || open_->min_time() > maxt_) return false;
      open_iterator_.emplace(*open_);
      current_ = &*open_iterator_;
      current_max_ = open_->max_time();
      return true;
    }
    return false;
  }
  bool Finish() {
    done_ = true;
    return false;
  }
  bool Fail(Status error) {
    err_ = std::move(error);
    return Finish();
  }

  std::vector<ChunkView> sealed_;
  const OpenChunk* open_;
  const int64_t mint_;
  const int64_t maxt_;
  std::shared_ptr<const void> keep_;
  size_t next_ = 0;
  bool open_used_ = false;
  bool fresh_ = false;  // current_ has not been positioned yet.
  bool done_ = false;
  ChunkIterator sealed_iterator_;
  std::optional<OpenChunkIterator> open_iterator_;
  storage::SampleIterator* current_ = nullptr;
  int64_t current_max_ = 0;
  Status err_;
};

class MergeIterator final : public storage::SampleIterator {
 public:
  explicit MergeIterator(std::vector<std::unique_ptr<storage::SampleIterator>> iterators)
      : iterators_(std::move(iterators)), has_(iterators_.size(), false) {}

  bool Next() override {
    if (!started_) {
      started_ = true;
      for (size_t i = 0; i < iterators_.size(); ++i) has_[i] = iterators_[i]->Next();
    } else if (current_ >= 0) {
      // Past the current timestamp in every iterator that has it.
      int64_t t = iterators_[current_]->t();
      for (size_t i = 0; i < iterators_.size(); ++i) {
        if (has_[i] && iterators_[i]->t() == t) has_[i] = iterators_[i]->Next();
      }
    }
    return Choose();
  }

  bool Seek(int64_t t) override {
    if (started_ && current_ >= 0 && iterators_[current_]->t() >= t) return true;
    for (size_t i = 0; i < iterators_.size(); ++i) {
      if (!started_ || (has_[i] && iterators_[i]->t() < t)) has_[i] = iterators_[i]->Seek(t);
    }
    started_ = true;
    return Choose();
  }

  int64_t t() const override { return iterators_[current_]->t(); }
  double v() const override { return iterators_[current_]->v(); }
  Status Err() const override {
    for (const auto& it : iterators_) {
      if (!it->Err().ok()) return it->Err();
    }
    return Status::Ok();
  }

  // Each part's range one after the other: blocks usually hold disjoint times, so the parts
  // come in order and need no merging; where they overlap, a stable sort by time keeps the
  // first part's sample of each timestamp.
  Status AppendRange(int64_t mint, int64_t maxt, std::vector<storage::SamplePoint>* out) override {
    started_ = true;
    current_ = -1;
    std::fill(has_.begin(), has_.end(), false);
    const size_t begin = out->size();
    bool in_order = true;
    for (auto& it : iterators_) {
      const size_t part = out->size();
      ARGUS_RETURN_IF_ERROR(it->AppendRange(mint, maxt, out));
      if (part > begin && part < out->size() && (*out)[part].t <= (*out)[part - 1].t) {
        in_order = false;
      }
    }
    if (!in_order) {
      auto first = out->begin() + static_cast<std::ptrdiff_t>(begin);
      auto by_time = [](const auto& a, const auto& b) { return a.t < b.t; };
      std::stable_sort(first, out->end(), by_time);
      auto same_time = [](const auto& a, const auto& b) { return a.t == b.t; };
      out->erase(std::unique(first, out->end(), same_time), out->end());
    }
    return Status::Ok();
  }

 private:
  bool Choose() {
    current_ = -1;
    for (size_t i = 0; i < iterators_.size(); ++i) {
      if (!has_[i]) {
        if (!iterators_[i]->Err().ok()) return (current_ = -1, false);
        continue;
      }
      if (current_ < 0 || iterators_[i]->t() < iterators_[current_]->t()) {
        current_ = static_cast<int>(i);
      }
    }
    return current_ >= 0;
  }

  std::vector<std::unique_ptr<storage::SampleIterator>> iterators_;
  std::vector<bool> has_;
  bool started_ = false;
  int current_ = -1;
};

class SamplesIterator final : public storage::SampleIterator {
 public:
  SamplesIterator(std::span<const storage::SamplePoint> samples, std::shared_ptr<const void> keep)
      : samples_(samples), keep_(std::move(keep)) {}

  bool Next() override { return ++next_ <= samples_.size(); }
  bool Seek(int64_t t) override {
    if (next_ > 0 && next_ <= samples_.size() && samples_[next_ - 1].t >= t) return true;
    auto from = samples_.begin() + static_cast<std::ptrdiff_t>(next_ > 0 ? next_ - 1 : 0);
    auto at = std::lower_bound(from, samples_.end(), t,
                               [](const storage::SamplePoint& s, int64_t t) { return s.t < t; });
    next_ = static_cast<size_t>(at - samples_.begin()) + 1;
    return next_ <= samples_.size();
  }
  int64_t t() const override { return samples_[next_ - 1].t; }
  double v() const override { return samples_[next_ - 1].v; }
  Status Err() const override { return Status::Ok(); }

 private:
  std::span<const storage::SamplePoint> samples_;
  std::shared_ptr<const void> keep_;
  size_t next_ = 0;  // One past the current sample; 0 before the first.
};

class ErrorIterator final : public storage::SampleIterator {
 public:
  explicit ErrorIterator(Status error) : error_(std::move(error)) {}
  bool Next() override { return false; }
  bool Seek(int64_t) override { return false; }
  int64_t t() const override { return 0; }
  double v() const override { return 0; }
  Status Err() const override { return error_; }

 private:
  Status error_;
};

}  // namespace

std::unique_ptr<storage::SampleIterator> NewMergeIterator(
    std::vector<std::unique_ptr<storage::SampleIterator>> iterators) {
  if (iterators.size() == 1) return std::move(iterators.front());
  return std::make_unique<MergeIterator>(std::move(iterators));
}

std::unique_ptr<storage::SampleIterator> NewSamplesIterator(
    std::span<const storage::SamplePoint> samples, std::shared_ptr<const void> keep) {
  return std::make_unique<SamplesIterator>(samples, std::move(keep));
}

std::unique_ptr<storage::SampleIterator> NewErrorIterator(Status error) {
  return std::make_unique<ErrorIterator>(std::move(error));
}

std::unique_ptr<storage::SampleIterator> NewChunksIterator(std::vector<ChunkView> sealed,
                                                           const OpenChunk* open, int64_t mint,
                                                           int64_t maxt,
                                                           std::shared_ptr<const void> keep) {
  return std::make_unique<ChunksIterator>(std::move(sealed), open, mint, maxt, std::move(keep));
}

}  // namespace argus::tsdb
