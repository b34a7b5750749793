#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/index/index_reader.h"

namespace argus::tsdb {

// The head's index: the labels of every in-memory series and the inverted index
// label=value -> series ids, compact enough for millions of series. Strings are interned once in
// a symbol table, each series' labels are a few bytes of varint symbol references, and the
// postings are roaring bitmaps (sequential ids make them dense runs).
//
// Ids come from the head: any order works, increasing ones are cheapest. They are stored in 32
// bits, so an id must be below 2^32 (kMaxId); Add refuses larger ones with kLimitExceeded, and the
// head must then renumber its series (at restart). At a million new series an hour that takes
// half a year; realistic churn takes decades.
//
// Thread-safety: every method may be called from any thread. A reader-writer lock (absl::Mutex)
// guards the whole index: Add and Remove take it exclusively, queries share it, and a waiting
// writer holds off new readers, so that a stream of queries does not starve appends. Postings
// handed out are copies (a roaring bitmap copy, cheap for dense runs) taken under the lock, so they
// stay valid and unchanged while series come and go, and may outlive the MemIndex.
class MemIndex final : public IndexReader {
 public:
  static constexpr SeriesId kMaxId = UINT32_MAX - 1;
  // Far beyond any scrape's label limit; it keeps a series' entry within 64 KiB.
  static constexpr size_t kMaxLabels = 4096;

  MemIndex();
  ~MemIndex() override;
  MemIndex(const MemIndex&) = delete;
  MemIndex& operator=(const MemIndex&) = delete;

  // Registers series `id` with `labels`. kLimitExceeded for an id above kMaxId or more than
  // kMaxLabels labels; kDuplicate for an id that is already registered. On error the index is
  // left unchanged.
  Status Add(SeriesId id, const model::Labels& labels);
  // Forgets the series `ids` (head garbage collection); unknown ids are ignored. Strings that no
  // series uses any more are released.
  void Remove(std::span<const SeriesId> ids);

  // How many series are registered.
  size_t NumSeries() const;
  // The bytes this index holds on the heap by its own accounting (symbols, labels, postings,
  // tables), for the head's memory metrics.
  size_t MemoryBytes() const;

  // IndexReader. Postings are snapshots (see above).
  std::unique_ptr<Postings> PostingsFor(std::string_view name,
                                        std::string_view value) const override;
  std::unique_ptr<Postings> AllPostings() const override;
  Status VisitLabelValues(std::string_view name, const ValueRange& range,
                          absl::FunctionRef<bool(std::string_view)> visit) const override;
  Result<std::vector<std::string>> LabelNames() const override;
  Status SeriesLabels(SeriesId id, model::LabelsBuilder& builder) const override;

 private:
  struct State;
  mutable absl::Mutex mu_;
  std::unique_ptr<State> state_ ABSL_PT_GUARDED_BY(mu_);
};

}  // namespace argus::tsdb
