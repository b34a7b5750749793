// Aggregation operators. Each input series' group is found once, from a key of its grouping
// labels' values, and the accumulators hold one cell per group and step.
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <numeric>

#include "promql/evaluator.h"
#include "promql/parser/printer_util.h"

namespace argus::promql {
namespace {

// Assigns input series to groups by their grouping labels.
class Grouper {
 public:
  explicit Grouper(const Aggregate& a) : a_(a) {}

  size_t GroupOf(const model::Labels& labels) {
    key_.clear();
    if (a_.without) {
      for (const auto& l : labels) {
        if (l.name == model::kMetricName || Excluded(l.name)) continue;
        key_ += l.name;
        key_ += '\xfe';
        key_ += l.value;
        key_ += '\xff';
      }
    } else {
      for (const auto& name : a_.grouping) {
        key_ += labels.Get(name);
        key_ += '\xff';
      }
    }
    auto it = ids_.find(key_);
    if (it != ids_.end()) return it->second;
    model::LabelsBuilder b;
    if (a_.without) {
      b.Reset(labels);
      b.Del(model::kMetricName);
      for (const auto& name : a_.grouping) b.Del(name);
    } else {
      for (const auto& name : a_.grouping) b.Set(name, labels.Get(name));
    }
    groups_.push_back(b.Build());
    ids_.emplace(key_, groups_.size() - 1);
    return groups_.size() - 1;
  }

  size_t size() const { return groups_.size(); }
  model::Labels& labels(size_t g) { return groups_[g]; }

 private:
  bool Excluded(const std::string& name) const {
    return std::find(a_.grouping.begin(), a_.grouping.end(), name) != a_.grouping.end();
  }
  const Aggregate& a_;
  std::string key_;
  absl::flat_hash_map<std::string, size_t> ids_;
  std::vector<model::Labels> groups_;
};

// One group's state at one step for the streaming aggregations.
struct Cell {
  double count = 0;
  double value = 0;  // Sum, minimum, maximum, or the stdvar aggregate.
  double kahan = 0;
  double mean = 0;
  bool incremental = false;  // avg: switched to an incremental mean after the sum overflowed.
};

template <AggregateOp kOp>
void Accumulate(Cell& c, double f) {
  constexpr bool kDeviation = kOp == AggregateOp::kStddev || kOp == AggregateOp::kStdvar;
  if (kDeviation && !std::isfinite(f)) {
    // Any NaN or infinity makes the deviation NaN, as in Prometheus.
    c.count++;
    c.value = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  if (c.count == 0) {
    c.count = 1;
    c.value = kDeviation ? 0 : f;
    c.mean = f;
    return;
  }
  c.count++;
  if constexpr (kOp == AggregateOp::kSum) {
    c.value = KahanAdd(f, c.value, &c.kahan);
  } else if constexpr (kOp == AggregateOp::kAvg) {
    if (!c.incremental) {
      double kahan = c.kahan;
      double sum = KahanAdd(f, c.value, &kahan);
      if (!std::isinf(sum)) {
        c.value = sum;
        c.kahan = kahan;
        return;
      }
      // The sum would overflow: go on with an incremental mean.
      c.incremental = true;
      c.mean = c.value / (c.count - 1);
      c.kahan /= c.count - 1;
    }
    if (std::isinf(c.mean)) {
      if (std::isinf(f) && (c.mean > 0) == (f > 0)) return;
      if (!std::isinf(f) && !std::isnan(f)) return;
    }
    double q = (c.count - 1) / c.count;
    c.kahan *= q;
    c.mean = KahanAdd(f / c.count, q * c.mean, &c.kahan);
  } else if constexpr (kOp == AggregateOp::kMin) {
    if (c.value > f || std::isnan(c.value)) c.value = f;
  } else if constexpr (kOp == AggregateOp::kMax) {
    if (c.value < f || std::isnan(c.value)) c.value = f;
  } else if constexpr (kDeviation) {
    double delta = f - c.mean;
    c.mean += delta / c.count;
    c.value += delta * (f - c.mean);
  }
}

// Adds one series' values to its group's row of cells; a template per operator so that the
// loop over steps has no dispatch in it.
template <AggregateOp kOp>
void AccumulateRow(Cell* row, const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!IsAbsent(values[i])) Accumulate<kOp>(row[i], values[i]);
  }
}

using RowAccumulator = void (*)(Cell* row, const std::vector<double>& values);

RowAccumulator AccumulatorFor(AggregateOp op) {
  switch (op) {
    case AggregateOp::kSum:
      return AccumulateRow<AggregateOp::kSum>;
    case AggregateOp::kAvg:
      return AccumulateRow<AggregateOp::kAvg>;
    case AggregateOp::kMin:
      return AccumulateRow<AggregateOp::kMin>;
    case AggregateOp::kMax:
      return AccumulateRow<AggregateOp::kMax>;
    case AggregateOp::kStddev:
      return AccumulateRow<AggregateOp::kStddev>;
    case AggregateOp::kStdvar:
      return AccumulateRow<AggregateOp::kStdvar>;
    default:
      return AccumulateRow<AggregateOp::kCount>;  // count and group only count.
  }
}

double Finish(AggregateOp op, const Cell& c) {
  switch (op) {
    case AggregateOp::kSum:
      return c.value + c.kahan;
    case AggregateOp::kAvg:
      return c.incremental ? c.mean + c.kahan : (c.value + c.kahan) / c.count;
    case AggregateOp::kCount:
      return c.count;
    case AggregateOp::kGroup:
      return 1;
    case AggregateOp::kStdvar:
      return c.value / c.count;
    case AggregateOp::kStddev:
      return std::sqrt(c.value / c.count);
    default:
      return c.value;
  }
}

// Prometheus' Labels.Hash(): xxHash64 over name, 0xff, value, 0xff for every label.
uint64_t PrometheusHash(const model::Labels& labels) {
  std::string buf;
  for (const auto& l : labels) {
    buf += l.name;
    buf += '\xff';
    buf += l.value;
    buf += '\xff';
  }
  return XXH64(buf.data(), buf.size(), 0);
}

std::string GoFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

}  // namespace

