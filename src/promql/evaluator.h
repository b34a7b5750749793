#pragma once

// The engine's evaluator, shared by the files that implement its parts (selectors, operators,
// aggregations, functions). Not part of the public seam.
//
// Every instant vector is evaluated for all steps of the query at once, one series at a time:
// a series carries one value per step, Absent() where it has none. Selectors read each series
// once for the whole range, range functions slide a window over its samples, and aggregations
// hash each input series' grouping labels once, not once per step.

#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "model/labels.h"
#include "promql/engine.h"
#include "promql/parser/ast.h"
#include "storage/querier.h"

namespace argus::promql {

// The value of a step where a series has no sample. A signalling NaN that no arithmetic yields
// and that loading turns into a plain NaN wherever stored data holds it.
inline constexpr uint64_t kAbsentBits = 0x7ff0000000000003ULL;
inline double Absent() { return std::bit_cast<double>(kAbsentBits); }
inline bool IsAbsent(double v) { return std::bit_cast<uint64_t>(v) == kAbsentBits; }

// One series of an instant vector over all steps.
struct StepSeries {
  model::Labels labels;
  std::vector<double> values;  // One per step; Absent() where the series has no value.
  // Prometheus 3 drops __name__ only when the result is returned (or a label function reads
  // it), so a function marks the series instead of removing the name.
  bool drop_name = false;
};
using InstantVectors = std::vector<StepSeries>;
using Scalars = std::vector<double>;  // One value per step.

// For hash maps keyed by label sets.
struct LabelsHash {
  size_t operator()(const model::Labels& labels) const { return labels.Hash(); }
};

// One series of a range vector: its samples (no staleness markers) in time order. A sink may
// move the labels away.
struct RangeSeries {
  model::Labels* labels;
  std::vector<FPoint>* points;
  bool drop_name = false;
};

using EvalValue = std::variant<Scalars, std::string, InstantVectors>;
using SeriesSink = std::function<Status(StepSeries&&)>;
using RangeSink = std::function<Status(const RangeSeries&)>;

// The steps an expression is evaluated at: start, start + interval, ..., end.
struct Steps {
  int64_t start = 0;
  int64_t end = 0;
  int64_t interval = 1;
  size_t count() const { return static_cast<size_t>((end - start) / interval) + 1; }
  int64_t At(size_t i) const { return start + static_cast<int64_t>(i) * interval; }
};

// Warnings and infos with their positions, rendered as Prometheus' API renders them.
class Annotations {
 public:
  void Warn(std::string_view query, PosRange pos, std::string message);
  void Info(std::string_view query, PosRange pos, std::string message);
  std::vector<std::string> TakeWarnings() { return std::move(warnings_); }
  std::vector<std::string> TakeInfos() { return std::move(infos_); }

 private:
  static void Add(std::vector<std::string>* list, std::string text);
  std::vector<std::string> warnings_;
  std::vector<std::string> infos_;
};

class SampleCharge;

// The evaluator counts what a query holds against max_samples, in samples: a value per step of
// a series, a point of a range or of the result (at most 16 bytes each), an aggregation's
// accumulator per group and step. What it returns stays charged to the caller's SampleCharge
// for as long as the caller holds it, so that the count covers what is held at once (it errs
// high where series move from one holder to the next, as an aggregation's results do).
class Evaluator {
 public:
  // `query_start`/`query_end` are what `@ start()` and `@ end()` mean, `query_step` what step()
  // gives (0 for an instant query). `querier` must cover every selector's time range. With
  // `stats`, the evaluator counts into it the samples it reads and the peak it holds (see
  // QueryStats); its samples_per_step, when not empty, has one element per step of the query.
  Evaluator(const EngineOptions& options, std::string_view query, storage::Querier& querier,
            int64_t query_start, int64_t query_end, int64_t query_step,
            QueryStats* stats = nullptr);

