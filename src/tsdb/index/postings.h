#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"

namespace argus::tsdb {

// The id of a series within one index: the head's series id in a MemIndex, the series' position
// (0, 1, 2, ... in label order) in a block.
using SeriesId = uint64_t;

// A sorted list of series ids, walked forwards. Lists from the head's index are snapshots taken
// when the list was asked for; lists from a block read the block's memory-mapped index and must
// not outlive its BlockReader. Not thread-safe: one thread walks a list.
class Postings {
 public:
  virtual ~Postings() = default;
  // Moves to the next id; false at the end or on an error (see Err). Call once before the first At.
  virtual bool Next() = 0;
  // Moves to the first id >= target, staying put when the current id already is; false when there
  // is none. May be called instead of the first Next.
  virtual bool Seek(SeriesId target) = 0;
  // The current id; valid after Next or Seek returned true.
  virtual SeriesId At() const = 0;
  // Why Next or Seek returned false early: a corrupt block (kCorruption); OK at the plain end.
  virtual Status Err() const = 0;
};

// A list with no ids.
std::unique_ptr<Postings> EmptyPostings();
// A list that ends at once with `error`.
std::unique_ptr<Postings> ErrorPostings(Status error);
// A list over `ids`, which must be sorted and unique; it owns them.
std::unique_ptr<Postings> ListPostings(std::vector<SeriesId> ids);

// The ids in every one of `lists` (empty for no lists). Errors of any input come out as its Err.
std::unique_ptr<Postings> Intersect(std::vector<std::unique_ptr<Postings>> lists);
// The ids in any of `lists`, each once.
std::unique_ptr<Postings> Merge(std::vector<std::unique_ptr<Postings>> lists);
// The ids of `full` that are not in `drop`.
std::unique_ptr<Postings> Without(std::unique_ptr<Postings> full, std::unique_ptr<Postings> drop);

// Walks `list` to its end and returns its ids, or its error.
Result<std::vector<SeriesId>> ExpandPostings(Postings& list);

}  // namespace argus::tsdb
