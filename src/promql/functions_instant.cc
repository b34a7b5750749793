// Functions over instant vectors: element-wise math, clamping, dates, label manipulation,
// sorting, absent(), vector() and classic-histogram functions.
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <ctime>

#include "promql/evaluator.h"
#include "promql/parser/functions.h"
#include "promql/parser/printer_util.h"

namespace argus::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double Sgn(double v) { return v > 0 ? 1 : v < 0 ? -1 : v; }
double Deg(double v) { return v * 180 / M_PI; }
double Rad(double v) { return v * M_PI / 180; }
double Abs(double v) { return std::abs(v); }
double Ceil(double v) { return std::ceil(v); }
double Floor(double v) { return std::floor(v); }
double Exp(double v) { return std::exp(v); }
double Ln(double v) { return std::log(v); }
double Log2(double v) { return std::log2(v); }
double Log10(double v) { return std::log10(v); }
double Sqrt(double v) { return std::sqrt(v); }
double Sin(double v) { return std::sin(v); }
double Cos(double v) { return std::cos(v); }
double Tan(double v) { return std::tan(v); }
double Asin(double v) { return std::asin(v); }
double Acos(double v) { return std::acos(v); }
double Atan(double v) { return std::atan(v); }
double Sinh(double v) { return std::sinh(v); }
double Cosh(double v) { return std::cosh(v); }
double Tanh(double v) { return std::tanh(v); }
double Asinh(double v) { return std::asinh(v); }
double Acosh(double v) { return std::acosh(v); }
double Atanh(double v) { return std::atanh(v); }

constexpr std::pair<std::string_view, ValueFunction> kValueFunctions[] = {
    {"abs", Abs},     {"ceil", Ceil},   {"floor", Floor}, {"exp", Exp},   {"ln", Ln},
    {"log2", Log2},   {"log10", Log10}, {"sqrt", Sqrt},   {"sgn", Sgn},   {"deg", Deg},
    {"rad", Rad},     {"sin", Sin},     {"cos", Cos},     {"tan", Tan},   {"asin", Asin},
    {"acos", Acos},   {"atan", Atan},   {"sinh", Sinh},   {"cosh", Cosh}, {"tanh", Tanh},
    {"asinh", Asinh}, {"acosh", Acosh}, {"atanh", Atanh},
};

// Go's math.Max and math.Min: NaN wins.
double GoMax(double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::max(a, b); }
double GoMin(double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::min(a, b); }

// Applies `f(value, step)` to every present value; f returns false to drop the value.
template <typename F>
Status MapValues(Evaluator& ev, const Expr& arg, const Steps& steps, bool drop_name,
                 const SeriesSink& sink, F f) {
  return ev.Stream(arg, steps, [&](StepSeries&& s) {
    bool any = false;
    for (size_t i = 0; i < s.values.size(); ++i) {
      double& v = s.values[i];
      if (IsAbsent(v)) continue;
      if (f(v, i)) {
        any = true;
      } else {
        v = Absent();
      }
    }
    s.drop_name = s.drop_name || drop_name;
    return any ? sink(std::move(s)) : Status::Ok();
  });
}

// The date part `name` of a Unix time in seconds.
double DatePart(std::string_view name, double seconds) {
  std::time_t t = static_cast<std::time_t>(static_cast<int64_t>(seconds));
  std::tm tm;
  gmtime_r(&t, &tm);
  if (name == "year") return tm.tm_year + 1900;
  if (name == "month") return tm.tm_mon + 1;
  if (name == "day_of_month") return tm.tm_mday;
  if (name == "day_of_week") return tm.tm_wday;
  if (name == "day_of_year") return tm.tm_yday + 1;
  if (name == "hour") return tm.tm_hour;
  if (name == "minute") return tm.tm_min;
  // days_in_month
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = tm.tm_year + 1900;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return tm.tm_mon == 1 && leap ? 29 : kDays[tm.tm_mon];
}

bool IsDateFunction(std::string_view name) {
  for (std::string_view n : {"year", "month", "day_of_month", "day_of_week", "day_of_year", "hour",
                             "minute", "days_in_month"}) {
    if (n == name) return true;
  }
  return false;
}

