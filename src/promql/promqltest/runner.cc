#include "promql/promqltest/runner.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "promql/engine.h"
#include "promql/parser/functions.h"
#include "promql/parser/parser.h"
#include "promql/promqltest/script.h"
#include "storage/memory_storage.h"

namespace argus::promql::promqltest {
namespace {

using Kind = Expectation::Kind;

bool Matches(const Expectation& e, const std::string& text) {
  switch (e.match) {
    case Expectation::Match::kAny:
      return true;
    case Expectation::Match::kExact:
      return e.text == text;
    case Expectation::Match::kRegex:
      return re2::RE2::PartialMatch(text, e.text);
  }
  return false;
}

bool Has(const EvalCommand& eval, Kind kind) {
  return std::any_of(eval.expectations.begin(), eval.expectations.end(),
                     [&](const Expectation& e) { return e.kind == kind; });
}

// Each expectation of `kind` must match an annotation and each annotation an expectation.
Status CheckAnnotations(const EvalCommand& eval, Kind kind, Kind none,
                        const std::vector<std::string>& got, std::string_view what) {
  if (Has(eval, none) && !got.empty()) return Status::Errorf("unexpected {}: {}", what, got[0]);
  std::vector<const Expectation*> wanted;
  for (const auto& e : eval.expectations) {
    if (e.kind == kind) wanted.push_back(&e);
  }
  if (wanted.empty()) return Status::Ok();
  for (const Expectation* e : wanted) {
    if (std::none_of(got.begin(), got.end(),
                     [&](const std::string& g) { return Matches(*e, g); })) {
      return Status::Errorf("no {} matches {:?}", what, e->text);
    }
  }
  for (const auto& g : got) {
    if (std::none_of(wanted.begin(), wanted.end(),
                     [&](const Expectation* e) { return Matches(*e, g); })) {
      return Status::Errorf("unexpected {}: {}", what, g);
    }
  }
  return Status::Ok();
}

struct GotSample {
  model::Labels labels;
  double value;
};

Status CompareSamples(const std::vector<SeriesLine>& want, const std::vector<GotSample>& got,
                      bool ordered) {
  if (want.size() != got.size()) {
    return Status::Errorf("expected {} samples, got {}{}", want.size(), got.size(),
                          got.empty() ? "" : ", e.g. " + got[0].labels.ToString());
  }
  for (size_t k = 0; k < got.size(); ++k) {
    const SeriesLine* w = nullptr;
    if (ordered) {
      if (want[k].labels == got[k].labels) w = &want[k];
    } else {
      for (const auto& s : want) {
        if (s.labels == got[k].labels) w = &s;
      }
    }
    if (w == nullptr) {
      return Status::Errorf("unexpected metric {} with value {}{}", got[k].labels.ToString(),
                            got[k].value, ordered ? " at this position" : "");
    }
    if (w->values.size() != 1 || !w->values[0])
      return Status::Error("expected one value per series");
    if (!AlmostEqual(*w->values[0], got[k].value)) {
      return Status::Errorf("{}: expected {}, got {}", got[k].labels.ToString(), *w->values[0],
                            got[k].value);
    }
  }
  return Status::Ok();
}

// Compares a matrix with expected series whose values start at `start`, one per `step`.
Status CompareMatrix(const std::vector<SeriesLine>& want, const Matrix& got, int64_t start,
                     int64_t step) {
  if (!std::is_sorted(got.begin(), got.end(),
                      [](const Series& a, const Series& b) { return a.metric < b.metric; })) {
    return Status::Error("matrix is not sorted by labels");
  }
  if (want.size() != got.size()) {
    return Status::Errorf("expected {} series, got {}", want.size(), got.size());
  }
  for (const Series& s : got) {
    auto w = std::find_if(want.begin(), want.end(),
                          [&](const SeriesLine& l) { return l.labels == s.metric; });
    if (w == want.end()) return Status::Errorf("unexpected series {}", s.metric.ToString());
    std::vector<FPoint> expected;
    for (size_t i = 0; i < w->values.size(); ++i) {
      if (w->values[i]) expected.push_back({start + static_cast<int64_t>(i) * step, *w->values[i]});
    }
    if (expected.size() != s.points.size()) {
      return Status::Errorf("{}: expected {} points, got {}", s.metric.ToString(), expected.size(),
                            s.points.size());
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (expected[i].t != s.points[i].t || !AlmostEqual(expected[i].v, s.points[i].v)) {
        return Status::Errorf("{}: expected {} at {}, got {} at {}", s.metric.ToString(),
                              expected[i].v, expected[i].t, s.points[i].v, s.points[i].t);
      }
    }
  }
  return Status::Ok();
}

// The instant result against the expectations.
Status CheckInstantValue(const EvalCommand& eval, const Value& value) {
  if (eval.string) {
    const auto* s = std::get_if<String>(&value);
    if (s == nullptr || s->v != *eval.string) return Status::Error("expected a string result");
    return Status::Ok();
  }
  if (eval.scalar) {
    const auto* s = std::get_if<Scalar>(&value);
    if (s == nullptr) return Status::Errorf("expected scalar, got {}", ValueTypeName(value));
    if (!AlmostEqual(*eval.scalar, s->v))
      return Status::Errorf("expected {}, got {}", *eval.scalar, s->v);
    return Status::Ok();
  }
  if (eval.rv_start) {
    const auto* m = std::get_if<Matrix>(&value);
    if (m == nullptr) return Status::Errorf("expected matrix, got {}", ValueTypeName(value));
    return CompareMatrix(eval.series, *m, *eval.rv_start, *eval.rv_step);
  }
  const auto* v = std::get_if<Vector>(&value);
  if (v == nullptr) return Status::Errorf("expected vector, got {}", ValueTypeName(value));
  std::vector<GotSample> got;
  for (const auto& s : *v) got.push_back({s.metric, s.v});
  return CompareSamples(eval.series, got, Has(eval, Kind::kOrdered));
}

bool MentionsFunction(const Expr& e, std::initializer_list<std::string_view> names) {
  const auto* c = e.As<Call>();
  if (c != nullptr && std::find(names.begin(), names.end(), c->function->name) != names.end()) {
    return true;
  }
  bool found = false;
  ForEachChild(e, [&](const Expr& child) { found = found || MentionsFunction(child, names); });
  return found;
}

// Pins every selector and subquery without `@` to `t`, not descending into subqueries.
void AddAt(Expr& e, int64_t t) {
  auto pin = [&](TimeModifiers& m) {
    if (m.at == AtKind::kNone) {
      m.at = AtKind::kTimestamp;
      m.at_ms = t;
    }
  };
  if (auto* vs = e.As<VectorSelector>()) return pin(vs->modifiers);
  if (auto* ms = e.As<MatrixSelector>()) return pin(ms->selector.modifiers);
  if (auto* sq = e.As<Subquery>()) return pin(sq->modifiers);
  ForEachChild(e, [&](Expr& child) { AddAt(child, t); });
}

// Whether any selector of `e` could read one of `series` (series Argus did not load).
bool ReadsAny(const Expr& e, const std::vector<model::Labels>& series) {
  const VectorSelector* vs = e.As<VectorSelector>();
  if (const auto* ms = e.As<MatrixSelector>()) vs = &ms->selector;
  if (vs != nullptr) {
    return std::any_of(series.begin(), series.end(), [&](const model::Labels& s) {
      return std::all_of(vs->matchers.begin(), vs->matchers.end(),
                         [&](const model::Matcher& m) { return m.Matches(s.Get(m.name())); });
    });
  }
  bool found = false;
  ForEachChild(e, [&](const Expr& child) { found = found || ReadsAny(child, series); });
  return found;
}

class ScriptRunner {
 public:
  ScriptRunner() : storage_(storage::NewMemoryStorage()), engine_(Options(&workers_)) {}