  // Evaluates `expr` at `steps` into a scalar, string or instant vector (kInvalidInput for a
  // range vector: callers that accept one use StreamRange). An instant vector stays charged to
  // `held`.
  Result<EvalValue> Eval(const Expr& expr, const Steps& steps, SampleCharge& held);
  // Evaluates an instant-vector expression and hands each series to `sink`, without holding
  // them all where the expression allows.
  Status Stream(const Expr& expr, const Steps& steps, const SeriesSink& sink);
  // All the series at once, charged to `held`.
  Result<InstantVectors> EvalVector(const Expr& expr, const Steps& steps, SampleCharge& held);
  Result<Scalars> EvalScalar(const Expr& expr, const Steps& steps);
  // Evaluates a range-vector expression (matrix selector or subquery, maybe in parentheses):
  // `*window_ends` gets the end of the window per step, `*range` its length; each series goes to
  // `sink` with all its samples that any window needs.
  Status StreamRange(const Expr& expr, const Steps& steps, std::vector<int64_t>* window_ends,
                     int64_t* range, const RangeSink& sink);

  // Streams a vector selector's series; with `timestamps` the values are the samples' times
  // in seconds (for timestamp()).
  Status StreamSelector(const VectorSelector& vs, const Steps& steps, bool timestamps,
                        const SeriesSink& sink);

  // Counts samples held at once against max_samples; Release gives them back.
  Status Charge(int64_t samples);
  void Release(int64_t samples) { held_samples_ -= samples; }
  Status CheckDeadline() const;
  // Loops over series call CheckDeadline every so many series: often enough that a query stops
  // soon after its deadline, seldom enough that reading the clock costs nothing measurable. A
  // series of a binary operation's many side is matched at every step, so it weighs more.
  static constexpr size_t kLoadedSeriesPerDeadlineCheck = 256;
  static constexpr size_t kMatchedSeriesPerDeadlineCheck = 64;

  Annotations& annotations() { return annotations_; }
  std::string_view query() const { return query_; }
  QueryStats* stats() { return stats_; }

 private:
  using LoadedSink = std::function<Status(model::Labels&, std::vector<FPoint>&)>;
  // Selects the series that match and hands each one's labels (which it may move away) and
  // samples in (lo, hi] to `sink` (staleness markers dropped when `drop_stale`); series without
  // samples there are skipped.
  Status ForEachLoadedSeries(std::span<const model::Matcher> matchers, int64_t lo, int64_t hi,
                             bool drop_stale, const LoadedSink& sink);
  Status StreamCall(const Expr& expr, const Call& call, const Steps& steps, const SeriesSink& sink);
  Status StreamBinary(const Binary& b, const Steps& steps, const SeriesSink& sink);
  Result<InstantVectors> EvalAggregate(const Aggregate& a, const Steps& steps, SampleCharge& held);
  Result<Scalars> EvalScalarBinary(const Binary& b, const Steps& steps);
  Status StreamSubquery(const Subquery& sq, const Steps& steps, std::vector<int64_t>* window_ends,
                        const RangeSink& sink);
  // StreamRange without counting samples for stats.
  Status StreamRangeUncounted(const Expr& expr, const Steps& steps,
                              std::vector<int64_t>* window_ends, int64_t* range,
                              const RangeSink& sink);

  // The time a selector or subquery reads at for each step: `@` or the step, minus the offset.
  std::vector<int64_t> ReferenceTimes(const TimeModifiers& mods, const Steps& steps) const;

  // Counts into stats_ (which must be set) `samples` read for step `i` of the steps being
  // evaluated: at the query's step i, or within a subquery at the query's last step.
  void CountSamples(size_t i, int64_t samples);
  // Counts the values a selector gave a series.
  void CountSelected(const StepSeries& s);
  // Counts the samples of `points` in each window (ends[i] - range, ends[i]].
  void CountWindows(const std::vector<FPoint>& points, const std::vector<int64_t>& ends,
                    int64_t range);

