#pragma once

#include <absl/functional/function_ref.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "tsdb/index/postings.h"

namespace argus::tsdb {

// Label values between `min` and `max` inclusive, in byte order; no `max` means no upper bound.
// The default range holds every value.
struct ValueRange {
  std::string_view min;
  std::optional<std::string_view> max;
  bool Contains(std::string_view value) const { return value >= min && (!max || value <= *max); }
};

// What a query needs of an index to find series by their labels: the small seam that both the
// head's MemIndex and a block's BlockReader implement, and that PostingsForMatchers works on.
// Implementations are thread-safe; what they return (postings, views passed to a visitor) is
// described per method.
class IndexReader {
 public:
  virtual ~IndexReader() = default;

  // The series with label name=value, sorted; an empty list when there are none.
  virtual std::unique_ptr<Postings> PostingsFor(std::string_view name,
                                                std::string_view value) const = 0;
  // Every series, sorted.
  virtual std::unique_ptr<Postings> AllPostings() const = 0;

  // Calls `visit` with each value of label `name` inside `range`, in ascending byte order, until
  // it returns false. The views are valid during the call only, and `visit` must not call back
  // into this index (a MemIndex holds its lock meanwhile). kCorruption for a damaged block.
  virtual Status VisitLabelValues(std::string_view name, const ValueRange& range,
                                  absl::FunctionRef<bool(std::string_view)> visit) const = 0;

  // The names of every label of every series, sorted.
  virtual Result<std::vector<std::string>> LabelNames() const = 0;

  // Replaces the contents of `builder` with the labels of series `id`. kInvalidInput for an id
  // that the index does not hold (any more), kCorruption for a damaged block.
  virtual Status SeriesLabels(SeriesId id, model::LabelsBuilder& builder) const = 0;
};

// Every value of label `name` in `index`, sorted.
Result<std::vector<std::string>> LabelValues(const IndexReader& index, std::string_view name);

}  // namespace argus::tsdb
