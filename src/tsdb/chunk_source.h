#pragma once

// Where a querier's series come from: the head, or one block. Internal to the queriers.

#include <memory>
#include <span>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/chunk_iterator.h"
#include "tsdb/head.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/index_reader.h"
#include "tsdb/index/postings.h"

namespace argus::tsdb {

// One series of a source, with its chunks that overlap the querier's range.
struct SourceSeries {
  model::Labels labels;
  std::vector<ChunkView> sealed;
  const OpenChunk* open = nullptr;
  // The head's out-of-order samples in the range, in time order; the chunks win where both have
  // a timestamp.
  std::span<const storage::SamplePoint> out_of_order;
  std::shared_ptr<const void> keep;  // Owns what `sealed`, `open` and `out_of_order` point into.
  Status error;                      // Why the chunks could not be read, if they could not.

  std::unique_ptr<storage::SampleIterator> Iterator(int64_t mint, int64_t maxt) const {
    if (!error.ok()) return NewErrorIterator(error);
    auto chunks = NewChunksIterator(sealed, open, mint, maxt, keep);
    if (out_of_order.empty()) return chunks;
    std::vector<std::unique_ptr<storage::SampleIterator>> parts;
    parts.push_back(std::move(chunks));
    parts.push_back(NewSamplesIterator(out_of_order, keep));
    return NewMergeIterator(std::move(parts));
  }
};

// The series of one source for a list of postings, sorted by labels; only those with chunks in
// the range. Not thread-safe.
class SourceSeriesSet {
 public:
  virtual ~SourceSeriesSet() = default;
  virtual bool Next() = 0;
  // The current series; the caller may move out of it. Valid until the next Next.
  virtual SourceSeries& At() = 0;
  virtual Status Err() const = 0;
};

std::unique_ptr<SourceSeriesSet> SelectFromHead(const Head& head,
                                                std::unique_ptr<Postings> postings, int64_t mint,
                                                int64_t maxt);
std::unique_ptr<SourceSeriesSet> SelectFromBlock(std::shared_ptr<const BlockReader> block,
                                                 std::unique_ptr<Postings> postings, int64_t mint,
                                                 int64_t maxt);

}  // namespace argus::tsdb
