#include <algorithm>

#include "tsdb/chunk_source.h"

namespace argus::tsdb {
namespace {

// The head's series are collected at once: the head's ids are not in label order, and taking
// every series' chunks at Select gives the querier one consistent moment.
class HeadSeriesSet final : public SourceSeriesSet {
 public:
  HeadSeriesSet(std::vector<SourceSeries> series, Status error)
      : series_(std::move(series)), error_(std::move(error)) {}
  bool Next() override { return ++next_ <= series_.size(); }
  SourceSeries& At() override { return series_[next_ - 1]; }
  Status Err() const override { return error_; }

 private:
  std::vector<SourceSeries> series_;
  Status error_;
  size_t next_ = 0;
};

}  // namespace

std::unique_ptr<SourceSeriesSet> SelectFromHead(const Head& head,
                                                std::unique_ptr<Postings> postings, int64_t mint,
                                                int64_t maxt) {
  std::vector<SourceSeries> out;
  model::LabelsBuilder builder;
  while (postings->Next()) {
    storage::SeriesRef id = postings->At();
    auto chunks = std::make_shared<SeriesChunks>();
    if (!head.Chunks(id, mint, maxt, chunks.get())) continue;
    if (chunks->sealed.empty() && chunks->open.empty() && chunks->out_of_order.empty()) continue;
    if (!head.index().SeriesLabels(id, builder).ok()) continue;  // Removed meanwhile.
    SourceSeries& s = out.emplace_back();
    s.labels = builder.Build();
    for (const auto& c : chunks->sealed) s.sealed.push_back({c->min_time, c->max_time, c->bytes});
    if (!chunks->open.empty()) s.open = &chunks->open;
    s.out_of_order = chunks->out_of_order;
    s.keep = std::move(chunks);
  }
  std::sort(out.begin(), out.end(),
            [](const SourceSeries& a, const SourceSeries& b) { return a.labels < b.labels; });
  return std::make_unique<HeadSeriesSet>(std::move(out), postings->Err());
}

}  // namespace argus::tsdb