// Go's regexp.Expand for label_replace's replacement: $1, ${1}, $name, ${name}, $$.
std::string ExpandTemplate(std::string_view tmpl, const re2::RE2& re,
                           const std::vector<re2::StringPiece>& groups) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 >= tmpl.size()) {
      out.push_back(tmpl[i]);
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    std::string_view name;
    size_t next;
    if (tmpl[i + 1] == '{') {
      size_t close = tmpl.find('}', i + 2);
      if (close == std::string_view::npos) {
        out.push_back('$');
        continue;
      }
      name = tmpl.substr(i + 2, close - i - 2);
      next = close + 1;
    } else {
      size_t j = i + 1;
      while (j < tmpl.size() &&
             (std::isalnum(static_cast<unsigned char>(tmpl[j])) || tmpl[j] == '_'))
        ++j;
      name = tmpl.substr(i + 1, j - i - 1);
      next = j;
    }
    if (name.empty()) {
      out.push_back('$');
      continue;
    }
    int index = -1;
    if (std::all_of(name.begin(), name.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      index = name.size() > 8 ? -1 : std::stoi(std::string(name));
    } else {
      auto it = re.NamedCapturingGroups().find(std::string(name));
      if (it != re.NamedCapturingGroups().end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size()) {
      out.append(groups[index].data(), groups[index].size());
    }
    i = next - 1;
  }
  return out;
}

Status CheckUniqueLabels(const InstantVectors& v, size_t n) {
  absl::flat_hash_map<model::Labels, size_t, LabelsHash> seen;
  for (size_t k = 0; k < v.size(); ++k) {
    auto [it, inserted] = seen.try_emplace(v[k].labels, k);
    if (inserted) continue;
    for (size_t i = 0; i < n; ++i) {
      if (!IsAbsent(v[k].values[i]) && !IsAbsent(v[it->second].values[i])) {
        return Status::Error("vector cannot contain metrics with the same labelset");
      }
    }
  }
  return Status::Ok();
}

Result<InstantVectors> LabelReplace(Evaluator& ev, const Call& call, const Steps& steps) {
  const std::string& dst = StringArg(*call.args[1]);
  const std::string& repl = StringArg(*call.args[2]);
  const std::string& src = StringArg(*call.args[3]);
  const std::string& regex = StringArg(*call.args[4]);
  auto re = model::CompileAnchored(regex);
  if (!re.ok()) {
    return Status::Errorf("invalid regular expression in label_replace(): {}", regex);
  }
  if (!IsValidLabelName(dst)) {
    return Status::Errorf("invalid destination label name in label_replace(): {}", dst);
  }
  SampleCharge held(ev);
  ARGUS_ASSIGN_OR_RETURN(InstantVectors v, ev.EvalVector(*call.args[0], steps, held));
  const re2::RE2& r = **re;
  std::vector<re2::StringPiece> groups(r.NumberOfCapturingGroups() + 1);
  for (auto& s : v) {
    std::string_view value = s.labels.Get(src);
    if (!r.Match(re2::StringPiece(value.data(), value.size()), 0, value.size(),
                 re2::RE2::ANCHOR_BOTH, groups.data(), static_cast<int>(groups.size()))) {
      continue;
    }
    std::string result = ExpandTemplate(repl, r, groups);
    model::LabelsBuilder b(s.labels);
    b.Set(dst, result);
    s.labels = b.Build();
    if (dst == model::kMetricName) s.drop_name = false;
  }
  ARGUS_RETURN_IF_ERROR(CheckUniqueLabels(v, steps.count()));
  return v;
}

Result<InstantVectors> LabelJoin(Evaluator& ev, const Call& call, const Steps& steps) {
  const std::string& dst = StringArg(*call.args[1]);
  const std::string& sep = StringArg(*call.args[2]);
  std::vector<std::string> srcs;
  for (size_t i = 3; i < call.args.size(); ++i) srcs.push_back(StringArg(*call.args[i]));
  if (!IsValidLabelName(dst)) {
    return Status::Errorf("invalid destination label name in label_join(): {}", dst);
  }
  SampleCharge held(ev);
  ARGUS_ASSIGN_OR_RETURN(InstantVectors v, ev.EvalVector(*call.args[0], steps, held));
  for (auto& s : v) {
    std::string joined;
    for (size_t i = 0; i < srcs.size(); ++i) {
      if (i > 0) joined += sep;
      joined += s.labels.Get(srcs[i]);
    }
    model::LabelsBuilder b(s.labels);
    b.Set(dst, joined);
    s.labels = b.Build();
    if (dst == model::kMetricName) s.drop_name = false;
  }
  ARGUS_RETURN_IF_ERROR(CheckUniqueLabels(v, steps.count()));
  return v;
}

// Natural order: runs of digits compare as numbers, the rest byte by byte.
int NaturalCompare(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = std::isdigit(static_cast<unsigned char>(a[i]));
    bool db = std::isdigit(static_cast<unsigned char>(b[j]));
    if (da && db) {
      size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      std::string_view na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
      if (int c = na.compare(nb); c != 0) return c;
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j])
        return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
      ++i;
      ++j;
    }
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

