#pragma once

#include <string>

namespace argus::cmd {

// `argus check config FILE`: prints "SUCCESS" or the error, returns the exit code (0 or 1).
int CheckConfig(const std::string& path);

// `argus check metrics [--format=text|openmetrics] [FILE]`: validates an exposition document
// read from `path` (standard input when empty). Prints the error as "line:column: ..." and
// returns 1 when it does not parse; returns 0 when it does.
int CheckMetrics(const std::string& format, const std::string& path);

}  // namespace argus::cmd
