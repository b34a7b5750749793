#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "model/labels.h"

namespace argus::promql::promqltest {

// One series line of a `load` block or an expected result: labels and one value per slot
// (nullopt for `_`). `native` is set when the line holds native-histogram samples ({{...}}),
// which Argus does not store.
struct SeriesLine {
  model::Labels labels;
  std::vector<std::optional<double>> values;
  bool native = false;
};

// An expectation line of an eval: `expect <kind> [msg: <text> | regex: <re>]`.
struct Expectation {
  enum class Kind { kFail, kWarn, kInfo, kNoWarn, kNoInfo, kOrdered };
  Kind kind;
  enum class Match { kAny, kExact, kRegex } match = Match::kAny;
  std::string text;
};

struct EvalCommand {
  int line = 0;
  std::string query;
  bool range = false;
  int64_t start = 0, end = 0, step = 0;  // For instant evals start is the time.
  std::vector<Expectation> expectations;
  std::optional<double> scalar;       // A bare number: a scalar result is expected.
  std::optional<std::string> string;  // `expect string "..."`.
  // `expect range vector from a to b step s`.
  std::optional<int64_t> rv_start, rv_end, rv_step;
  std::vector<SeriesLine> series;
  bool native = false;  // Expects native histograms.
};

struct LoadCommand {
  int line = 0;
  int64_t interval = 0;
  bool with_nhcb = false;
  std::vector<SeriesLine> series;
};

struct ClearCommand {};

struct Command {
  std::variant<LoadCommand, ClearCommand, EvalCommand> command;
};

// Parses a .test script as Prometheus' promqltest harness does; errors carry the line number.
Result<std::vector<Command>> ParseScript(std::string_view text);

// Parses `<series> <values>` (the expanding notation: 1+2x3, _x2, stale, ...). `stale` becomes
// the staleness marker's NaN.
Result<SeriesLine> ParseSeriesLine(std::string_view line);

// Prometheus' float comparison for test results: equal bits, both NaN (the staleness marker only
// equals itself), or relatively within 1e-6.
bool AlmostEqual(double a, double b);

}  // namespace argus::promql::promqltest