Result<InstantVectors> Sort(Evaluator& ev, const Expr& expr, const Call& call, const Steps& steps) {
  std::string_view name = call.function->name;
  SampleCharge held(ev);
  ARGUS_ASSIGN_OR_RETURN(InstantVectors v, ev.EvalVector(*call.args[0], steps, held));
  if (steps.count() > 1) {
    ev.annotations().Warn(ev.query(), expr.pos,
                          "sort is ineffective for range queries since results are always "
                          "ordered by labels");
    return v;
  }
  if (name == "sort" || name == "sort_desc") {
    bool desc = name == "sort_desc";
    std::stable_sort(v.begin(), v.end(), [&](const StepSeries& x, const StepSeries& y) {
      double a = x.values[0], b = y.values[0];
      if (std::isnan(a)) return !std::isnan(b);
      if (std::isnan(b)) return false;
      return desc ? a > b : a < b;
    });
    return v;
  }
  std::vector<std::string> labels;
  for (size_t i = 1; i < call.args.size(); ++i) labels.push_back(StringArg(*call.args[i]));
  bool desc = name == "sort_by_label_desc";
  std::stable_sort(v.begin(), v.end(), [&](const StepSeries& x, const StepSeries& y) {
    for (const auto& l : labels) {
      int c = NaturalCompare(x.labels.Get(l), y.labels.Get(l));
      if (c != 0) return desc ? c > 0 : c < 0;
    }
    return desc ? y.labels < x.labels : x.labels < y.labels;
  });
  return v;
}

// The labels absent() gives its result: the selector's equality matchers, names used once.
model::Labels AbsentLabels(const Expr& arg) {
  const Expr& e = Unparen(arg);
  const std::vector<model::Matcher>* matchers = nullptr;
  if (const auto* vs = e.As<VectorSelector>()) matchers = &vs->matchers;
  if (const auto* ms = e.As<MatrixSelector>()) matchers = &ms->selector.matchers;
  if (matchers == nullptr) return {};
  // An equality gives a label unless another matcher names it too.
  model::LabelsBuilder b;
  std::vector<std::string_view> removed;
  for (const auto& m : *matchers) {
    if (m.name() == model::kMetricName) continue;
    bool was_removed = std::find(removed.begin(), removed.end(), m.name()) != removed.end();
    if (m.type() == model::Matcher::Type::kEqual && b.Get(m.name()).empty() && !was_removed) {
      b.Set(m.name(), m.value());
    } else {
      b.Del(m.name());
      removed.push_back(m.name());
    }
  }
  return b.Build();
}

struct Bucket {
  double upper;
  double count;
};

bool AlmostEqual(double a, double b, double epsilon) {
  constexpr double kMinNormal = 2.2250738585072014e-308;
  if (a == b) return true;
  double abs_sum = std::abs(a) + std::abs(b);
  double diff = std::abs(a - b);
  if (a == 0 || b == 0 || abs_sum < kMinNormal) return diff < epsilon * kMinNormal;
  return diff / std::min(abs_sum, std::numeric_limits<double>::max()) < epsilon;
}

// Sorts, merges equal bounds and removes decreases; false if there is no +Inf bucket.
bool PrepareBuckets(std::vector<Bucket>& b, bool* forced_monotonic) {
  std::sort(b.begin(), b.end(), [](const Bucket& x, const Bucket& y) { return x.upper < y.upper; });
  if (b.empty() || !std::isinf(b.back().upper) || b.back().upper < 0) return false;
  size_t w = 0;
  for (size_t i = 1; i < b.size(); ++i) {
    if (b[i].upper == b[w].upper) {
      b[w].count += b[i].count;
    } else {
      b[++w] = b[i];
    }
  }
  b.resize(w + 1);
  double prev = b[0].count;
  for (size_t i = 1; i < b.size(); ++i) {
    double cur = b[i].count;
    if (cur == prev) continue;
    if (AlmostEqual(prev, cur, 1e-12)) {
      b[i].count = prev;
      continue;
    }
    if (cur < prev) {
      b[i].count = prev;
      *forced_monotonic = true;
      continue;
    }
    prev = cur;
  }
  return true;
}

