#include "promql/engine.h"

#include <fmt/format.h>

#include <algorithm>

#include "promql/evaluator.h"
#include "promql/parser/parser.h"

namespace argus::promql {
namespace {

// Widens [*lo, *hi] to every sample time that `e`, evaluated between start and end, reads.
void TimeBounds(const Expr& e, int64_t start, int64_t end, int64_t query_start, int64_t query_end,
                const EngineOptions& options, int64_t* lo, int64_t* hi) {
  auto reference = [&](const TimeModifiers& m, int64_t* rs, int64_t* re) {
    *rs = start;
    *re = end;
    if (m.at == AtKind::kTimestamp) *rs = *re = m.at_ms;
    if (m.at == AtKind::kStart) *rs = *re = query_start;
    if (m.at == AtKind::kEnd) *rs = *re = query_end;
    *rs -= m.offset_ms;
    *re -= m.offset_ms;
  };
  int64_t rs, re;
  if (const auto* vs = e.As<VectorSelector>()) {
    reference(vs->modifiers, &rs, &re);
    *lo = std::min(*lo, rs - options.lookback_delta_ms);
    *hi = std::max(*hi, re);
  } else if (const auto* ms = e.As<MatrixSelector>()) {
    reference(ms->selector.modifiers, &rs, &re);
    *lo = std::min(*lo, rs - ms->range_ms);
    *hi = std::max(*hi, re);
  } else if (const auto* sq = e.As<Subquery>()) {
    reference(sq->modifiers, &rs, &re);
    TimeBounds(*sq->expr, rs - sq->range_ms, re, query_start, query_end, options, lo, hi);
  } else {
    ForEachChild(e, [&](const Expr& c) {
      TimeBounds(c, start, end, query_start, query_end, options, lo, hi);
    });
  }
}

bool IsRangeExpr(const Expr& e) { return e.type() == ValueType::kMatrix; }

// Query times beyond this (about 73 million years) could overflow once offsets and ranges are
// subtracted.
constexpr int64_t kMaxQueryTime = int64_t{1} << 61;

Status CheckTimes(int64_t start, int64_t end) {
  if (std::abs(start) > kMaxQueryTime || std::abs(end) > kMaxQueryTime) {
    return Status::Error("query time out of range", Status::Code::kInvalidInput);
  }
  return Status::Ok();
}

double Seconds(Clock::time_point::duration d) { return std::chrono::duration<double>(d).count(); }

// Evaluates a parsed query between start and end; `finish` turns the value into the result. With
// stats asked for, the clock is read at the start, after the preparation and at the end.
template <typename Finish>
Result<QueryResult> Run(const EngineOptions& options, storage::Queryable& storage,
                        std::string_view query, const Expr& expr, const Steps& steps,
                        int64_t query_step, StatsLevel stats_level, Finish finish) {
  const bool timed = stats_level != StatsLevel::kNone;
  const Clock::time_point start = timed ? options.clock->Now() : Clock::time_point();
  int64_t lo = std::numeric_limits<int64_t>::max();
  int64_t hi = std::numeric_limits<int64_t>::min();
  TimeBounds(expr, steps.start, steps.end, steps.start, steps.end, options, &lo, &hi);
  if (lo > hi) lo = hi = steps.start;
  // Every series of every node holds a value per step.
  if (static_cast<int64_t>(steps.count()) > options.max_samples) return TooManySamples();
  QueryResult result;
  QueryStats* stats = timed ? &result.stats.emplace() : nullptr;
  if (stats_level == StatsLevel::kPerStep) {
    stats->samples_per_step.assign(steps.count(), 0);
    stats->start_ms = steps.start;
    stats->step_ms = steps.interval;
  }
  auto querier = storage.NewQuerier(lo, hi);
  const Clock::time_point prepared = timed ? options.clock->Now() : Clock::time_point();
  Evaluator ev(options, query, *querier, steps.start, steps.end, query_step, stats);
  ARGUS_RETURN_IF_ERROR(finish(ev, &result.value));
  if (stats != nullptr) {
    const Clock::time_point end = options.clock->Now();
    stats->query_preparation_seconds = Seconds(prepared - start);
    stats->inner_eval_seconds = Seconds(end - prepared) - stats->result_sort_seconds;
    stats->eval_total_seconds = Seconds(end - start);
    stats->exec_total_seconds = stats->exec_queue_seconds + stats->eval_total_seconds;
  }
  result.warnings = ev.annotations().TakeWarnings();
  result.infos = ev.annotations().TakeInfos();
  return result;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {}

Result<QueryResult> Engine::InstantQuery(storage::Queryable& storage, std::string_view query,
                                         int64_t t, StatsLevel stats) const {
  ARGUS_RETURN_IF_ERROR(CheckTimes(t, t));
  ARGUS_ASSIGN_OR_RETURN(auto expr, ParseExpr(query));
  Steps steps{t, t, 1};
  auto evaluate = [&](Evaluator& ev, Value* out) -> Status {
    if (IsRangeExpr(*expr)) {
      Matrix m;
      SampleCharge charge(ev);
      std::vector<int64_t> ends;
      int64_t range = 0;
      ARGUS_RETURN_IF_ERROR(ev.StreamRange(*expr, steps, &ends, &range, [&](const RangeSeries& rs) {
        Series s{rs.drop_name ? WithoutName(*rs.labels) : std::move(*rs.labels), {}};
        for (const FPoint& p : *rs.points) {
          if (p.t > ends[0] - range && p.t <= ends[0]) s.points.push_back(p);
        }
        if (s.points.empty()) return Status::Ok();
        m.push_back(std::move(s));
        return charge.Add(static_cast<int64_t>(m.back().points.size()));
      }));
      *out = std::move(m);
      return Status::Ok();
    }
    SampleCharge held(ev);
    ARGUS_ASSIGN_OR_RETURN(auto v, ev.Eval(*expr, steps, held));
    if (auto* s = std::get_if<Scalars>(&v)) {
      *out = Scalar{t, (*s)[0]};
    } else if (auto* str = std::get_if<std::string>(&v)) {
      *out = String{t, std::move(*str)};
    } else {
      auto& series = std::get<InstantVectors>(v);
      ARGUS_RETURN_IF_ERROR(MergeSameLabels(&series, true));
      Vector vec;
      for (auto& s : series) {
        if (!IsAbsent(s.values[0])) vec.push_back({std::move(s.labels), t, s.values[0]});
      }
      *out = std::move(vec);
    }
    return Status::Ok();
  };
  return Run(options_, storage, query, *expr, steps, 0, stats, evaluate);
}

Result<QueryResult> Engine::RangeQuery(storage::Queryable& storage, std::string_view query,
                                       int64_t start, int64_t end, int64_t step,
                                       StatsLevel stats) const {
  if (step <= 0) {
    return Status::Error("zero or negative query resolution step widths are not accepted",
                         Status::Code::kInvalidInput);
  }
  if (end < start) {
    return Status::Error("end timestamp must not be before start time",
                         Status::Code::kInvalidInput);
  }
  ARGUS_RETURN_IF_ERROR(CheckTimes(start, end));
  ARGUS_ASSIGN_OR_RETURN(auto expr, ParseExpr(query));
  ValueType type = expr->type();
  if (type != ValueType::kScalar && type != ValueType::kVector) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "invalid expression type \"{}\" for range query, must be Scalar or "
                          "instant Vector",
                          DocumentedType(type));
  }
  Steps steps{start, end - (end - start) % step, step};
  auto evaluate = [&](Evaluator& ev, Value* out) -> Status {
    SampleCharge held(ev);
    ARGUS_ASSIGN_OR_RETURN(auto v, ev.Eval(*expr, steps, held));
    Matrix m;
    // The result's points are charged too: they are built while the series are held.
    auto add = [&](model::Labels labels, std::vector<double>& values) -> Status {
      Series s{std::move(labels), {}};
      auto present =
          std::count_if(values.begin(), values.end(), [](double x) { return !IsAbsent(x); });
      ARGUS_RETURN_IF_ERROR(held.Add(present));
      s.points.reserve(present);
      for (size_t i = 0; i < values.size(); ++i) {
        if (!IsAbsent(values[i])) s.points.push_back({steps.At(i), values[i]});
      }
      std::vector<double>().swap(values);  // Given back as the points are made.
      if (!s.points.empty()) m.push_back(std::move(s));
      return Status::Ok();
    };
    if (auto* s = std::get_if<Scalars>(&v)) {
      ARGUS_RETURN_IF_ERROR(add({}, *s));
    } else {
      auto& series = std::get<InstantVectors>(v);
      ARGUS_RETURN_IF_ERROR(MergeSameLabels(&series, true));
      for (auto& s : series) ARGUS_RETURN_IF_ERROR(add(std::move(s.labels), s.values));
      QueryStats* query_stats = ev.stats();
      const Clock::time_point sort_start =
          query_stats ? options_.clock->Now() : Clock::time_point();
      std::sort(m.begin(), m.end(),
                [](const Series& a, const Series& b) { return a.metric < b.metric; });
      if (query_stats) {
        query_stats->result_sort_seconds = Seconds(options_.clock->Now() - sort_start);
      }
    }
    *out = std::move(m);
    return Status::Ok();
  };
  return Run(options_, storage, query, *expr, steps, step, stats, evaluate);
}

}  // namespace argus::promql
