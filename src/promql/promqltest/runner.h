#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace argus::promql::promqltest {

// What running one script gave: an eval passes when its main run and the harness' extra runs
// (range-mode cross-check, `@` variants) all match. Evals that need native histograms are
// skipped.
struct ScriptCounts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::vector<std::string> failures;  // "line N: query: what differed"
  std::vector<std::string> skips;     // "line N: query"
};

// Runs a .test script against the engine over a memory storage, with the engine settings the
// upstream suite assumes (5m lookback, 10000 max samples, 1m default subquery step). A script
// that does not parse counts as one failure.
ScriptCounts RunScript(std::string_view script);

}  // namespace argus::promql::promqltest