double BucketQuantile(double q, std::vector<Bucket>& b, bool* forced_monotonic) {
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -kInf;
  if (q > 1) return kInf;
  if (!PrepareBuckets(b, forced_monotonic) || b.size() < 2) return kNaN;
  double observations = b.back().count;
  if (observations == 0 || std::isnan(observations)) return kNaN;
  double rank = q * observations;
  size_t i = std::lower_bound(b.begin(), b.end() - 1, rank,
                              [](const Bucket& x, double r) { return x.count < r; }) -
             b.begin();
  if (i == b.size() - 1) return b[b.size() - 2].upper;
  if (i == 0 && b[0].upper <= 0) return b[0].upper;
  double start = 0, end = b[i].upper, count = b[i].count;
  if (i > 0) {
    start = b[i - 1].upper;
    count -= b[i - 1].count;
    rank -= b[i - 1].count;
  }
  return start + (end - start) * (rank / count);
}

double BucketFraction(double lower, double upper, std::vector<Bucket>& b) {
  bool forced = false;
  if (!PrepareBuckets(b, &forced)) return kNaN;
  double count = b.back().count;
  if (count == 0 || std::isnan(lower) || std::isnan(upper)) return kNaN;
  if (lower >= upper) return 0;
  double rank = 0, lower_rank = 0, upper_rank = 0;
  bool lower_set = false, upper_set = false;
  for (size_t i = 0; i < b.size(); ++i) {
    // Like histogram_quantile, the first bucket starts at 0 when its upper bound is positive.
    double lb = i > 0 ? b[i - 1].upper : (b[0].upper > 0 ? 0 : -kInf);
    double ub = b[i].upper;
    auto interpolate = [&](double v) {
      // No interpolation in a bucket of infinite width: the first one counts wholly below
      // the value, the last one wholly above it.
      if (std::isinf(lb)) return b[i].count;
      if (std::isinf(ub)) return rank;
      return rank + (b[i].count - rank) * (v - lb) / (ub - lb);
    };
    if (!lower_set && lb >= lower) {
      lower_rank = rank;
      lower_set = true;
    }
    if (!upper_set && lb >= upper) {
      upper_rank = rank;
      upper_set = true;
    }
    if (lower_set && upper_set) break;
    if (!lower_set && lb < lower && ub > lower) {
      lower_rank = interpolate(lower);
      lower_set = true;
    }
    if (!upper_set && lb < upper && ub > upper) {
      upper_rank = interpolate(upper);
      upper_set = true;
    }
    if (lower_set && upper_set) break;
    rank = b[i].count;
  }
  if (!lower_set || lower_rank > count) lower_rank = count;
  if (!upper_set || upper_rank > count) upper_rank = count;
  return (upper_rank - lower_rank) / count;
}

// The label value histogram_quantiles gives a quantile: always with a fraction ("1.0").
std::string QuantileLabel(double q) {
  std::string text = FormatFloat(q);
  if (text.find_first_of(".IN") == std::string::npos) text += ".0";
  return text;
}