Result<InstantVectors> Evaluator::EvalAggregate(const Aggregate& a, const Steps& steps,
                                                SampleCharge& held) {
  const size_t n = steps.count();
  Grouper grouper(a);
  InstantVectors out;
  switch (a.op) {
    case AggregateOp::kSum:
    case AggregateOp::kAvg:
    case AggregateOp::kCount:
    case AggregateOp::kMin:
    case AggregateOp::kMax:
    case AggregateOp::kGroup:
    case AggregateOp::kStddev:
    case AggregateOp::kStdvar: {
      std::vector<Cell> cells;
      std::vector<bool> drop_name;
      RowAccumulator accumulate = AccumulatorFor(a.op);
      // A cell is charged as the samples it takes the room of.
      constexpr int64_t kCellSamples = (sizeof(Cell) + sizeof(FPoint) - 1) / sizeof(FPoint);
      SampleCharge cells_held(*this);
      ARGUS_RETURN_IF_ERROR(Stream(*a.expr, steps, [&](StepSeries&& s) {
        size_t g = grouper.GroupOf(s.labels);
        if (g >= drop_name.size()) {
          drop_name.resize(g + 1, false);
          cells.resize((g + 1) * n);
          ARGUS_RETURN_IF_ERROR(cells_held.Add(static_cast<int64_t>(n) * kCellSamples));
        }
        drop_name[g] = drop_name[g] || s.drop_name;
        accumulate(&cells[g * n], s.values);
        return Status::Ok();
      }));
      ARGUS_RETURN_IF_ERROR(held.Add(static_cast<int64_t>(grouper.size() * n)));
      for (size_t g = 0; g < grouper.size(); ++g) {
        StepSeries s{std::move(grouper.labels(g)), std::vector<double>(n, Absent()), drop_name[g]};
        for (size_t i = 0; i < n; ++i) {
          const Cell& c = cells[g * n + i];
          if (c.count > 0) s.values[i] = Finish(a.op, c);
        }
        out.push_back(std::move(s));
      }
      return out;
    }
    default:
      break;
  }

  SampleCharge input_held(*this);
  ARGUS_ASSIGN_OR_RETURN(InstantVectors input, EvalVector(*a.expr, steps, input_held));
  std::vector<size_t> group(input.size());
  for (size_t k = 0; k < input.size(); ++k) group[k] = grouper.GroupOf(input[k].labels);

  if (a.op == AggregateOp::kCountValues) {
    const std::string& label = StringArg(*a.param);
    if (!IsValidLabelName(label)) {
      return Status::Errorf("invalid label name {}", GoQuote(label));
    }
    absl::flat_hash_map<model::Labels, size_t, LabelsHash> index;
    for (size_t k = 0; k < input.size(); ++k) {
      for (size_t i = 0; i < n; ++i) {
        double v = input[k].values[i];
        if (IsAbsent(v)) continue;
        model::LabelsBuilder b(grouper.labels(group[k]));
        b.Set(label, FormatFloat(v));
        auto [it, inserted] = index.try_emplace(b.Build(), out.size());
        if (inserted) {
          out.push_back({it->first, std::vector<double>(n, 0.0), false});
          ARGUS_RETURN_IF_ERROR(held.Add(static_cast<int64_t>(n)));
        }
        out[it->second].values[i] += 1;
      }
    }
    for (auto& s : out) {
      for (double& v : s.values) {
        if (v == 0) v = Absent();
      }
    }
    return out;
  }

  ARGUS_ASSIGN_OR_RETURN(Scalars param, EvalScalar(*a.param, steps));

  if (a.op == AggregateOp::kQuantile) {
    std::vector<std::vector<double>> values(grouper.size());
    std::vector<bool> drop_name(grouper.size(), false);
    for (size_t g = 0; g < grouper.size(); ++g) {
      out.push_back({grouper.labels(g), std::vector<double>(n, Absent()), false});
    }
    ARGUS_RETURN_IF_ERROR(held.Add(out));
    for (size_t k = 0; k < input.size(); ++k) {
      out[group[k]].drop_name = out[group[k]].drop_name || input[k].drop_name;
    }
    for (size_t i = 0; i < n; ++i) {
      double q = param[i];
      if (std::isnan(q) || q < 0 || q > 1) {
        annotations_.Warn(
            query_, a.param->pos,
            fmt::format("quantile value should be between 0 and 1, got {}", GoFloat(q)));
      }
      for (auto& v : values) v.clear();
      for (size_t k = 0; k < input.size(); ++k) {
        double v = input[k].values[i];
        if (!IsAbsent(v)) values[group[k]].push_back(v);
      }
      for (size_t g = 0; g < grouper.size(); ++g) {
        if (!values[g].empty()) out[g].values[i] = Quantile(q, values[g]);
      }
    }
    return out;
  }

  // topk, bottomk, limitk and limit_ratio select input series per step and group.
  std::vector<StepSeries> selected(input.size());
  for (size_t k = 0; k < input.size(); ++k) {
    selected[k] = {input[k].labels, std::vector<double>(n, Absent()), input[k].drop_name};
  }
  ARGUS_RETURN_IF_ERROR(held.Add(selected));
  std::vector<std::vector<size_t>> members(grouper.size());
  for (size_t i = 0; i < n; ++i) {
    double p = param[i];
    if (std::isnan(p)) {
      return Status::Error(a.op == AggregateOp::kLimitRatio ? "Ratio value is NaN"
                                                            : "Parameter value is NaN");
    }
    for (auto& m : members) m.clear();
    for (size_t k = 0; k < input.size(); ++k) {
      if (!IsAbsent(input[k].values[i])) members[group[k]].push_back(k);
    }
    if (a.op == AggregateOp::kLimitRatio) {
      double ratio = p;
      if (ratio > 1 || ratio < -1) {
        double capped = ratio > 1 ? 1 : -1;
        annotations_.Warn(
            query_, a.param->pos,
            fmt::format("ratio value should be between -1 and 1, got {}, capping to {}",
                        GoFloat(ratio), GoFloat(capped)));
        ratio = capped;
      }
      for (size_t k = 0; k < input.size(); ++k) {
        if (IsAbsent(input[k].values[i])) continue;
        double offset = static_cast<double>(PrometheusHash(input[k].labels)) /
                        static_cast<double>(std::numeric_limits<uint64_t>::max());
        if ((ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio)) {
          selected[k].values[i] = input[k].values[i];
        }
      }
      continue;
    }
    double kf = std::min(p, static_cast<double>(input.size()));
    if (kf < 1) continue;
    size_t k_limit = static_cast<size_t>(kf);
    for (auto& m : members) {
      if (a.op != AggregateOp::kLimitk && m.size() > k_limit) {
        // The k best, NaN last, ties to the earlier series; only which, not their order.
        bool top = a.op == AggregateOp::kTopk;
        auto better = [&](size_t x, size_t y) {
          double vx = input[x].values[i];
          double vy = input[y].values[i];
          if (std::isnan(vx) || std::isnan(vy)) {
            if (std::isnan(vx) != std::isnan(vy)) return std::isnan(vy);
            return x < y;
          }
          if (vx != vy) return top ? vx > vy : vx < vy;
          return x < y;
        };
        std::nth_element(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(k_limit), m.end(),
                         better);
      }
      for (size_t j = 0; j < m.size() && j < k_limit; ++j) {
        selected[m[j]].values[i] = input[m[j]].values[i];
      }
    }
  }
  // An instant result lists each group's selection best first, as Prometheus does.
  std::vector<size_t> order(selected.size());
  std::iota(order.begin(), order.end(), 0);
  if (n == 1 && (a.op == AggregateOp::kTopk || a.op == AggregateOp::kBottomk)) {
    bool top = a.op == AggregateOp::kTopk;
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      if (group[x] != group[y]) return group[x] < group[y];
      double vx = selected[x].values[0];
      double vy = selected[y].values[0];
      if (std::isnan(vy)) return !std::isnan(vx);
      if (std::isnan(vx)) return false;
      return top ? vx > vy : vx < vy;
    });
  }
  for (size_t k : order) {
    if (PresentCount(selected[k]) > 0) out.push_back(std::move(selected[k]));
  }
  return out;
}

}  // namespace argus::promql
