#pragma once

#include <string>
#include <vector>

namespace argus::cmd {

// `argus check config FILE`: checks FILE as the server does before it starts with it (its rule
// files included) and, as promtool does, the targets in the file_sd files that exist, which the
// server would log and leave out (a file that does not exist is a warning). Reports as promtool
// does: "Checking FILE", each warning (parts of FILE Argus does not act on yet among them) after "
// WARNING:" and " SUCCESS: ..." on standard output, or every error after "  FAILED:" on standard
// error. Returns the exit code: 0 when nothing failed, 1 otherwise (including when FILE cannot be
// read).
int CheckConfig(const std::string& path);

// The lint checks of `argus check rules`, as promtool's --lint and --lint-fatal.
struct RulesLint {
  bool duplicates = true;  // Rules of the same name and labels in one file.
  bool fatal = false;      // Lint problems exit with 3 instead of 0.
};

// `argus check rules FILE...`: checks each rule file as the server does when it loads it, and
// reports as `promtool check rules` does: "Checking FILE", then "  SUCCESS: N rules found" on
// standard output, or "  FAILED:" and every error, one per line, on standard error; a blank line
// after each file. Lint problems (duplicate rules) are reported as failures too. Returns 1 when a
// file has errors, else 3 when lint found problems and `lint.fatal`, else 0.
int CheckRules(const std::vector<std::string>& paths, const RulesLint& lint);

// `argus check dashboards FILE...`: checks each dashboard file as the server does when it loads it
// (docs/dashboards.md), uids unique among the files given. Prints "Checking FILE", then "  SUCCESS:
// dashboard "TITLE" (uid UID), N panels" on standard output, or "  FAILED:" and every error, one
// per line as "file:line:column: message", on standard error; a blank line after each file.
// Returns 1 when a file has errors (or cannot be read), else 0.
int CheckDashboards(const std::vector<std::string>& paths);

// `argus check metrics [--format=text|openmetrics] [FILE]`: checks an exposition document read
// from `path` (standard input when empty) as `promtool check metrics` does. Errors name the
// source ("stdin" or the file) as "source:line:column: ..." and return 1, as does a file that
// cannot be read; in the text format, lint problems are printed as promtool prints them
// ("metric problem", sorted) and return 3. Prints "SUCCESS: <source> is valid" and returns 0
// otherwise. Errors and problems go to standard error.
int CheckMetrics(const std::string& format, const std::string& path);

}  // namespace argus::cmd