// histogram_quantile, histogram_quantiles and histogram_fraction over classic `le` buckets.
Result<InstantVectors> ClassicHistogram(Evaluator& ev, const Call& call, const Steps& steps) {
  std::string_view name = call.function->name;
  bool fraction = name == "histogram_fraction";
  bool several = name == "histogram_quantiles";
  const size_t n = steps.count();
  // Quantiles (or the fraction's bounds) and the expression of the buckets.
  std::vector<const Expr*> scalar_args;
  for (const auto& arg : call.args) {
    if (arg->type() == ValueType::kScalar) scalar_args.push_back(arg.get());
  }
  const Expr& vec_arg = several ? *call.args[0] : *call.args.back();
  std::vector<Scalars> params;
  for (const Expr* arg : scalar_args) {
    ARGUS_ASSIGN_OR_RETURN(Scalars s, ev.EvalScalar(*arg, steps));
    if (!fraction) {
      for (double q : s) {
        if (std::isnan(q) || q < 0 || q > 1) {
          ev.annotations().Warn(ev.query(), arg->pos,
                                fmt::format("quantile value should be between 0 and 1, got {}",
                                            std::isnan(q) ? "NaN" : fmt::format("{}", q)));
        }
      }
    }
    params.push_back(std::move(s));
  }
  SampleCharge held(ev);
  ARGUS_ASSIGN_OR_RETURN(InstantVectors input, ev.EvalVector(vec_arg, steps, held));
  // Groups by all labels but `le`; results carry neither `le` nor the name.
  absl::flat_hash_map<model::Labels, size_t, LabelsHash> index;
  struct Group {
    model::Labels labels;
    std::vector<std::pair<double, const StepSeries*>> buckets;
  };
  std::vector<Group> groups;
  for (const StepSeries& s : input) {
    std::string_view le = s.labels.Get("le");
    char* end = nullptr;
    std::string le_text(le);
    double upper = std::strtod(le_text.c_str(), &end);
    if (le.empty() || end != le_text.c_str() + le_text.size()) {
      ev.annotations().Warn(ev.query(), vec_arg.pos,
                            fmt::format("bucket label \"le\" is missing or has a malformed value "
                                        "of \"{}\" for metric name \"{}\"",
                                        le, s.labels.MetricName()));
      continue;
    }
    model::LabelsBuilder b(s.labels);
    b.Del("le");
    auto [it, inserted] = index.try_emplace(b.Build(), groups.size());
    if (inserted) groups.push_back({WithoutName(it->first), {}});
    groups[it->second].buckets.push_back({upper, &s});
  }
  InstantVectors out;
  std::vector<Bucket> buckets;
  size_t outputs = fraction ? 1 : params.size();
  for (const Group& g : groups) {
    for (size_t q = 0; q < outputs; ++q) {
      model::Labels labels = g.labels;
      if (several) {
        model::LabelsBuilder b(labels);
        b.Set(StringArg(*call.args[1]), QuantileLabel(params[q][0]));
        labels = b.Build();
      }
      StepSeries s{std::move(labels), std::vector<double>(n, Absent()), false};
      bool any = false;
      for (size_t i = 0; i < n; ++i) {
        buckets.clear();
        for (const auto& [upper, series] : g.buckets) {
          if (!IsAbsent(series->values[i])) buckets.push_back({upper, series->values[i]});
        }
        if (buckets.empty()) continue;
        bool forced = false;
        s.values[i] = fraction ? BucketFraction(params[0][i], params[1][i], buckets)
                               : BucketQuantile(params[q][i], buckets, &forced);
        any = true;
        if (forced) {
          ev.annotations().Info(
              ev.query(), vec_arg.pos,
              fmt::format("input to histogram_quantile needed to be fixed for monotonicity (see "
                          "https://prometheus.io/docs/prometheus/latest/querying/functions/"
                          "#histogram_quantile) for metric name \"{}\"",
                          g.buckets.front().second->labels.MetricName()));
        }
      }
      if (any) out.push_back(std::move(s));
    }
  }
  ARGUS_RETURN_IF_ERROR(CheckUniqueLabels(out, n));
  return out;
}

Status EmitAll(Result<InstantVectors> v, const SeriesSink& sink) {
  if (!v.ok()) return v.status();
  for (auto& s : *v) ARGUS_RETURN_IF_ERROR(sink(std::move(s)));
  return Status::Ok();
}

}  // namespace

ValueFunction FindValueFunction(std::string_view name) {
  for (const auto& [n, f] : kValueFunctions) {
    if (n == name) return f;
  }
  return nullptr;
}

