#pragma once

#include <string>

namespace argus::cmd {

// `argus check config FILE`: prints "SUCCESS" or the error, returns the exit code (0 or 1).
int CheckConfig(const std::string& path);

// `argus check metrics [--format=text|openmetrics] [FILE]`: checks an exposition document read
// from `path` (standard input when empty) as `promtool check metrics` does. Errors name the
// source ("stdin" or the file) as "source:line:column: ..." and return 1, as does a file that
// cannot be read; in the text format, lint problems are printed as promtool prints them
// ("metric problem", sorted) and return 3. Prints "SUCCESS: <source> is valid" and returns 0
// otherwise. Errors and problems go to standard error.
int CheckMetrics(const std::string& format, const std::string& path);

}  // namespace argus::cmd
