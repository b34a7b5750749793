#pragma once

// The head's table of series: internal to the head (head*.cc), not a seam.

#include <absl/container/flat_hash_map.h>

#include <bitset>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/labels.h"
#include "storage/appender.h"
#include "tsdb/chunkenc/open_chunk.h"
#include "tsdb/head.h"

namespace argus::tsdb {

using SealedChunks = std::vector<std::shared_ptr<const SealedChunk>>;

// One series of the head: its open chunk and, once it has any, its sealed chunks. Its id is its
// place in the table, its labels are in the MemIndex. The head reaches it through
// Head::SeriesLocked, whose annotations require the stripe lock of its id.
struct HeadSeries {
  OpenChunk open;
  std::unique_ptr<SealedChunks> sealed;

  bool empty() const { return open.empty() && (!sealed || sealed->empty()); }
  // The newest sample's timestamp, INT64_MIN for a series without samples.
  int64_t LastTime() const {
    if (!open.empty()) return open.max_time();
    return sealed && !sealed->empty() ? sealed->back()->max_time : INT64_MIN;
  }
  // The newest sample's value; the series must not be empty. Decodes a chunk: only for the rare
  // appends at the newest timestamp.
  double LastValue() const;
};

// Series by id in pages of kPageSize, so that ids index them directly and a series costs its own
// bytes and nothing more; and the series by label hash. Not thread-safe: the head guards it.
class SeriesTable {
 public:
  static constexpr storage::SeriesRef kPageSize = 1024;

  HeadSeries* Find(storage::SeriesRef id);
  const HeadSeries* Find(storage::SeriesRef id) const;
  // Makes series `id`, which must not exist.
  HeadSeries& Create(storage::SeriesRef id, uint64_t hash);
  // Removes series `id`, which must exist and have this label hash.
  void Remove(storage::SeriesRef id, uint64_t hash);

  // The ids of the series with this label hash (almost always one at most).
  template <typename F>
  void ForHash(uint64_t hash, F&& f) const {
    if (auto it = by_hash_.find(hash); it != by_hash_.end()) f(it->second);
    if (auto it = collisions_.find(hash); it != collisions_.end()) {
      for (storage::SeriesRef id : it->second) f(id);
    }
  }
  // Calls f(id) for every series in id order.
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t p = 0; p < pages_.size(); ++p) {
      const Page* page = pages_[p].get();
      if (!page) continue;
      for (size_t i = 0; i < kPageSize; ++i) {
        if (page->live[i]) f(p * kPageSize + i);
      }
    }
  }

  storage::SeriesRef next_id = 1;  // Ids start at 1: a ref of 0 means "not known".

 private:
  struct Page {
    std::array<HeadSeries, kPageSize> series;
    std::bitset<kPageSize> live;
    size_t live_count = 0;
  };
  std::vector<std::unique_ptr<Page>> pages_;
  absl::flat_hash_map<uint64_t, uint32_t> by_hash_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> collisions_;
};

}  // namespace argus::tsdb
