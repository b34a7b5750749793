#include "rules/recording_rule.h"

#include <algorithm>

namespace argus::rules {

Result<promql::Vector> RecordingRule::Eval(const QueryFunc& run_query, int64_t, int64_t query_t_ms,
                                           int64_t limit) {
  ARGUS_ASSIGN_OR_RETURN(promql::Vector vector, run_query(query(), query_t_ms));
  model::LabelsBuilder builder;
  for (promql::Sample& sample : vector) {
    builder.Reset(sample.metric);
    builder.Set(model::kMetricName, spec().record);
    for (const model::Label& label : spec().labels) builder.Set(label.name, label.value);
    sample.metric = builder.Build();
    sample.t = query_t_ms;
  }
  std::vector<const model::Labels*> sorted;
  for (const promql::Sample& sample : vector) sorted.push_back(&sample.metric);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a < *b; });
  if (std::adjacent_find(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return *a == *b; }) !=
      sorted.end()) {
    return Status::Error(
        "vector contains metrics with the same labelset after applying rule labels");
  }
  if (limit > 0 && static_cast<int64_t>(vector.size()) > limit) {
    return Status::Errorf("exceeded limit of {} with {} series", limit, vector.size());
  }
  RecordSuccess();
  return vector;
}

}  // namespace argus::rules
