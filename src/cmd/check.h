#pragma once

#include <string>

namespace argus::cmd {

// `argus check config FILE`: checks FILE as the server does before it starts with it and, as
// promtool does, the targets in the file_sd files that exist, which the server would log and
// leave out (a file that does not exist is a warning). Reports as promtool does: "Checking FILE",
// each warning (parts of FILE Argus does not act on yet among them) after "  WARNING:" and
// " SUCCESS: ..." on standard output, or every error after "  FAILED:" on standard error. Returns
// the exit code: 0 when nothing failed, 1 otherwise (including when FILE cannot be read).
int CheckConfig(const std::string& path);

// `argus check metrics [--format=text|openmetrics] [FILE]`: checks an exposition document read
// from `path` (standard input when empty) as `promtool check metrics` does. Errors name the
// source ("stdin" or the file) as "source:line:column: ..." and return 1, as does a file that
// cannot be read; in the text format, lint problems are printed as promtool prints them
// ("metric problem", sorted) and return 3. Prints "SUCCESS: <source> is valid" and returns 0
// otherwise. Errors and problems go to standard error.
int CheckMetrics(const std::string& format, const std::string& path);

}  // namespace argus::cmd
