#pragma once

// Test helpers shared by the tests of both IndexReaders: a deterministic set of series and the
// brute-force evaluation that PostingsForMatchers must agree with.

#include <random>
#include <string>
#include <vector>

#include "model/labels.h"
#include "model/matcher.h"

namespace argus::tsdb::testing {

// `n` series with labels from small vocabularies (so matchers hit), some labels missing, values
// with regex punctuation in them; sorted and unique.
inline std::vector<model::Labels> MakeSeries(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char* kNames[] = {"http_requests_total", "http_errors_total", "up", "foo_bar",
                                 "foo_baz"};
  static const char* kJobs[] = {"api", "web", "db", "api-v2"};
  static const char* kPaths[] = {"/", "/a.b", "/a+b", "/x/y", "/a|b", "(paren)"};
  std::vector<model::Labels> out;
  for (size_t i = 0; out.size() < n; ++i) {
    std::vector<model::Label> labels = {
        {"__name__", kNames[rng() % 5]},
        {"job", kJobs[rng() % 4]},
        {"instance", "host-" + std::to_string(rng() % 7)},
    };
    if (rng() % 3) labels.push_back({"env", rng() % 2 ? "prod" : "dev"});
    if (rng() % 2) labels.push_back({"path", kPaths[rng() % 6]});
    labels.push_back({"pod", "pod-" + std::to_string(i)});
    out.push_back(model::Labels::FromUnsorted(std::move(labels)));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

inline bool MatchesAll(const model::Labels& labels, const std::vector<model::Matcher>& matchers) {
  for (const auto& m : matchers) {
    if (!m.Matches(labels.Get(m.name()))) return false;
  }
  return true;
}

// Selectors covering every matcher type, empty-matching cases, and each regex fast path
// (literal alternations, .*, .+, prefixes) next to regexes that take the generic path.
inline const std::vector<std::vector<std::string>>& SelectorTable() {
  static const std::vector<std::vector<std::string>> kTable = {
      {},
      {"__name__=up"},
      {"__name__=nonexistent"},
      {"job=api", "__name__=up"},
      {"job!=api"},
      {"job!=api", "__name__=foo_bar"},
      {"env="},
      {"env=", "job=web"},
      {"env!="},
      {"env!=prod"},
      {"env!=prod", "env=~.+"},
      {"env=~.*"},
      {"env=~.+"},
      {"env!~.*"},
      {"env!~.+"},
      {"env=~prod|"},
      {"env!~prod|"},
      {"env=~|"},
      {"job=~api|web"},
      {"job=~api|web|nothing", "instance!=host-1"},
      {"job!~api|web"},
      {"job=~api.*"},
      {"job=~API.*"},
      {"job=~(?i)API.*"},
      {"job=~a.i"},
      {"job!~a.*"},
      {"job=~.*-v2"},
      {"job=~[ad].*"},
      {"__name__=~foo_.*", "job!~db|web"},
      {"__name__=~foo_ba(r|z)"},
      {"__name__=~http_.*_total", "path=~/a\\.b|/a\\+b"},
      {"path=~/a\\|b"},
      {"path=~\\(paren\\)"},
      {"path=~/a.b"},
      {"path!~/.*"},
      {"path=~/x/.*", "env!=dev"},
      {"instance=~host-[0-3]", "instance!~host-2|host-3", "env=~dev|"},
      {"pod=~pod-1.*", "job=db"},
      {"pod=~pod-(12|30|7)"},
      {"missing=~.*"},
      {"missing!~.+"},
      {"missing=~x|"},
      {"missing!=x"},
      {"missing=x"},
      {"missing=~.+"},
      {"missing!=", "job=api"},
  };
  return kTable;
}

// Parses "name=value", "name!=value", "name=~re", "name!~re".
inline model::Matcher ParseMatcher(const std::string& text) {
  using T = model::Matcher::Type;
  size_t op = text.find_first_of("=!");
  std::string two = text.substr(op, 2);
  T type = two == "!="   ? T::kNotEqual
           : two == "=~" ? T::kRegexMatch
           : two == "!~" ? T::kRegexNoMatch
                         : T::kEqual;
  size_t value_at = type == T::kEqual ? op + 1 : op + 2;
  return *model::Matcher::Make(type, text.substr(0, op), text.substr(value_at));
}

}  // namespace argus::tsdb::testing