  const EngineOptions& options_;
  std::string_view query_;
  storage::Querier& querier_;
  int64_t query_start_;
  int64_t query_end_;
  int64_t query_step_;
  Clock::time_point deadline_;
  int64_t held_samples_ = 0;
  Annotations annotations_;
  QueryStats* stats_;
  int subquery_depth_ = 0;  // How many subqueries the evaluation is inside.
};

// Holds a charge of samples for as long as it lives.
class SampleCharge {
 public:
  explicit SampleCharge(Evaluator& ev) : ev_(ev) {}
  ~SampleCharge() { ev_.Release(charged_); }
  SampleCharge(const SampleCharge&) = delete;
  SampleCharge& operator=(const SampleCharge&) = delete;
  Status Add(int64_t samples) {
    charged_ += samples;
    return ev_.Charge(samples);
  }
  // Charges the values of every series of `v`.
  Status Add(const InstantVectors& v) {
    int64_t samples = 0;
    for (const StepSeries& s : v) samples += static_cast<int64_t>(s.values.size());
    return Add(samples);
  }

 private:
  Evaluator& ev_;
  int64_t charged_ = 0;
};

// `e` without the parentheses around it.
inline const Expr& Unparen(const Expr& e) {
  const Expr* x = &e;
  while (const auto* p = x->As<Paren>()) x = p->expr.get();
  return *x;
}
// The value of a string argument (the parser checked its type).
inline const std::string& StringArg(const Expr& e) { return Unparen(e).As<StringLiteral>()->value; }

// kLimitExceeded with Prometheus' message for a query over max_samples.
Status TooManySamples();

// How many values of `s` are present.
int64_t PresentCount(const StepSeries& s);

// Neumaier's compensated addition, as Prometheus sums: returns the new sum, updates `*c`.
inline double KahanAdd(double inc, double sum, double* c) {
  double t = sum + inc;
  if (std::abs(t) == std::numeric_limits<double>::infinity()) {
    *c = 0;
  } else if (std::abs(sum) >= std::abs(inc)) {
    *c += (sum - t) + inc;
  } else {
    *c += (inc - t) + sum;
  }
  return t;
}

// The φ-quantile of `values` (sorted in place) as Prometheus interpolates it.
double Quantile(double q, std::vector<double>& values);

// Prometheus 3 accepts any non-empty, valid UTF-8 label name.
bool IsValidLabelName(std::string_view name);

// `labels` without __name__.
model::Labels WithoutName(const model::Labels& labels);

// Merges series with equal labels (after dropping the names marked for it when `drop_names`);
// kError "vector cannot contain metrics with the same labelset" if two have a value at one step.
Status MergeSameLabels(InstantVectors* v, bool drop_names);

// Range functions (functions_range.cc). A WindowLoop evaluates one over each step's window
// (ends[i] - range, ends[i]] of one series' samples into out[i], leaving Absent() where the
// window gives nothing, and says whether any step gave a value. `params` are the function's
// scalar arguments per step (quantile_over_time's φ, predict_linear's t, the smoothing factors).
struct WindowSteps {
  const std::vector<int64_t>& ends;
  int64_t range;
  const Steps& steps;
  const std::vector<Scalars>& params;
};
using WindowLoop = bool (*)(const std::vector<FPoint>& points, const WindowSteps& w, double* out);
// The range function called `name` or nullptr; `*keeps_name` says whether it keeps __name__.
WindowLoop FindRangeFunction(std::string_view name, bool* keeps_name);

// Element-wise functions of one value (functions_instant.cc), or nullptr.
using ValueFunction = double (*)(double);
ValueFunction FindValueFunction(std::string_view name);

// The instant functions that need their own evaluation (functions_instant.cc).
Status EvalInstantFunction(Evaluator& ev, const Expr& expr, const Call& call, const Steps& steps,
                           const SeriesSink& sink);

}  // namespace argus::promql
