#pragma once

#include <cstdint>
#include <string>

namespace argus::cmd {

// The `argus tsdb` tools. Each returns its exit code: 0, or 1 after printing an error to standard
// error, a file or directory that cannot be read among them (with the reason).

// `argus tsdb import openmetrics FILE [DIR]`: backfills the samples of an OpenMetrics file
// (every sample with a timestamp, each series in time order, of any age) into blocks beside
// those in DIR, compacted as the server would compact them, and prints the blocks written
// (tsdb/backfill.h). A server started on DIR serves them, each sample once where they overlap
// what it had. Refused while a server runs on DIR. Returns the exit code; errors name the line
// of the file, and a failed import leaves DIR as it was.
int ImportOpenMetrics(const std::string& file, const std::string& dir);

// `argus tsdb analyze [DIR]`: prints, for each block and for the head, the time of its first
// and last sample ("-" when it has none), its series, samples, chunks, bytes and bytes per
// sample; then the label names and metric names with the most values and series.
int Analyze(const std::string& dir, int limit);

// `argus tsdb dump [DIR]`: prints every sample between min_time and max_time (milliseconds) of
// the series matching `match` (a series selector), one per line as `promtool tsdb dump` does:
// `{__name__="up", job="x"} 1 1700000000000`.
int Dump(const std::string& dir, int64_t min_time, int64_t max_time, const std::string& match);

}  // namespace argus::cmd
