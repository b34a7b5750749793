#include "rules/unit_test_runner.h"

#include <re2/re2.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "base/manual_timer_source.h"
#include "base/metrics.h"
#include "promql/promqltest/script.h"
#include "rules/group.h"
#include "rules/unit_test_file.h"
#include "rules/unit_test_report.h"
#include "storage/memory_storage.h"

namespace argus::rules {
namespace {

using unit_test_report::AlertLabels;
using unit_test_report::SampleValue;

// The engine promtool's test harness runs: Prometheus' lookback and its 10000 samples a query.
constexpr int64_t kLookbackMs = 5 * 60 * 1000;
constexpr int64_t kMaxSamples = 10'000;

// The labels of an expected sample, written in series notation ("" for none).
Result<model::Labels> ParseSampleLabels(const std::string& text) {
  if (text.find_first_not_of(" \t\n") == std::string::npos) return model::Labels();
  ARGUS_ASSIGN_OR_RETURN(promql::promqltest::SeriesLine line,
                         promql::promqltest::ParseSeriesLine(text));
  if (!line.values.empty()) {
    return Status::Errorf(Status::Code::kInvalidInput, "unexpected values after the labels");
  }
  return line.labels;
}

bool SameValue(double expected, double got, bool fuzzy) {
  if (expected == got) return true;
  return fuzzy &&
         (std::nextafter(expected, INFINITY) == got || std::nextafter(expected, -INFINITY) == got);
}

// One test group's run over its own storage, engine and rule groups.
class TestGroupRun {
 public:
  TestGroupRun(const UnitTestFile& file, const TestGroup& test)
      : file_(file),
        test_(test),
        interval_ms_(test.interval.value_or(file.evaluation_interval).count()),
        timers_(clock_),
        metrics_(registry_),
        storage_(storage::NewMemoryStorage()),
        engine_(promql::EngineOptions{.lookback_delta_ms = kLookbackMs,
                                      .max_samples = kMaxSamples,
                                      .default_subquery_step_ms = file.evaluation_interval.count(),
                                      .clock = &clock_}) {
    services_.timers = &timers_;
    services_.appendable = storage_.get();
    services_.queryable = storage_.get();
    services_.query = EngineQueryFunc([this] { return engine_; }, *storage_);
    services_.metrics = &metrics_;
  }

  // The failures of the group's tests, over the rule groups `specs` in evaluation order. Without
  // `compare`, only what stops a run is a failure (input, rules, queries), and the results of the
  // expression tests are kept (expr_results).
  std::vector<std::string> Run(const std::vector<RuleGroupSpec>& specs, bool compare = true) {
    if (Status loaded = ParseSeries(); !loaded.ok()) return {loaded.message()};
    AlertingRuleContext context{.external_labels = test_.external_labels,
                                .external_url = test_.external_url};
    for (const RuleGroupSpec& spec : specs) {
      groups_.push_back(std::make_unique<Group>(spec, std::chrono::milliseconds(interval_ms_),
                                                context, services_));
      groups_.back()->MarkRestored();
    }
    std::map<int64_t, std::vector<const AlertTestCase*>> alert_tests;  // By eval time.
    int64_t last_ms = 0;
    for (const AlertTestCase& test : test_.alert_tests) {
      if (test.alertname.empty()) {
        std::string in_group =
            test_.name.empty() ? "" : fmt::format(" (in TestGroup {})", test_.name);
        return {fmt::format(
            "an item under alert_rule_test misses required attribute alertname at eval_time {}{}",
            model::FormatDuration(test.eval_time), in_group)};
      }
      alert_tests[test.eval_time.count()].push_back(&test);
      last_ms = std::max<int64_t>(last_ms, test.eval_time.count());
    }
    for (const ExprTestCase& test : test_.expr_tests) {
      last_ms = std::max<int64_t>(last_ms, test.eval_time.count());
    }

    std::vector<std::string> errors;
    const int64_t step = file_.evaluation_interval.count();
    auto next_alerts = alert_tests.begin();
    for (int64_t offset = 0; offset <= last_ms; offset += step) {
      if (Status appended = AppendTill(test_.start_ms + offset); !appended.ok()) {
        errors.push_back(appended.message());  // Not evaluated, as in promtool.
      } else if (std::vector<std::string> failed = Evaluate(offset); !failed.empty()) {
        errors.insert(errors.end(), failed.begin(), failed.end());
        return errors;
      }
      // The alert tests of eval times from this evaluation to the next compare with this one's.
      for (; next_alerts != alert_tests.end() && next_alerts->first < offset + step;
           ++next_alerts) {
        for (const AlertTestCase* test : next_alerts->second) {
          if (compare) CheckAlerts(*test, &errors);
        }
      }
    }
    for (const ExprTestCase& test : test_.expr_tests) {
      if (compare) {
        CheckExpr(test, &errors);
        continue;
      }
      auto result = services_.query(test.expr, test_.start_ms + test.eval_time.count());
      if (!result.ok()) {
        errors.push_back(
            unit_test_report::ExprError(test.expr, test.eval_time, result.status().message()));
      } else {
        expr_results_.push_back(std::move(*result));
      }
    }
    return errors;
  }

