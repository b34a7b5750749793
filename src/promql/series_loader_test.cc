#include "promql/series_loader.h"

#include <gtest/gtest.h>

#include <string>

namespace argus::promql {
namespace {

// A series of `n` samples at t = 1..n with v = t, whose iterator fails after them if `fails`.
class FakeSeries final : public storage::Series {
 public:
  FakeSeries(int id, int n, bool fails)
      : labels_({{"id", std::to_string(id)}}), n_(n), fails_(fails) {}
  const model::Labels& labels() const override { return labels_; }
  std::unique_ptr<storage::SampleIterator> Iterator() const override {
    return std::make_unique<Iterator_>(n_, fails_);
  }

 private:
  class Iterator_ final : public storage::SampleIterator {
   public:
    Iterator_(int n, bool fails) : n_(n), fails_(fails) {}
    bool Next() override { return ++t_ <= n_; }
    bool Seek(int64_t t) override {
      t_ = std::max(t_, t);
      return t_ <= n_;
    }
    int64_t t() const override { return t_; }
    double v() const override { return static_cast<double>(t_); }
    Status Err() const override {
      return fails_ && t_ > n_ ? Status::Error("chunk 7 is corrupt", Status::Code::kCorruption)
                               : Status::Ok();
    }

   private:
    int64_t n_;
    bool fails_;
    int64_t t_ = 0;
  };
  model::Labels labels_;
  int n_;
  bool fails_;
};

class FakeSet final : public storage::SeriesSet {
 public:
  explicit FakeSet(std::vector<FakeSeries> series) : series_(std::move(series)) {}
  bool Next() override { return ++pos_ < series_.size(); }
  const storage::Series& At() const override { return series_[pos_]; }
  Status Err() const override { return Status::Ok(); }

 private:
  std::vector<FakeSeries> series_;
  size_t pos_ = static_cast<size_t>(-1);
};

// Series 0..count-1; every third has no samples; the one at `failing` (if any) fails.
std::vector<FakeSeries> MakeSeries(int count, int failing = -1) {
  std::vector<FakeSeries> series;
  for (int i = 0; i < count; ++i) series.emplace_back(i, i % 3 == 0 ? 0 : 10 + i, i == failing);
  return series;
}

// The ids the loader hands out, checking each one's samples on the way.
std::vector<int> Drain(SeriesLoader& loader, LoadWindow w) {
  std::vector<int> ids;
  while (loader.Next()) {
    int id = std::stoi(std::string(loader.labels().Get("id")));
    int64_t last = std::min<int64_t>(w.hi, 10 + id);
    EXPECT_EQ(loader.points().size(), static_cast<size_t>(last - w.lo)) << id;
    EXPECT_EQ(loader.points().front().t, w.lo + 1) << id;
    EXPECT_EQ(loader.points().back().v, static_cast<double>(last)) << id;
    ids.push_back(id);
  }
  return ids;
}

std::vector<int> Expected(int count) {
  std::vector<int> ids;
  for (int i = 0; i < count; ++i) {
    if (i % 3 != 0) ids.push_back(i);
  }
  return ids;
}

TEST(SeriesLoaderTest, HandsOutTheSeriesWithSamplesInOrder) {
  WorkerPool pool(3);
  for (WorkerPool* p : {static_cast<WorkerPool*>(nullptr), &pool}) {
    FakeSet set(MakeSeries(500));
    LoadWindow w{2, 300, false};
    SeriesLoader loader(set, w, p);
    EXPECT_EQ(Drain(loader, w), Expected(500));
    EXPECT_TRUE(loader.Err().ok());
  }
}

TEST(SeriesLoaderTest, StopsAtTheFirstErrorAfterTheSeriesBeforeIt) {
  WorkerPool pool(2);
  for (WorkerPool* p : {static_cast<WorkerPool*>(nullptr), &pool}) {
    FakeSet set(MakeSeries(400, 250));
    LoadWindow w{0, 1000, false};
    SeriesLoader loader(set, w, p);
    EXPECT_EQ(Drain(loader, w), Expected(250));
    EXPECT_EQ(loader.Err().message(), "chunk 7 is corrupt");
    EXPECT_FALSE(loader.Next());
  }
}

TEST(SeriesLoaderTest, MayBeLeftBeforeTheEnd) {
  WorkerPool pool(2);
  FakeSet set(MakeSeries(1000));
  SeriesLoader loader(set, LoadWindow{0, 1000, false}, &pool);
  ASSERT_TRUE(loader.Next());
  EXPECT_EQ(loader.labels().Get("id"), "1");
}  // The destructor waits for the loads in flight; ASan sees to the rest.

}  // namespace
}  // namespace argus::promql
