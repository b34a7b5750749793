// The evaluator's core: dispatch over the tree, selectors, subqueries, limits and annotations.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/utf8.h"
#include "promql/evaluator.h"
#include "promql/parser/functions.h"
#include "promql/parser/printer_util.h"
#include "promql/series_loader.h"

namespace argus::promql {

void Annotations::Add(std::vector<std::string>* list, std::string text) {
  if (std::find(list->begin(), list->end(), text) == list->end()) list->push_back(std::move(text));
}

void Annotations::Warn(std::string_view query, PosRange pos, std::string message) {
  Add(&warnings_,
      fmt::format("PromQL warning: {} ({})", message, FormatPosition(query, pos.start)));
}

void Annotations::Info(std::string_view query, PosRange pos, std::string message) {
  Add(&infos_, fmt::format("PromQL info: {} ({})", message, FormatPosition(query, pos.start)));
}

int64_t PresentCount(const StepSeries& s) {
  return std::count_if(s.values.begin(), s.values.end(), [](double v) { return !IsAbsent(v); });
}

model::Labels WithoutName(const model::Labels& labels) {
  if (!labels.Has(model::kMetricName)) return labels;
  model::LabelsBuilder b(labels);
  b.Del(model::kMetricName);
  return b.Build();
}

bool IsValidLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8SequenceLength(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

double Quantile(double q, std::vector<double>& values) {
  if (values.empty() || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  // NaN first, as Go's sort.Float64s orders them.
  std::sort(values.begin(), values.end(),
            [](double a, double b) { return std::isnan(a) ? !std::isnan(b) : a < b; });
  double n = static_cast<double>(values.size());
  double rank = q * (n - 1);
  double lower = std::max(0.0, std::floor(rank));
  double upper = std::min(n - 1, lower + 1);
  double weight = rank - std::floor(rank);
  return values[static_cast<size_t>(lower)] * (1 - weight) +
         values[static_cast<size_t>(upper)] * weight;
}

Status MergeSameLabels(InstantVectors* v, bool drop_names) {
  if (drop_names) {
    for (auto& s : *v) {
      if (s.drop_name) {
        s.labels = WithoutName(s.labels);
        s.drop_name = false;
      }
    }
  }
  std::map<const model::Labels*, size_t, bool (*)(const model::Labels*, const model::Labels*)>
      first([](const model::Labels* a, const model::Labels* b) { return *a < *b; });
  InstantVectors out;
  out.reserve(v->size());
  for (auto& s : *v) {
    auto it = first.find(&s.labels);
    if (it == first.end()) {
      out.push_back(std::move(s));
      first.emplace(&out.back().labels, out.size() - 1);
      continue;
    }
    StepSeries& into = out[it->second];
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (IsAbsent(s.values[i])) continue;
      if (!IsAbsent(into.values[i])) {
        return Status::Error("vector cannot contain metrics with the same labelset");
      }
      into.values[i] = s.values[i];
    }
  }
  *v = std::move(out);
  return Status::Ok();
}

Evaluator::Evaluator(const EngineOptions& options, std::string_view query,
                     storage::Querier& querier, int64_t query_start, int64_t query_end,
                     int64_t query_step, QueryStats* stats)
    : options_(options),
      query_(query),
      querier_(querier),
      query_start_(query_start),
      query_end_(query_end),
      query_step_(query_step),
      deadline_(options.clock->Now() + options.timeout),
      stats_(stats) {}

Status TooManySamples() {
  return Status::Error(
      "query processing would load too many samples into memory in query execution",
      Status::Code::kLimitExceeded);
}

Status Evaluator::Charge(int64_t samples) {
  held_samples_ += samples;
  if (stats_ != nullptr) stats_->peak_samples = std::max(stats_->peak_samples, held_samples_);
  return held_samples_ > options_.max_samples ? TooManySamples() : Status::Ok();
}

void Evaluator::CountSamples(size_t i, int64_t samples) {
  stats_->total_queryable_samples += samples;
  std::vector<int64_t>& per_step = stats_->samples_per_step;
  if (per_step.empty()) return;
  per_step[subquery_depth_ > 0 ? per_step.size() - 1 : i] += samples;
}

void Evaluator::CountSelected(const StepSeries& s) {
  for (size_t i = 0; i < s.values.size(); ++i) {
    if (!IsAbsent(s.values[i])) CountSamples(i, 1);
  }
}

void Evaluator::CountWindows(const std::vector<FPoint>& points, const std::vector<int64_t>& ends,
                             int64_t range) {
  auto after = [&](int64_t t) {
    return std::upper_bound(points.begin(), points.end(), t,
                            [](int64_t x, const FPoint& p) { return x < p.t; });
  };
  for (size_t i = 0; i < ends.size(); ++i) {
    auto n = after(ends[i]) - after(ends[i] - range);
    if (n > 0) CountSamples(i, n);
  }
}

Status Evaluator::CheckDeadline() const {
  if (options_.clock->Now() > deadline_) {
    return Status::Error("query timed out in expression evaluation", Status::Code::kTimeout);
  }
  return Status::Ok();
}

std::vector<int64_t> Evaluator::ReferenceTimes(const TimeModifiers& mods,
                                               const Steps& steps) const {
  std::vector<int64_t> refs(steps.count());
  for (size_t i = 0; i < refs.size(); ++i) {
    int64_t base = steps.At(i);
    switch (mods.at) {
      case AtKind::kTimestamp:
        base = mods.at_ms;
        break;
      case AtKind::kStart:
        base = query_start_;
        break;
      case AtKind::kEnd:
        base = query_end_;
        break;
      case AtKind::kNone:
        break;
    }
    refs[i] = base - mods.offset_ms;
  }
  return refs;
}

Status Evaluator::ForEachLoadedSeries(std::span<const model::Matcher> matchers, int64_t lo,
                                      int64_t hi, bool drop_stale, const LoadedSink& sink) {
  auto set = querier_.Select(matchers);
  SeriesLoader loader(*set, LoadWindow{lo, hi, drop_stale}, options_.workers);
  size_t n = 0;
  while (loader.Next()) {
    if (++n % kLoadedSeriesPerDeadlineCheck == 0) ARGUS_RETURN_IF_ERROR(CheckDeadline());
    std::vector<FPoint>& points = loader.points();
    SampleCharge charge(*this);
    ARGUS_RETURN_IF_ERROR(charge.Add(static_cast<int64_t>(points.size())));
    ARGUS_RETURN_IF_ERROR(sink(loader.labels(), points));
  }
  return loader.Err();
}

Status Evaluator::StreamSelector(const VectorSelector& vs, const Steps& steps, bool timestamps,
                                 const SeriesSink& sink) {
  std::vector<int64_t> refs = ReferenceTimes(vs.modifiers, steps);
  const int64_t lookback = options_.lookback_delta_ms;
  int64_t lo = *std::min_element(refs.begin(), refs.end()) - lookback;
  int64_t hi = *std::max_element(refs.begin(), refs.end());
  return ForEachLoadedSeries(
      vs.matchers, lo, hi, false, [&](model::Labels& labels, const std::vector<FPoint>& points) {
        StepSeries out{{}, std::vector<double>(refs.size(), Absent()), false};
        bool any = false;
        size_t upto = 0;  // Points with t <= the current reference time.
        for (size_t i = 0; i < refs.size(); ++i) {
          int64_t ref = refs[i];
          if (i > 0 && ref < refs[i - 1]) upto = 0;
          while (upto < points.size() && points[upto].t <= ref) ++upto;
          if (upto == 0) continue;
          const FPoint& p = points[upto - 1];
          if (p.t <= ref - lookback || (std::isnan(p.v) && storage::IsStaleNaN(p.v))) continue;
          out.values[i] = timestamps ? static_cast<double>(p.t) / 1000.0 : p.v;
          any = true;
        }
        if (!any) return Status::Ok();
        if (stats_ != nullptr) CountSelected(out);
        out.labels = std::move(labels);
        return sink(std::move(out));
      });
}

Status Evaluator::StreamRange(const Expr& expr, const Steps& steps,
                              std::vector<int64_t>* window_ends, int64_t* range,
                              const RangeSink& sink) {
  if (stats_ == nullptr) return StreamRangeUncounted(expr, steps, window_ends, range, sink);
  // Counted before `sink` may move the samples away; the windows are known by then.
  return StreamRangeUncounted(expr, steps, window_ends, range, [&](const RangeSeries& rs) {
    CountWindows(*rs.points, *window_ends, *range);
    return sink(rs);
  });
}

Status Evaluator::StreamRangeUncounted(const Expr& expr, const Steps& steps,
                                       std::vector<int64_t>* window_ends, int64_t* range,
                                       const RangeSink& sink) {
  if (const auto* p = expr.As<Paren>()) {
    return StreamRangeUncounted(*p->expr, steps, window_ends, range, sink);
  }
  if (const auto* sq = expr.As<Subquery>()) {
    *range = sq->range_ms;
    return StreamSubquery(*sq, steps, window_ends, sink);
  }
  const auto* ms = expr.As<MatrixSelector>();
  if (ms == nullptr) return Status::Error("expected a range vector", Status::Code::kInvalidInput);
  *range = ms->range_ms;
  *window_ends = ReferenceTimes(ms->selector.modifiers, steps);
  int64_t lo = *std::min_element(window_ends->begin(), window_ends->end()) - ms->range_ms;
  int64_t hi = *std::max_element(window_ends->begin(), window_ends->end());
  return ForEachLoadedSeries(ms->selector.matchers, lo, hi, true,
                             [&](model::Labels& labels, std::vector<FPoint>& points) {
                               return sink(RangeSeries{&labels, &points, false});
                             });
}

Status Evaluator::StreamSubquery(const Subquery& sq, const Steps& steps,
                                 std::vector<int64_t>* window_ends, const RangeSink& sink) {
  *window_ends = ReferenceTimes(sq.modifiers, steps);
  int64_t step = sq.step_ms > 0 ? sq.step_ms : options_.default_subquery_step_ms;
  int64_t first = *std::min_element(window_ends->begin(), window_ends->end()) - sq.range_ms;
  // The first multiple of the step after the earliest window's (exclusive) start.
  int64_t start = first - ((first % step) + step) % step + step;
  int64_t end = *std::max_element(window_ends->begin(), window_ends->end());
  if (start > end) return Status::Ok();
  Steps inner{start, end - (end - start) % step, step};
  if (static_cast<int64_t>(inner.count()) > options_.max_samples) return TooManySamples();
  SampleCharge held(*this);
  ++subquery_depth_;
  Result<InstantVectors> evaluated = EvalVector(*sq.expr, inner, held);
  --subquery_depth_;
  ARGUS_ASSIGN_OR_RETURN(InstantVectors vec, std::move(evaluated));
  std::vector<FPoint> points;
  for (StepSeries& s : vec) {
    points.clear();
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (!IsAbsent(s.values[i])) points.push_back({inner.At(i), s.values[i]});
    }
    if (points.empty()) continue;
    ARGUS_RETURN_IF_ERROR(sink(RangeSeries{&s.labels, &points, s.drop_name}));
  }
  return Status::Ok();
}

Result<InstantVectors> Evaluator::EvalVector(const Expr& expr, const Steps& steps,
                                             SampleCharge& held) {
  InstantVectors out;
  Status st = Stream(expr, steps, [&](StepSeries&& s) {
    out.push_back(std::move(s));
    return held.Add(static_cast<int64_t>(out.back().values.size()));
  });
  if (!st.ok()) return st;
  return out;
}

Result<Scalars> Evaluator::EvalScalar(const Expr& expr, const Steps& steps) {
  SampleCharge held(*this);
  ARGUS_ASSIGN_OR_RETURN(EvalValue v, Eval(expr, steps, held));
  if (auto* s = std::get_if<Scalars>(&v)) return std::move(*s);
  return Status::Error("expected a scalar", Status::Code::kInvalidInput);
}

Status Evaluator::Stream(const Expr& expr, const Steps& steps, const SeriesSink& sink) {
  ARGUS_RETURN_IF_ERROR(CheckDeadline());
  if (const auto* vs = expr.As<VectorSelector>()) return StreamSelector(*vs, steps, false, sink);
  if (const auto* p = expr.As<Paren>()) return Stream(*p->expr, steps, sink);
  if (const auto* c = expr.As<Call>()) return StreamCall(expr, *c, steps, sink);
  if (const auto* b = expr.As<Binary>()) return StreamBinary(*b, steps, sink);
  if (const auto* u = expr.As<Unary>()) {
    if (!u->negate) return Stream(*u->expr, steps, sink);
    return Stream(*u->expr, steps, [&](StepSeries&& s) {
      for (double& v : s.values) {
        if (!IsAbsent(v)) v = -v;
      }
      s.drop_name = true;
      return sink(std::move(s));
    });
  }
  if (const auto* a = expr.As<Aggregate>()) {
    SampleCharge held(*this);
    ARGUS_ASSIGN_OR_RETURN(InstantVectors v, EvalAggregate(*a, steps, held));
    for (auto& s : v) ARGUS_RETURN_IF_ERROR(sink(std::move(s)));
    return Status::Ok();
  }
  return Status::Error(
      fmt::format("expected an instant vector, got {}", DocumentedType(expr.type())),
      Status::Code::kInvalidInput);
}

Result<EvalValue> Evaluator::Eval(const Expr& expr, const Steps& steps, SampleCharge& held) {
  ARGUS_RETURN_IF_ERROR(CheckDeadline());
  switch (expr.type()) {
    case ValueType::kString:
      if (const auto* p = expr.As<Paren>()) return Eval(*p->expr, steps, held);
      return EvalValue(expr.As<StringLiteral>()->value);
    case ValueType::kVector: {
      ARGUS_ASSIGN_OR_RETURN(InstantVectors v, EvalVector(expr, steps, held));
      return EvalValue(std::move(v));
    }
    case ValueType::kScalar:
      break;
    default:
      return Status::Error(fmt::format("unexpected {} expression", DocumentedType(expr.type())),
                           Status::Code::kInvalidInput);
  }
  size_t n = steps.count();
  if (const auto* num = expr.As<NumberLiteral>()) return EvalValue(Scalars(n, num->value));
  if (const auto* p = expr.As<Paren>()) return Eval(*p->expr, steps, held);
  if (const auto* u = expr.As<Unary>()) {
    ARGUS_ASSIGN_OR_RETURN(Scalars v, EvalScalar(*u->expr, steps));
    if (u->negate) {
      for (double& x : v) x = -x;
    }
    return EvalValue(std::move(v));
  }
  if (const auto* b = expr.As<Binary>()) {
    ARGUS_ASSIGN_OR_RETURN(Scalars v, EvalScalarBinary(*b, steps));
    return EvalValue(std::move(v));
  }
  const auto* c = expr.As<Call>();
  std::string_view name = c->function->name;
  Scalars out(n);
  if (name == "pi") {
    std::fill(out.begin(), out.end(), M_PI);
  } else if (name == "time") {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<double>(steps.At(i)) / 1000.0;
  } else if (name == "start" || name == "end") {
    std::fill(out.begin(), out.end(),
              static_cast<double>(name == "start" ? query_start_ : query_end_) / 1000.0);
  } else if (name == "step") {
    std::fill(out.begin(), out.end(), static_cast<double>(query_step_) / 1000.0);
  } else if (name == "range") {
    std::fill(out.begin(), out.end(), static_cast<double>(query_end_ - query_start_) / 1000.0);
  } else if (name == "min_of" || name == "max_of") {
    ARGUS_ASSIGN_OR_RETURN(Scalars a, EvalScalar(*c->args[0], steps));
    ARGUS_ASSIGN_OR_RETURN(Scalars b, EvalScalar(*c->args[1], steps));
    for (size_t i = 0; i < n; ++i) {
      double x = a[i], y = b[i];
      // Go's math.Min and math.Max: NaN wins.
      out[i] = std::isnan(x) || std::isnan(y) ? std::numeric_limits<double>::quiet_NaN()
               : name == "min_of"             ? std::min(x, y)
                                              : std::max(x, y);
    }
  } else if (name == "scalar") {
    // The value of the only series at each step; NaN with none or several.
    std::vector<int> count(n, 0);
    std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
    ARGUS_RETURN_IF_ERROR(Stream(*c->args[0], steps, [&](StepSeries&& s) {
      for (size_t i = 0; i < n; ++i) {
        if (IsAbsent(s.values[i])) continue;
        out[i] = ++count[i] == 1 ? s.values[i] : std::numeric_limits<double>::quiet_NaN();
      }
      return Status::Ok();
    }));
  } else {
    return Status::Error(fmt::format("unsupported function {}", name), Status::Code::kInvalidInput);
  }
  return EvalValue(std::move(out));
}

}  // namespace argus::promql