  std::vector<promql::Vector>& expr_results() { return expr_results_; }

 private:
  Status ParseSeries() {
    for (const InputSeries& input : test_.input_series) {
      auto line = promql::promqltest::ParseSeriesLine(input.series + " " + input.values);
      if (!line.ok()) return line.status();
      if (line->native) {
        return Status::Errorf(Status::Code::kInvalidInput,
                              "native histograms are not supported: {}", input.series);
      }
      series_.push_back(std::move(*line));
    }
    loaded_.resize(series_.size());
    return Status::Ok();
  }

  // Appends the samples of the input series up to `t_ms` that are not in the storage yet.
  Status AppendTill(int64_t t_ms) {
    std::unique_ptr<storage::Appender> appender = storage_->NewAppender();
    for (size_t i = 0; i < series_.size(); ++i) {
      const auto& values = series_[i].values;
      for (; loaded_[i] < values.size(); ++loaded_[i]) {
        int64_t t = test_.start_ms + static_cast<int64_t>(loaded_[i]) * interval_ms_;
        if (t > t_ms) break;
        if (!values[loaded_[i]]) continue;
        auto appended = appender->Append(0, series_[i].labels, t, *values[loaded_[i]]);
        if (!appended.ok()) {
          appender->Rollback();
          return appended.status();
        }
      }
    }
    return appender->Commit();
  }

  // Evaluates every group at the evaluation `offset` after the start; the rules that failed.
  std::vector<std::string> Evaluate(int64_t offset) {
    clock_.Set(Clock::time_point(std::chrono::milliseconds(test_.start_ms + offset)));
    std::vector<std::string> errors;
    for (auto& group : groups_) {
      group->Eval(test_.start_ms + offset);
      for (const RuleStatus& rule : group->Snapshot().rules) {
        if (rule.health == RuleHealth::kBad) {
          errors.push_back(unit_test_report::RuleError(rule.name, offset, rule.last_error));
        }
      }
    }
    return errors;
  }

  void CheckAlerts(const AlertTestCase& test, std::vector<std::string>* errors) {
    std::vector<AlertLabels> got, expected;
    for (auto& group : groups_) {
      for (const RuleStatus& rule : group->Snapshot().rules) {
        if (!rule.alerting || rule.name != test.alertname) continue;
        for (const AlertStatus& alert : rule.alerts) {
          if (alert.state == AlertState::kFiring) got.emplace_back(alert.labels, alert.annotations);
        }
      }
    }
    for (const ExpectedAlert& alert : test.exp_alerts) {
      model::LabelsBuilder labels(alert.labels);
      labels.Set("alertname", test.alertname);
      expected.emplace_back(labels.Build(), alert.annotations);
    }
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    if (got != expected) {
      errors->push_back(unit_test_report::AlertMismatch(test_.name, test.alertname, test.eval_time,
                                                        expected, got));
    }
  }

  void CheckExpr(const ExprTestCase& test, std::vector<std::string>* errors) {
    auto result = services_.query(test.expr, test_.start_ms + test.eval_time.count());
    if (!result.ok()) {
      errors->push_back(
          unit_test_report::ExprError(test.expr, test.eval_time, result.status().message()));
      return;
    }
    std::vector<SampleValue> got, expected;
    for (const promql::Sample& sample : *result) got.emplace_back(sample.metric, sample.v);
    for (const ExpectedSample& sample : test.exp_samples) {
      if (sample.histogram) {
        errors->push_back(unit_test_report::ExprError(test.expr, test.eval_time,
                                                      "native histograms are not supported"));
        return;
      }
      auto labels = ParseSampleLabels(sample.labels);
      if (!labels.ok()) {
        errors->push_back(unit_test_report::ExprError(
            test.expr, test.eval_time,
            fmt::format("labels {}: {}", unit_test_report::Quote(sample.labels),
                        labels.status().message())));
        return;
      }
      expected.emplace_back(std::move(*labels), sample.value);
    }
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    bool same = got.size() == expected.size();
    for (size_t i = 0; same && i < got.size(); ++i) {
      same = got[i].first == expected[i].first &&
             SameValue(expected[i].second, got[i].second, file_.fuzzy_compare);
    }
    if (!same) {
      errors->push_back(unit_test_report::SampleMismatch(test.expr, test.eval_time, expected, got));
    }
  }

