#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
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

// Which of Prometheus' query statistics a query gathers: none, the totals (the API's `stats`
// parameter given), or the totals and the samples of each step as well (`stats=all`). With
// kNone nothing is measured or allocated for them.
enum class StatsLevel { kNone, kTotals, kPerStep };

// What a query cost, as Prometheus' `stats` object reports it.
//
// Timings are in seconds, on the engine's clock. The query's execution (exec) spans its
// preparation (the querier over the time range it reads), its evaluation (inner eval) and, for a
// range query, the sorting of the result; Argus runs a query as soon as it is asked, so it never
// waits in a queue. Parsing comes before the execution, as in Prometheus.
//
// Samples: a vector selector reads one sample for each step at which a series has a value; a
// range (a matrix selector or a subquery's result) reads, for each step, the samples in that
// step's window; what a subquery's expression reads counts at the query's last step. `peak` is
// the most samples the query held at once, as it counts them against --query.max-samples.
struct QueryStats {
  double eval_total_seconds = 0;
  double result_sort_seconds = 0;
  double query_preparation_seconds = 0;
  double inner_eval_seconds = 0;
  double exec_queue_seconds = 0;
  double exec_total_seconds = 0;
  int64_t total_queryable_samples = 0;
  int64_t peak_samples = 0;
  // With kPerStep, the samples read at each step: at start_ms + i * step_ms for an element i
  // (an instant query has one step, at its time).
  std::vector<int64_t> samples_per_step;
  int64_t start_ms = 0;
  int64_t step_ms = 0;
};

// What a query returns besides its value: Prometheus' warning and info annotations, and the
// statistics that were asked for.
struct QueryResult {
  Value value;
  std::vector<std::string> warnings;
  std::vector<std::string> infos;
  std::optional<QueryStats> stats;  // Present unless StatsLevel::kNone.
};

// Evaluates PromQL as Prometheus 3.x does. Thread-safe: any number of queries may run at once.
//
// Errors map onto the HTTP API's error types by Status code: kInvalidInput (the query does not
// parse or is invalid, "1:5: ..." positions in the message) is "bad_data"; kTimeout is "timeout";
// kLimitExceeded (too many samples) and every other code are "execution".
class Engine {
 public:
  explicit Engine(EngineOptions options = {});

  // Evaluates `query` at time `t`, gathering the statistics `stats` asks for.
  Result<QueryResult> InstantQuery(storage::Queryable& storage, std::string_view query, int64_t t,
                                   StatsLevel stats = StatsLevel::kNone) const;
  // Evaluates `query` at start, start+step, ... up to end (inclusive); step > 0. The value is a
  // Matrix (a scalar expression gives one series without labels); an expression of type string
  // or range vector is kInvalidInput, as in Prometheus.
  Result<QueryResult> RangeQuery(storage::Queryable& storage, std::string_view query, int64_t start,
                                 int64_t end, int64_t step,
                                 StatsLevel stats = StatsLevel::kNone) const;

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
