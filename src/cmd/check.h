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

// `argus check metrics [--format=text|openmetrics] [FILE]`: validates an exposition document
// read from `path` (standard input when empty). Prints the error as "line:column: ..." and
// returns 1 when it does not parse; returns 0 when it does.
int CheckMetrics(const std::string& format, const std::string& path);

}  // namespace argus::cmd
