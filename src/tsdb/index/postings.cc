#include "tsdb/index/postings.h"

#include <algorithm>
#include <utility>

#include "tsdb/index/gallop.h"

namespace argus::tsdb {
namespace {

class EmptyList final : public Postings {
 public:
  explicit EmptyList(Status error = Status::Ok()) : error_(std::move(error)) {}
  bool Next() override { return false; }
  bool Seek(SeriesId) override { return false; }
  SeriesId At() const override { return 0; }
  Status Err() const override { return error_; }

 private:
  Status error_;
};

class VectorList final : public Postings {
 public:
  explicit VectorList(std::vector<SeriesId> ids) : ids_(std::move(ids)) {}
  bool Next() override {
    if (started_ && pos_ < ids_.size()) ++pos_;
    started_ = true;
    return pos_ < ids_.size();
  }
  bool Seek(SeriesId target) override {
    started_ = true;
    pos_ = GallopTo(pos_, ids_.size(), target, [&](size_t i) { return ids_[i]; });
    return pos_ < ids_.size();
  }
  SeriesId At() const override { return ids_[pos_]; }
  Status Err() const override { return Status::Ok(); }

 private:
  std::vector<SeriesId> ids_;
  size_t pos_ = 0;
  bool started_ = false;
};

// Leapfrogs: every list seeks to the largest current id until all agree.
class IntersectList final : public Postings {
 public:
  explicit IntersectList(std::vector<std::unique_ptr<Postings>> lists) : lists_(std::move(lists)) {}
  bool Next() override {
    if (!lists_[0]->Next()) return Done();
    return Align(lists_[0]->At());
  }
  bool Seek(SeriesId target) override {
    if (!lists_[0]->Seek(target)) return Done();
    return Align(lists_[0]->At());
  }
  SeriesId At() const override { return current_; }
  Status Err() const override { return error_; }

 private:
  // Seeks every list to `target`, raising it to the largest id met, until a whole round agrees.
  bool Align(SeriesId target) {
    for (bool agreed = false; !agreed;) {
      agreed = true;
      for (auto& l : lists_) {
        if (!l->Seek(target)) return Done();
        if (l->At() != target) {
          target = l->At();
          agreed = false;
        }
      }
    }
    current_ = target;
    return true;
  }
  bool Done() {
    for (const auto& l : lists_) {
      if (Status s = l->Err(); !s.ok()) {
        error_ = std::move(s);
        break;
      }
    }
    return false;
  }

  std::vector<std::unique_ptr<Postings>> lists_;
  SeriesId current_ = 0;
  Status error_;
};

// A min-heap of the lists by their current id.
class MergeList final : public Postings {
 public:
  explicit MergeList(std::vector<std::unique_ptr<Postings>> lists) : lists_(std::move(lists)) {}
  bool Next() override {
    if (!started_) return Start([](Postings& l) { return l.Next(); });
    // Advance every list at the current id.
    while (!heap_.empty() && heap_.front()->At() == current_) {
      std::pop_heap(heap_.begin(), heap_.end(), Later);
      if (heap_.back()->Next()) {
        std::push_heap(heap_.begin(), heap_.end(), Later);
      } else {
        Collect(*heap_.back());
        heap_.pop_back();
      }
    }
    return Current();
  }
  bool Seek(SeriesId target) override {
    if (!started_) return Start([target](Postings& l) { return l.Seek(target); });
    if (!heap_.empty() && current_ >= target) return true;
    std::vector<Postings*> live;
    for (Postings* l : heap_) {
      if (l->Seek(target)) {
        live.push_back(l);
      } else {
        Collect(*l);
      }
    }
    heap_ = std::move(live);
    std::make_heap(heap_.begin(), heap_.end(), Later);
    return Current();
  }
  SeriesId At() const override { return current_; }
  Status Err() const override { return error_; }

 private:
  static bool Later(const Postings* a, const Postings* b) { return a->At() > b->At(); }

  template <typename Move>
  bool Start(Move move) {
    started_ = true;
    for (auto& l : lists_) {
      if (move(*l)) {
        heap_.push_back(l.get());
      } else {
        Collect(*l);
      }
    }
    std::make_heap(heap_.begin(), heap_.end(), Later);
    return Current();
  }
  bool Current() {
    if (heap_.empty() || !error_.ok()) {
      heap_.clear();
      return false;
    }
    current_ = heap_.front()->At();
    return true;
  }
  void Collect(const Postings& l) {
    if (Status s = l.Err(); !s.ok() && error_.ok()) error_ = std::move(s);
  }

  std::vector<std::unique_ptr<Postings>> lists_;
  std::vector<Postings*> heap_;
  bool started_ = false;
  SeriesId current_ = 0;
  Status error_;
};

class WithoutList final : public Postings {
 public:
  WithoutList(std::unique_ptr<Postings> full, std::unique_ptr<Postings> drop)
      : full_(std::move(full)), drop_(std::move(drop)) {}
  bool Next() override { return full_->Next() && Skip(); }
  bool Seek(SeriesId target) override { return full_->Seek(target) && Skip(); }
  SeriesId At() const override { return full_->At(); }
  Status Err() const override {
    Status s = full_->Err();
    return s.ok() ? drop_->Err() : s;
  }

 private:
  // Moves past the ids of full_ that drop_ holds.
  bool Skip() {
    while (true) {
      if (drop_live_) {
        drop_live_ = drop_->Seek(full_->At());
        if (!drop_->Err().ok()) return false;
      }
      if (!drop_live_ || drop_->At() != full_->At()) return true;
      if (!full_->Next()) return false;
    }
  }

  std::unique_ptr<Postings> full_;
  std::unique_ptr<Postings> drop_;
  bool drop_live_ = true;  // False once drop_ is exhausted.
};

}  // namespace

std::unique_ptr<Postings> EmptyPostings() { return std::make_unique<EmptyList>(); }

std::unique_ptr<Postings> ErrorPostings(Status error) {
  return std::make_unique<EmptyList>(std::move(error));
}

std::unique_ptr<Postings> ListPostings(std::vector<SeriesId> ids) {
  return std::make_unique<VectorList>(std::move(ids));
}

std::unique_ptr<Postings> Intersect(std::vector<std::unique_ptr<Postings>> lists) {
  if (lists.empty()) return EmptyPostings();
  if (lists.size() == 1) return std::move(lists[0]);
  return std::make_unique<IntersectList>(std::move(lists));
}

std::unique_ptr<Postings> Merge(std::vector<std::unique_ptr<Postings>> lists) {
  if (lists.empty()) return EmptyPostings();
  if (lists.size() == 1) return std::move(lists[0]);
  return std::make_unique<MergeList>(std::move(lists));
}

std::unique_ptr<Postings> Without(std::unique_ptr<Postings> full, std::unique_ptr<Postings> drop) {
  return std::make_unique<WithoutList>(std::move(full), std::move(drop));
}

Result<std::vector<SeriesId>> ExpandPostings(Postings& list) {
  std::vector<SeriesId> ids;
  while (list.Next()) ids.push_back(list.At());
  if (Status s = list.Err(); !s.ok()) return s;
  return ids;
}

}  // namespace argus::tsdb