Status EvalInstantFunction(Evaluator& ev, const Expr& expr, const Call& call, const Steps& steps,
                           const SeriesSink& sink) {
  std::string_view name = call.function->name;
  const size_t n = steps.count();
  auto scalar_arg = [&](size_t i) { return ev.EvalScalar(*call.args[i], steps); };

  if (name == "clamp" || name == "clamp_min" || name == "clamp_max") {
    ARGUS_ASSIGN_OR_RETURN(Scalars lo, scalar_arg(1));
    Scalars hi;
    if (name == "clamp") {
      ARGUS_ASSIGN_OR_RETURN(hi, scalar_arg(2));
    }
    return MapValues(ev, *call.args[0], steps, true, sink, [&](double& v, size_t i) {
      if (name == "clamp_min") {
        v = GoMax(lo[i], v);
      } else if (name == "clamp_max") {
        v = GoMin(lo[i], v);
      } else {
        if (hi[i] < lo[i]) return false;
        v = GoMax(lo[i], GoMin(hi[i], v));
      }
      return true;
    });
  }
  if (name == "round") {
    Scalars to_nearest(n, 1.0);
    if (call.args.size() > 1) {
      ARGUS_ASSIGN_OR_RETURN(Scalars s, scalar_arg(1));
      to_nearest = std::move(s);
    }
    return MapValues(ev, *call.args[0], steps, true, sink, [&](double& v, size_t i) {
      double inverse = 1.0 / to_nearest[i];
      v = std::floor(v * inverse + 0.5) / inverse;
      return true;
    });
  }
  if (name == "timestamp") {
    const Expr& arg = Unparen(*call.args[0]);
    auto drop = [&](StepSeries&& s) {
      s.drop_name = true;
      return sink(std::move(s));
    };
    if (const auto* vs = arg.As<VectorSelector>()) return ev.StreamSelector(*vs, steps, true, drop);
    return MapValues(ev, arg, steps, true, sink, [&](double& v, size_t i) {
      v = static_cast<double>(steps.At(i)) / 1000.0;
      return true;
    });
  }
  if (IsDateFunction(name)) {
    if (call.args.empty()) {
      StepSeries s{{}, std::vector<double>(n), false};
      for (size_t i = 0; i < n; ++i) {
        s.values[i] = DatePart(name, static_cast<double>(steps.At(i) / 1000));
      }
      return sink(std::move(s));
    }
    return MapValues(ev, *call.args[0], steps, true, sink, [&](double& v, size_t) {
      if (std::isnan(v) || std::isinf(v)) return true;
      v = DatePart(name, v);
      return true;
    });
  }
  if (name == "vector") {
    ARGUS_ASSIGN_OR_RETURN(Scalars s, scalar_arg(0));
    return sink(StepSeries{{}, std::move(s), false});
  }
  if (name == "label_replace") return EmitAll(LabelReplace(ev, call, steps), sink);
  if (name == "label_join") return EmitAll(LabelJoin(ev, call, steps), sink);
  if (name.starts_with("sort")) return EmitAll(Sort(ev, expr, call, steps), sink);
  if (name == "histogram_quantile" || name == "histogram_quantiles" ||
      name == "histogram_fraction") {
    return EmitAll(ClassicHistogram(ev, call, steps), sink);
  }
  if (name == "absent" || name == "absent_over_time") {
    std::vector<bool> present(n, false);
    if (name == "absent") {
      ARGUS_RETURN_IF_ERROR(ev.Stream(*call.args[0], steps, [&](StepSeries&& s) {
        for (size_t i = 0; i < n; ++i) present[i] = present[i] || !IsAbsent(s.values[i]);
        return Status::Ok();
      }));
    } else {
      std::vector<int64_t> ends;
      int64_t range = 0;
      ARGUS_RETURN_IF_ERROR(
          ev.StreamRange(*call.args[0], steps, &ends, &range, [&](const RangeSeries& rs) {
            const auto& points = *rs.points;
            for (size_t i = 0; i < n; ++i) {
              auto it = std::upper_bound(points.begin(), points.end(), ends[i] - range,
                                         [](int64_t t, const FPoint& p) { return t < p.t; });
              if (it != points.end() && it->t <= ends[i]) present[i] = true;
            }
            return Status::Ok();
          }));
    }
    StepSeries s{AbsentLabels(*call.args[0]), std::vector<double>(n, Absent()), false};
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      if (!present[i]) {
        s.values[i] = 1;
        any = true;
      }
    }
    return any ? sink(std::move(s)) : Status::Ok();
  }
  if (name.starts_with("histogram_")) {
    // histogram_count, _sum, _avg, _stddev, _stdvar read native histograms, which Argus does not
    // store: float samples give no result, as in Prometheus.
    return ev.Stream(*call.args[0], steps, [](StepSeries&&) { return Status::Ok(); });
  }
  return Status::Error(fmt::format("function \"{}\" is not supported", name),
                       Status::Code::kInvalidInput);
}

}  // namespace argus::promql