  // Series are loaded ahead on workers, as in the server.
  static EngineOptions Options(WorkerPool* workers) {
    EngineOptions o;
    o.workers = workers;
    o.max_samples = 10000;
    o.timeout = std::chrono::seconds(100);
    return o;
  }

  Status Load(const LoadCommand& load) {
    auto app = storage_->NewAppender();
    for (size_t k = 0; k < load.series.size(); ++k) {
      const SeriesLine& s = load.series[k];
      // A series given twice in one block: the later line wins.
      if (std::any_of(load.series.begin() + k + 1, load.series.end(),
                      [&](const SeriesLine& later) { return later.labels == s.labels; })) {
        continue;
      }
      if (s.native) {
        native_.push_back(s.labels);
        continue;
      }
      if (load.with_nhcb && s.labels.MetricName().ends_with("_bucket")) {
        model::LabelsBuilder b(s.labels);
        std::string_view name = s.labels.MetricName();
        b.Set(model::kMetricName, name.substr(0, name.size() - 7));
        b.Del("le");
        native_.push_back(b.Build());
      }
      for (size_t i = 0; i < s.values.size(); ++i) {
        if (!s.values[i]) continue;
        auto r = app->Append(0, s.labels, static_cast<int64_t>(i) * load.interval, *s.values[i]);
        if (!r.ok()) {
          app->Rollback();
          return r.status();
        }
      }
    }
    return app->Commit();
  }

  void Clear() {
    storage_ = storage::NewMemoryStorage();
    native_.clear();
  }

