#pragma once

// What the rules' tests share: a storage to write to and read back, a query function whose
// results the test sets, and a group's services over a manual clock.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/manual_timer_source.h"
#include "base/metrics.h"
#include "model/matcher.h"
#include "rules/group.h"
#include "storage/memory_storage.h"

namespace argus::rules::testing {

class RulesFixture {
 public:
  RulesFixture() : timers_(clock_), metrics_(registry_), storage_(storage::NewMemoryStorage()) {
    services_.timers = &timers_;
    services_.appendable = storage_.get();
    services_.queryable = storage_.get();
    services_.metrics = &metrics_;
    services_.query = [this](std::string_view query, int64_t t) -> Result<promql::Vector> {
      queries_.emplace_back(std::string(query), t);
      auto it = results_.find(std::string(query));
      if (it == results_.end()) return promql::Vector{};
      return it->second;
    };
    services_.notify = [this](std::vector<model::Alert> alerts) {
      sent_.push_back(std::move(alerts));
    };
  }

  // The query `query` answers with `result` from now on (an empty vector before).
  void Answer(const std::string& query, Result<promql::Vector> result) {
    results_.insert_or_assign(query, std::move(result));
  }
  static promql::Vector Samples(std::vector<std::pair<model::Labels, double>> samples) {
    promql::Vector vector;
    for (auto& [labels, v] : samples) vector.push_back({std::move(labels), 0, v});
    return vector;
  }

  // The samples of the series with exactly `labels`, in time order.
  std::vector<std::pair<int64_t, double>> Read(const model::Labels& labels) {
    std::vector<model::Matcher> matchers;
    for (const model::Label& l : labels) {
      matchers.push_back(*model::Matcher::Make(model::Matcher::Type::kEqual, l.name, l.value));
    }
    auto querier = storage_->NewQuerier(INT64_MIN, INT64_MAX);
    auto set = querier->Select(matchers);
    std::vector<std::pair<int64_t, double>> samples;
    while (set->Next()) {
      if (set->At().labels() != labels) continue;
      auto it = set->At().Iterator();
      while (it->Next()) samples.emplace_back(it->t(), it->v());
    }
    return samples;
  }

  int64_t now_ms() const { return clock_.NowMillis(); }

 protected:
  ManualClock clock_;
  ManualTimerSource timers_;
  MetricsRegistry registry_;
  RuleMetrics metrics_;
  std::unique_ptr<storage::Storage> storage_;
  GroupServices services_;
  std::map<std::string, Result<promql::Vector>> results_;
  std::vector<std::pair<std::string, int64_t>> queries_;  // Asked, with their times.
  std::vector<std::vector<model::Alert>> sent_;           // Each call of notify.
};

}  // namespace argus::rules::testing
