#pragma once

// Iterating a series' chunks: internal to the queriers and the compactor.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "storage/querier.h"
#include "tsdb/chunkenc/open_chunk.h"

namespace argus::tsdb {

// A sealed chunk's bytes and the times of its first and last sample.
struct ChunkView {
  int64_t min_time = 0;
  int64_t max_time = 0;
  std::string_view bytes;
};

// The samples in [mint, maxt] of `sealed` (in time order, not overlapping) followed by `open`
// (may be null). `keep` owns what the views and `open` point into, for as long as the iterator
// lives. A corrupt chunk ends the iteration with its error in Err().
std::unique_ptr<storage::SampleIterator> NewChunksIterator(std::vector<ChunkView> sealed,
                                                           const OpenChunk* open, int64_t mint,
                                                           int64_t maxt,
                                                           std::shared_ptr<const void> keep);

// The samples of several iterators over the same series, in time order, each timestamp once
// (the first iterator's sample wins). The first error of any ends the iteration.
std::unique_ptr<storage::SampleIterator> NewMergeIterator(
    std::vector<std::unique_ptr<storage::SampleIterator>> iterators);

// The samples of `samples` (in time order), which `keep` owns for as long as the iterator lives.
std::unique_ptr<storage::SampleIterator> NewSamplesIterator(
    std::span<const storage::SamplePoint> samples, std::shared_ptr<const void> keep);

// An iterator that yields nothing and reports `error`.
std::unique_ptr<storage::SampleIterator> NewErrorIterator(Status error);

}  // namespace argus::tsdb