  // Returns the failure, OK on success; *skipped when the eval needs native histograms.
  Status Eval(const EvalCommand& eval, bool* skipped) {
    auto expr = ParseExpr(eval.query);
    if (!expr.ok()) return expr.status().Wrap("the query does not parse");
    if (eval.native || ReadsAny(**expr, native_)) {
      *skipped = true;
      return Status::Ok();
    }
    bool expect_fail = Has(eval, Kind::kFail);
    auto result = eval.range
                      ? engine_.RangeQuery(*storage_, eval.query, eval.start, eval.end, eval.step)
                      : engine_.InstantQuery(*storage_, eval.query, eval.start);
    if (expect_fail) {
      if (result.ok()) return Status::Error("expected the query to fail");
      for (const auto& e : eval.expectations) {
        if (e.kind == Kind::kFail && !Matches(e, result.status().message())) {
          return Status::Errorf("error {:?} does not match {:?}", result.status().message(),
                                e.text);
        }
      }
      return Status::Ok();
    }
    if (!result.ok()) return result.status().Wrap("unexpected error");
    ARGUS_RETURN_IF_ERROR(
        CheckAnnotations(eval, Kind::kWarn, Kind::kNoWarn, result->warnings, "warning"));
    ARGUS_RETURN_IF_ERROR(
        CheckAnnotations(eval, Kind::kInfo, Kind::kNoInfo, result->infos, "info"));
    if (eval.range) {
      const auto* m = std::get_if<Matrix>(&result->value);
      if (m == nullptr) return Status::Error("range query did not return a matrix");
      return CompareMatrix(eval.series, *m, eval.start, eval.step);
    }
    ARGUS_RETURN_IF_ERROR(CheckInstantValue(eval, result->value));
    if (!eval.string && !eval.rv_start &&
        !MentionsFunction(**expr, {"start", "end", "range", "step"})) {
      ARGUS_RETURN_IF_ERROR(CheckRangeMode(eval).Wrap("range-mode run"));
    }
    if (!MentionsFunction(**expr, {"time", "timestamp", "predict_linear", "day_of_month",
                                   "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                                   "month", "year", "start", "end", "range", "step"})) {
      ARGUS_RETURN_IF_ERROR(CheckAtVariants(eval, **expr));
    }
    return Status::Ok();
  }

 private:
  Status CheckRangeMode(const EvalCommand& eval) {
    int64_t t = eval.start;
    ARGUS_ASSIGN_OR_RETURN(QueryResult result,
                           engine_.RangeQuery(*storage_, eval.query, t - 60000, t + 60000, 60000));
    if (Has(eval, Kind::kOrdered)) return Status::Ok();
    const Matrix& m = std::get<Matrix>(result.value);
    if (eval.scalar) {
      for (const Series& s : m) {
        for (const FPoint& p : s.points) {
          if (p.t == t && AlmostEqual(p.v, *eval.scalar)) return Status::Ok();
        }
      }
      return Status::Error("no scalar point at the evaluation time");
    }
    std::vector<GotSample> got;
    for (const Series& s : m) {
      for (const FPoint& p : s.points) {
        if (p.t == t) got.push_back({s.metric, p.v});
      }
    }
    return CompareSamples(eval.series, got, false);
  }

  Status CheckAtVariants(const EvalCommand& eval, const Expr& parsed) {
    int64_t t = eval.start;
    ARGUS_ASSIGN_OR_RETURN(auto expr, ParseExpr(ToString(parsed)));
    AddAt(*expr, t);
    std::string query = ToString(*expr);
    std::vector<int64_t> times = t == 0 ? std::vector<int64_t>{-1000, 0, 1000}
                                        : std::vector<int64_t>{-10 * t, 0, t / 5, t, 10 * t};
    for (int64_t at : times) {
      auto result = engine_.InstantQuery(*storage_, query, at);
      if (!result.ok()) return result.status().Wrap(fmt::format("{} at {}", query, at));
      Status st = CheckInstantValue(eval, result->value);
      if (!st.ok()) return st.Wrap(fmt::format("{} at {}", query, at));
    }
    return Status::Ok();
  }

  std::unique_ptr<storage::Storage> storage_;
  WorkerPool workers_{2};
  Engine engine_;
  std::vector<model::Labels> native_;  // Series with native histograms, which were not loaded.
};

}  // namespace

ScriptCounts RunScript(std::string_view script) {
  ScriptCounts counts;
  auto commands = ParseScript(script);
  if (!commands.ok()) {
    counts.failed = 1;
    counts.failures.push_back(commands.status().message());
    return counts;
  }
  ScriptRunner runner;
  for (const Command& c : *commands) {
    if (std::holds_alternative<ClearCommand>(c.command)) {
      runner.Clear();
    } else if (const auto* load = std::get_if<LoadCommand>(&c.command)) {
      Status st = runner.Load(*load);
      if (!st.ok()) {
        counts.failed++;
        counts.failures.push_back(fmt::format("line {}: load: {}", load->line, st.message()));
      }
    } else {
      const auto& eval = std::get<EvalCommand>(c.command);
      bool skipped = false;
      Status st = runner.Eval(eval, &skipped);
      if (skipped) {
        counts.skipped++;
        counts.skips.push_back(fmt::format("line {}: {}", eval.line, eval.query));
      } else if (st.ok()) {
        counts.passed++;
      } else {
        counts.failed++;
        counts.failures.push_back(
            fmt::format("line {}: {}: {}", eval.line, eval.query, st.message()));
      }
    }
  }
  return counts;
}

}  // namespace argus::promql::promqltest
