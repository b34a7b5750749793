#pragma once

#include <cstdint>
#include <string>

namespace argus::cmd {

// `argus tsdb import openmetrics FILE [DIR]`: backfills the samples of an OpenMetrics file
// (every sample with a timestamp, each series in time order, of any age) into blocks beside
// those in DIR, compacted as the server would compact them, and prints the blocks written
// (tsdb/backfill.h). A server started on DIR serves them, each sample once where they overlap
// what it had. Refused while a server runs on DIR. Returns the exit code; errors name the line
// of the file, and a failed import leaves DIR as it was.
int ImportOpenMetrics(const std::string& file, const std::string& dir);

// `argus tsdb analyze [DIR]`: prints each block's and the head's series, samples, chunks and
// bytes per sample, and the label names and metric names with the most values and series.
int Analyze(const std::string& dir, int limit);

// `argus tsdb dump [DIR]`: prints every sample between min_time and max_time (milliseconds) of
// the series matching `match` (a series selector), one per line as
// `name{labels} value timestamp`.
int Dump(const std::string& dir, int64_t min_time, int64_t max_time, const std::string& match);

}  // namespace argus::cmd
