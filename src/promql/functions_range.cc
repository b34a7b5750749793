// Functions over range vectors, evaluated with a window that slides over each series' samples
// across all steps, and the dispatch of function calls.
#include <fmt/format.h>

#include <algorithm>

#include "promql/evaluator.h"
#include "promql/parser/functions.h"

namespace argus::promql {
namespace {

using Window = std::span<const FPoint>;

// One window's bounds and the function's parameters at its step.
struct RangeFunctionArgs {
  int64_t window_start;  // Exclusive.
  int64_t window_end;    // Inclusive.
  int64_t range_ms;
  int64_t step_time;  // The evaluation time (predict_linear's reference).
  double param0 = 0;
  double param1 = 0;
};
// The value of a function over one non-empty window, or false when it gives none.
using RangeFunction = bool (*)(Window window, const RangeFunctionArgs& args, double* out);

// Slides the window over the samples, calling `f(lo, hi, args, out)` for each step whose window
// holds points[lo, hi), hi > lo; says whether any call gave a value.
template <typename Each>
bool Slide(const std::vector<FPoint>& points, const WindowSteps& w, double* out, Each&& f) {
  bool any = false;
  size_t lo = 0, hi = 0;
  const size_t n = w.ends.size();
  for (size_t i = 0; i < n; ++i) {
    int64_t end = w.ends[i];
    if (i > 0 && end < w.ends[i - 1]) lo = hi = 0;
    while (hi < points.size() && points[hi].t <= end) ++hi;
    while (lo < hi && points[lo].t <= end - w.range) ++lo;
    if (lo == hi) continue;
    RangeFunctionArgs args{end - w.range, end, w.range, w.steps.At(i)};
    if (!w.params.empty()) args.param0 = w.params[0][i];
    if (w.params.size() > 1) args.param1 = w.params[1][i];
    if (f(lo, hi, args, &out[i])) any = true;
  }
  return any;
}

// A template so that F is inlined into the loop.
template <RangeFunction F>
bool SlideWindows(const std::vector<FPoint>& points, const WindowSteps& w, double* out) {
  return Slide(points, w, out, [&](size_t lo, size_t hi, const RangeFunctionArgs& args, double* v) {
    return F(Window(points.data() + lo, hi - lo), args, v);
  });
}

// Prometheus' extrapolation of a counter's or gauge's change to the window's edges. A counter's
// resets are added in only where `resets` says the window may have one.
bool ExtrapolatedRate(Window w, const RangeFunctionArgs& a, bool counter, bool rate, double* out,
                      bool resets = true) {
  if (w.size() < 2) return false;
  double result = w.back().v - w.front().v;
  if (counter && resets) {
    double prev = w.front().v;
    for (const FPoint& p : w.subspan(1)) {
      if (p.v < prev) result += prev;
      prev = p.v;
    }
  }
  // Durations stay in milliseconds and comparisons are multiplied out: divisions are what this
  // hot function waits on.
  double to_start = static_cast<double>(w.front().t - a.window_start);
  double to_end = static_cast<double>(a.window_end - w.back().t);
  double sampled = static_cast<double>(w.back().t - w.front().t);
  double intervals = static_cast<double>(w.size() - 1);
  // Extrapolate to an edge only when the nearest sample is within 1.1 average intervals of it,
  // else by half an interval.
  double threshold = sampled * 1.1;
  if (to_start * intervals >= threshold) to_start = sampled / (2 * intervals);
  if (counter && result > 0 && w.front().v >= 0 && sampled * w.front().v < to_start * result) {
    // A counter does not go below zero: extrapolate no further back than where it would be 0.
    to_start = sampled * (w.front().v / result);
  }
  if (to_end * intervals >= threshold) to_end = sampled / (2 * intervals);
  double extrapolated = sampled + to_start + to_end;
  *out = rate ? result * extrapolated * 1000.0 / (sampled * static_cast<double>(a.range_ms))
              : result * extrapolated / sampled;
  return true;
}

// rate and increase. Counters rarely reset, so each window's resets are found through a running
// count over the series rather than by a pass over the window.
template <bool kRate>
bool SlideCounterWindows(const std::vector<FPoint>& points, const WindowSteps& w, double* out) {
  std::vector<uint32_t> resets(points.size());  // resets[k]: drops among points[1..k].
  for (size_t k = 1; k < points.size(); ++k) {
    resets[k] = resets[k - 1] + (points[k].v < points[k - 1].v ? 1 : 0);
  }
  return Slide(points, w, out, [&](size_t lo, size_t hi, const RangeFunctionArgs& args, double* v) {
    return ExtrapolatedRate(Window(points.data() + lo, hi - lo), args, true, kRate, v,
                            resets[hi - 1] != resets[lo]);
  });
}

bool Delta(Window w, const RangeFunctionArgs& a, double* out) {
  return ExtrapolatedRate(w, a, false, false, out);
}

bool InstantRate(Window w, bool rate, double* out) {
  if (w.size() < 2) return false;
  const FPoint& last = w[w.size() - 1];
  const FPoint& prev = w[w.size() - 2];
  double result = rate && last.v < prev.v ? last.v : last.v - prev.v;
  if (rate) result /= static_cast<double>(last.t - prev.t) / 1000.0;
  *out = result;
  return true;
}
bool Irate(Window w, const RangeFunctionArgs&, double* out) { return InstantRate(w, true, out); }
bool Idelta(Window w, const RangeFunctionArgs&, double* out) { return InstantRate(w, false, out); }

// Least-squares fit with compensated sums; x in seconds relative to `intercept_time`.
void LinearRegression(Window w, int64_t intercept_time, double* slope, double* intercept) {
  double n = 0, sum_x = 0, c_x = 0, sum_y = 0, c_y = 0, sum_xy = 0, c_xy = 0, sum_x2 = 0, c_x2 = 0;
  bool const_y = true;
  double init_y = w.front().v;
  for (const FPoint& p : w) {
    if (const_y && p.v != init_y) const_y = false;
    n += 1;
    double x = static_cast<double>(p.t - intercept_time) / 1000.0;
    sum_x = KahanAdd(x, sum_x, &c_x);
    sum_y = KahanAdd(p.v, sum_y, &c_y);
    sum_xy = KahanAdd(x * p.v, sum_xy, &c_xy);
    sum_x2 = KahanAdd(x * x, sum_x2, &c_x2);
  }
  if (const_y) {
    if (std::isinf(init_y)) {
      *slope = *intercept = std::numeric_limits<double>::quiet_NaN();
    } else {
      *slope = 0;
      *intercept = init_y;
    }
    return;
  }
  sum_x += c_x;
  sum_y += c_y;
  sum_xy += c_xy;
  sum_x2 += c_x2;
  double cov_xy = sum_xy - sum_x * sum_y / n;
  double var_x = sum_x2 - sum_x * sum_x / n;
  *slope = cov_xy / var_x;
  *intercept = sum_y / n - *slope * sum_x / n;
}

bool Deriv(Window w, const RangeFunctionArgs&, double* out) {
  if (w.size() < 2) return false;
  double intercept;
  LinearRegression(w, w.front().t, out, &intercept);
  return true;
}

bool PredictLinear(Window w, const RangeFunctionArgs& a, double* out) {
  if (w.size() < 2) return false;
  double slope, intercept;
  LinearRegression(w, a.step_time, &slope, &intercept);
  *out = slope * a.param0 + intercept;
  return true;
}

bool AvgOverTime(Window w, const RangeFunctionArgs&, double* out) {
  double sum = w.front().v, count = 1, mean = 0, c = 0;
  bool incremental = false;
  for (size_t i = 1; i < w.size(); ++i) {
    count = static_cast<double>(i + 1);
    double f = w[i].v;
    if (!incremental) {
      double nc = c;
      double ns = KahanAdd(f, sum, &nc);
      if (!std::isinf(ns)) {
        sum = ns;
        c = nc;
        continue;
      }
      // The sum would overflow: go on with an incremental mean.
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    double q = (count - 1) / count;
    c *= q;
    mean = KahanAdd(f / count, q * mean, &c);
  }
  *out = incremental ? mean + c : sum / count + c / count;
  return true;
}

bool SumOverTime(Window w, const RangeFunctionArgs&, double* out) {
  double sum = 0, c = 0;
  for (const FPoint& p : w) sum = KahanAdd(p.v, sum, &c);
  *out = sum + c;
  return true;
}

bool CountOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = static_cast<double>(w.size());
  return true;
}

bool MinOverTime(Window w, const RangeFunctionArgs&, double* out) {
  double m = w.front().v;
  for (const FPoint& p : w) {
    if (p.v < m || std::isnan(m)) m = p.v;
  }
  *out = m;
  return true;
}

bool MaxOverTime(Window w, const RangeFunctionArgs&, double* out) {
  double m = w.front().v;
  for (const FPoint& p : w) {
    if (p.v > m || std::isnan(m)) m = p.v;
  }
  *out = m;
  return true;
}

double StdvarOf(Window w) {
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
  for (const FPoint& p : w) {
    count++;
    double delta = p.v - (mean + c_mean);
    mean = KahanAdd(delta / count, mean, &c_mean);
    aux = KahanAdd(delta * (p.v - (mean + c_mean)), aux, &c_aux);
  }
  return (aux + c_aux) / count;
}

bool StdvarOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = StdvarOf(w);
  return true;
}
bool StddevOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = std::sqrt(StdvarOf(w));
  return true;
}