  const UnitTestFile& file_;
  const TestGroup& test_;
  const int64_t interval_ms_;  // Of the input series.
  ManualClock clock_;
  ManualTimerSource timers_;
  MetricsRegistry registry_;
  RuleMetrics metrics_;
  std::unique_ptr<storage::Storage> storage_;
  promql::Engine engine_;
  GroupServices services_;
  std::vector<promql::promqltest::SeriesLine> series_;
  std::vector<size_t> loaded_;  // Per series: how many of its values are in the storage.
  std::vector<promql::Vector> expr_results_;
  std::vector<std::unique_ptr<Group>> groups_;  // Last: they refer to the members above.
};

// Each group named in group_eval_order with its place there.
Result<std::map<std::string, size_t>> EvalOrder(const UnitTestFile& file) {
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < file.group_eval_order.size(); ++i) {
    if (!rank.emplace(file.group_eval_order[i], i).second) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "group name repeated in evaluation order: {}",
                            file.group_eval_order[i]);
    }
  }
  return rank;
}

// The rule groups of `files` in evaluation order: by their `rank` (EvalOrder), those it does not
// name first (as promtool ranks them), otherwise in file order.
Result<std::vector<RuleGroupSpec>> LoadGroups(const std::vector<std::string>& files,
                                              const std::map<std::string, size_t>& rank,
                                              const UnitTestOptions& options) {
  std::vector<RuleGroupSpec> groups;
  for (const std::string& path : files) {
    ARGUS_ASSIGN_OR_RETURN(
        std::vector<RuleGroupSpec> loaded,
        LoadRuleFile(path, {.ignore_unknown_fields = options.ignore_unknown_fields}));
    for (RuleGroupSpec& group : loaded) groups.push_back(std::move(group));
  }
  auto rank_of = [&rank](const RuleGroupSpec& group) {
    auto it = rank.find(group.name);
    return it == rank.end() ? 0 : it->second;
  };
  std::stable_sort(groups.begin(), groups.end(),
                   [&](const auto& a, const auto& b) { return rank_of(a) < rank_of(b); });
  return groups;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Errorf(Status::Code::kIOError, "open {}: {}", path, std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A unit-test file read, with the rule files and the group order it asks for.
struct PreparedFile {
  UnitTestFile file;
  std::vector<std::string> rule_files;
  std::map<std::string, size_t> rank;  // EvalOrder
};

Result<PreparedFile> Prepare(const std::string& path, std::vector<std::string>* warnings) {
  PreparedFile prepared;
  ARGUS_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  ARGUS_ASSIGN_OR_RETURN(prepared.file, ParseUnitTestFile(text, path));
  std::vector<std::string> unmatched;
  prepared.rule_files = RuleFilesOf(prepared.file, path, &unmatched);
  for (const std::string& pattern : unmatched) {
    warnings->push_back("no file match pattern " + pattern);
  }
  ARGUS_ASSIGN_OR_RETURN(prepared.rank, EvalOrder(prepared.file));
  return prepared;
}

}  // namespace

UnitTestFileResult RunUnitTestFile(const std::string& path, const UnitTestOptions& options) {
  UnitTestFileResult result;
  std::string run_pattern;
  for (const std::string& run : options.run) {
    run_pattern += (run_pattern.empty() ? "" : "|") + run;
  }
  RE2 run(run_pattern, RE2::Quiet);
  if (!run.ok()) {
    result.errors.push_back(fmt::format("invalid --run expression: {}", run.error()));
    return result;
  }
  auto prepared = Prepare(path, &result.warnings);
  if (!prepared.ok()) {
    result.errors.push_back(prepared.status().message());
    return result;
  }
  for (const TestGroup& test : prepared->file.tests) {
    if (!options.run.empty() && !RE2::PartialMatch(test.name, run)) continue;
    // Loaded for each test group, as promtool does: a file that does not load fails each.
    auto groups = LoadGroups(prepared->rule_files, prepared->rank, options);
    if (!groups.ok()) {
      result.errors.push_back(groups.status().message());
      continue;
    }
    TestGroupRun group_run(prepared->file, test);
    for (std::string& error : group_run.Run(*groups)) result.errors.push_back(std::move(error));
  }
  return result;
}

Result<std::vector<promql::Vector>> EvaluateExprTests(const std::string& path, size_t group,
                                                      const UnitTestOptions& options) {
  std::vector<std::string> warnings;
  ARGUS_ASSIGN_OR_RETURN(PreparedFile prepared, Prepare(path, &warnings));
  if (group >= prepared.file.tests.size()) {
    return Status::Errorf(Status::Code::kInvalidInput, "{} has no test group {}", path, group);
  }
  ARGUS_ASSIGN_OR_RETURN(std::vector<RuleGroupSpec> groups,
                         LoadGroups(prepared.rule_files, prepared.rank, options));
  TestGroupRun group_run(prepared.file, prepared.file.tests[group]);
  std::vector<std::string> errors = group_run.Run(groups, /*compare=*/false);
  if (!errors.empty()) {
    std::string message;
    for (const std::string& error : errors) message += (message.empty() ? "" : "\n") + error;
    return Status::Error(std::move(message), Status::Code::kInvalidInput);
  }
  return std::move(group_run.expr_results());
}

}  // namespace argus::rules
