#include "tsdb/chunk_source.h"

namespace argus::tsdb {
namespace {

// A block's series ids are in label order, so its series are read one at a time.
class BlockSeriesSet final : public SourceSeriesSet {
 public:
  BlockSeriesSet(std::shared_ptr<const BlockReader> block, std::unique_ptr<Postings> postings,
                 int64_t mint, int64_t maxt)
      : block_(std::move(block)), postings_(std::move(postings)), mint_(mint), maxt_(maxt) {}

  bool Next() override {
    while (err_.ok() && postings_->Next()) {
      err_ = block_->Series(postings_->At(), builder_, metas_);
      if (!err_.ok()) return false;
      current_ = SourceSeries();
      for (const ChunkMeta& m : metas_) {
        if (m.max_time < mint_ || m.min_time > maxt_) continue;
        auto bytes = block_->Chunk(m.ref);
        if (!bytes.ok()) {
          current_.error = bytes.status();
          break;
        }
        current_.sealed.push_back({m.min_time, m.max_time, *bytes});
      }
      if (current_.sealed.empty() && current_.error.ok()) continue;
      current_.labels = builder_.Build();
      current_.keep = block_;
      return true;
    }
    if (err_.ok()) err_ = postings_->Err();
    return false;
  }
  SourceSeries& At() override { return current_; }
  Status Err() const override { return err_; }

 private:
  std::shared_ptr<const BlockReader> block_;
  std::unique_ptr<Postings> postings_;
  const int64_t mint_;
  const int64_t maxt_;
  model::LabelsBuilder builder_;
  std::vector<ChunkMeta> metas_;
  SourceSeries current_;
  Status err_;
};

}  // namespace

std::unique_ptr<SourceSeriesSet> SelectFromBlock(std::shared_ptr<const BlockReader> block,
                                                 std::unique_ptr<Postings> postings, int64_t mint,
                                                 int64_t maxt) {
  return std::make_unique<BlockSeriesSet>(std::move(block), std::move(postings), mint, maxt);
}

}  // namespace argus::tsdb