bool QuantileOverTime(Window w, const RangeFunctionArgs& a, double* out) {
  std::vector<double> values;
  values.reserve(w.size());
  for (const FPoint& p : w) values.push_back(p.v);
  *out = Quantile(a.param0, values);
  return true;
}

bool MadOverTime(Window w, const RangeFunctionArgs&, double* out) {
  std::vector<double> values;
  values.reserve(w.size());
  for (const FPoint& p : w) {
    if (std::isnan(p.v)) {
      *out = p.v;  // A NaN sample makes the deviation NaN.
      return true;
    }
    values.push_back(p.v);
  }
  double median = Quantile(0.5, values);
  for (double& v : values) v = std::abs(v - median);
  *out = Quantile(0.5, values);
  return true;
}

bool LastOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = w.back().v;
  return true;
}
bool FirstOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = w.front().v;
  return true;
}
bool TsOfLastOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = static_cast<double>(w.back().t) / 1000.0;
  return true;
}
bool TsOfFirstOverTime(Window w, const RangeFunctionArgs&, double* out) {
  *out = static_cast<double>(w.front().t) / 1000.0;
  return true;
}
bool TsOfExtremeOverTime(Window w, bool max, double* out) {
  const FPoint* best = &w.front();
  for (const FPoint& p : w) {
    if ((max ? p.v >= best->v : p.v <= best->v) || std::isnan(best->v)) best = &p;
  }
  *out = static_cast<double>(best->t) / 1000.0;
  return true;
}
bool TsOfMaxOverTime(Window w, const RangeFunctionArgs&, double* out) {
  return TsOfExtremeOverTime(w, true, out);
}
bool TsOfMinOverTime(Window w, const RangeFunctionArgs&, double* out) {
  return TsOfExtremeOverTime(w, false, out);
}

