#include "tsdb/index/index_reader.h"

namespace argus::tsdb {

Result<std::vector<std::string>> LabelValues(const IndexReader& index, std::string_view name) {
  std::vector<std::string> values;
  Status status = index.VisitLabelValues(name, ValueRange{}, [&](std::string_view v) {
    values.emplace_back(v);
    return true;
  });
  if (!status.ok()) return status;
  return values;
}

}  // namespace argus::tsdb
