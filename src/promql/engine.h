#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "base/worker_pool.h"
#include "model/matcher.h"
#include "promql/value.h"
#include "storage/querier.h"

namespace argus::promql {

// Limits and defaults, named after Prometheus' --query.* flags.
struct EngineOptions {
  int64_t lookback_delta_ms = 5 * 60 * 1000;  // --query.lookback-delta
  int64_t max_samples = 50'000'000;           // --query.max-samples: loaded at once, per query
  std::chrono::milliseconds timeout = std::chrono::minutes(2);  // --query.timeout
  // The step of subqueries written without one (`x[1h:]`): Prometheus' evaluation_interval.
  int64_t default_subquery_step_ms = 60 * 1000;
  const Clock* clock = &SystemClock::Instance();  // For the timeout; must outlive the engine.
  // Threads that decode the selected series' samples ahead of the evaluation; null: the query's
  // own thread decodes each when it gets to it. Shared by queries; must outlive the engine.
  WorkerPool* workers = nullptr;
};

// What a query returns besides its value: Prometheus' warning and info annotations.
struct QueryResult {
  Value value;
  std::vector<std::string> warnings;
  std::vector<std::string> infos;
};

// Evaluates PromQL as Prometheus 3.x does. Thread-safe: any number of queries may run at once.
//
// Errors map onto the HTTP API's error types by Status code: kInvalidInput (the query does not
// parse or is invalid, "1:5: ..." positions in the message) is "bad_data"; kTimeout is "timeout";
// kLimitExceeded (too many samples) and every other code are "execution".
class Engine {
 public:
  explicit Engine(EngineOptions options = {});

  // Evaluates `query` at time `t`.
  Result<QueryResult> InstantQuery(storage::Queryable& storage, std::string_view query,
                                   int64_t t) const;
  // Evaluates `query` at start, start+step, ... up to end (inclusive); step > 0. The value is a
  // Matrix (a scalar expression gives one series without labels); an expression of type string
  // or range vector is kInvalidInput, as in Prometheus.
  Result<QueryResult> RangeQuery(storage::Queryable& storage, std::string_view query, int64_t start,
                                 int64_t end, int64_t step) const;

  const EngineOptions& options() const { return options_; }

 private:
  EngineOptions options_;
};

// Parses a series selector such as `up{job="api"}` or `{__name__=~"node_.+"}`, as the match[]
// parameters of /api/v1/series, /api/v1/labels and /federate are given.
Result<std::vector<model::Matcher>> ParseMetricSelector(std::string_view selector);

// The matchers of every series selector in `query`, instant or range, in the order they are
// written, as Prometheus' parser.ExtractSelectors gives them to its exemplar storage. A query
// that does not parse is kInvalidInput with the parser's message (`1:4: parse error: ...`).
Result<std::vector<std::vector<model::Matcher>>> ExtractSelectors(std::string_view query);

// The query pretty-printed as Prometheus' /api/v1/format_query returns it.
Result<std::string> FormatQuery(std::string_view query);

// The query's syntax tree as the JSON that Prometheus 3.x's /api/v1/parse_query returns in
// "data" (the shape its UI's tree view reads).
Result<std::string> ParseQueryToJson(std::string_view query);

}  // namespace argus::promql