bool PresentOverTime(Window, const RangeFunctionArgs&, double* out) {
  *out = 1;
  return true;
}

bool Changes(Window w, const RangeFunctionArgs&, double* out) {
  double changes = 0;
  for (size_t i = 1; i < w.size(); ++i) {
    double prev = w[i - 1].v, cur = w[i].v;
    if (cur != prev && !(std::isnan(cur) && std::isnan(prev))) changes++;
  }
  *out = changes;
  return true;
}

bool Resets(Window w, const RangeFunctionArgs&, double* out) {
  double resets = 0;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i].v < w[i - 1].v) resets++;
  }
  *out = resets;
  return true;
}

bool DoubleExponentialSmoothing(Window w, const RangeFunctionArgs& a, double* out) {
  if (w.size() < 2) return false;
  double sf = a.param0, tf = a.param1;
  double s0 = 0, s1 = w[0].v, b = w[1].v - w[0].v;
  for (size_t i = 1; i < w.size(); ++i) {
    double x = sf * w[i].v;
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  *out = s1;
  return true;
}

struct RangeFunctionEntry {
  std::string_view name;
  WindowLoop loop;
  bool keeps_name;
};

constexpr RangeFunctionEntry kRangeFunctions[] = {
    {"rate", SlideCounterWindows<true>, false},
    {"increase", SlideCounterWindows<false>, false},
    {"delta", SlideWindows<Delta>, false},
    {"irate", SlideWindows<Irate>, false},
    {"idelta", SlideWindows<Idelta>, false},
    {"deriv", SlideWindows<Deriv>, false},
    {"predict_linear", SlideWindows<PredictLinear>, false},
    {"avg_over_time", SlideWindows<AvgOverTime>, false},
    {"sum_over_time", SlideWindows<SumOverTime>, false},
    {"count_over_time", SlideWindows<CountOverTime>, false},
    {"min_over_time", SlideWindows<MinOverTime>, false},
    {"max_over_time", SlideWindows<MaxOverTime>, false},
    {"stddev_over_time", SlideWindows<StddevOverTime>, false},
    {"stdvar_over_time", SlideWindows<StdvarOverTime>, false},
    {"quantile_over_time", SlideWindows<QuantileOverTime>, false},
    {"mad_over_time", SlideWindows<MadOverTime>, false},
    {"last_over_time", SlideWindows<LastOverTime>, true},
    {"first_over_time", SlideWindows<FirstOverTime>, true},
    {"ts_of_last_over_time", SlideWindows<TsOfLastOverTime>, false},
    {"ts_of_first_over_time", SlideWindows<TsOfFirstOverTime>, false},
    {"ts_of_max_over_time", SlideWindows<TsOfMaxOverTime>, false},
    {"ts_of_min_over_time", SlideWindows<TsOfMinOverTime>, false},
    {"present_over_time", SlideWindows<PresentOverTime>, false},
    {"changes", SlideWindows<Changes>, false},
    {"resets", SlideWindows<Resets>, false},
    {"double_exponential_smoothing", SlideWindows<DoubleExponentialSmoothing>, false},
};

bool IsCounterName(std::string_view name) {
  for (std::string_view suffix : {"_total", "_sum", "_count", "_bucket"}) {
    if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
      return true;
    }
  }
  return false;
}

}  // namespace

WindowLoop FindRangeFunction(std::string_view name, bool* keeps_name) {
  for (const auto& e : kRangeFunctions) {
    if (e.name == name) {
      *keeps_name = e.keeps_name;
      return e.loop;
    }
  }
  return nullptr;
}

Status Evaluator::StreamCall(const Expr& expr, const Call& call, const Steps& steps,
                             const SeriesSink& sink) {
  std::string_view name = call.function->name;
  const size_t n = steps.count();
  bool keeps_name = false;
  WindowLoop range_fn = FindRangeFunction(name, &keeps_name);
  if (range_fn == nullptr) {
    if (ValueFunction vf = FindValueFunction(name)) {
      return Stream(*call.args[0], steps, [&](StepSeries&& s) {
        for (double& v : s.values) {
          if (!IsAbsent(v)) v = vf(v);
        }
        s.drop_name = true;
        return sink(std::move(s));
      });
    }
    return EvalInstantFunction(*this, expr, call, steps, sink);
  }

  // The range argument and up to two scalar parameters, which may differ per step.
  const Expr* range_arg = nullptr;
  std::vector<const Expr*> scalar_args;
  for (const auto& arg : call.args) {
    if (arg->type() == ValueType::kMatrix) {
      range_arg = arg.get();
    } else {
      scalar_args.push_back(arg.get());
    }
  }
  std::vector<Scalars> params;
  for (const Expr* arg : scalar_args) {
    ARGUS_ASSIGN_OR_RETURN(Scalars s, EvalScalar(*arg, steps));
    params.push_back(std::move(s));
  }
  if (name == "quantile_over_time") {
    for (double q : params[0]) {
      if (std::isnan(q) || q < 0 || q > 1) {
        annotations_.Warn(query_, scalar_args[0]->pos,
                          fmt::format("quantile value should be between 0 and 1, got {}",
                                      std::isnan(q) ? "NaN" : fmt::format("{}", q)));
      }
    }
  }
  if (name == "double_exponential_smoothing") {
    for (size_t i = 0; i < n; ++i) {
      double sf = params[0][i], tf = params[1][i];
      if (!(sf > 0 && sf < 1)) {
        return Status::Errorf("invalid smoothing factor. Expected: 0 < sf < 1, got: {:f}", sf);
      }
      if (!(tf > 0 && tf < 1)) {
        return Status::Errorf("invalid trend factor. Expected: 0 < tf < 1, got: {:f}", tf);
      }
    }
  }
  bool check_counter = name == "rate" || name == "increase";
  std::vector<int64_t> ends;
  int64_t range = 0;
  return StreamRange(*range_arg, steps, &ends, &range, [&](const RangeSeries& rs) {
    StepSeries out{{}, std::vector<double>(n, Absent()), rs.drop_name || !keeps_name};
    bool any = range_fn(*rs.points, WindowSteps{ends, range, steps, params}, out.values.data());
    if (!any) return Status::Ok();
    if (check_counter && !IsCounterName(rs.labels->MetricName())) {
      annotations_.Info(query_, range_arg->pos,
                        fmt::format("metric might not be a counter, name does not end in "
                                    "_total/_sum/_count/_bucket: \"{}\"",
                                    rs.labels->MetricName()));
    }
    out.labels = std::move(*rs.labels);
    return sink(std::move(out));
  });
}

}  // namespace argus::promql
