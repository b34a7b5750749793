#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"

namespace argus::tsdb::wal {

// The layout of a WAL directory (docs/format/wal.md):
//   <dir>/00000000, <dir>/00000001, ...  segments, written in index order
//   <dir>/checkpoint.00000041/           the checkpoint of every segment up to 00000041, itself a
//                                        directory of segments 00000000, 00000001, ...
//   <dir>/checkpoint.00000041.tmp/       a checkpoint being written; never read
// Everything here only lists and names files; the functions are thread-safe.

// "00000042": eight digits, zero-padded.
std::string SegmentName(int index);
std::filesystem::path SegmentPath(const std::filesystem::path& dir, int index);
// "checkpoint.00000042", and "checkpoint.00000042.tmp" while it is written.
std::string CheckpointName(int last_segment);
std::string TemporaryCheckpointName(int last_segment);

// The indices of the segments in `dir`, ascending. Files whose names are not segment names are
// ignored. kIOError when `dir` cannot be listed; a missing `dir` has no segments.
Result<std::vector<int>> ListSegments(const std::filesystem::path& dir);

struct CheckpointDir {
  int last_segment;  // The index in the name: the checkpoint holds segments up to this one.
  std::filesystem::path path;
};

// The complete checkpoints in `dir`, oldest first.
Result<std::vector<CheckpointDir>> ListCheckpoints(const std::filesystem::path& dir);
// The .tmp directories of checkpoints being written, or left by a crash while one was.
Result<std::vector<CheckpointDir>> ListTemporaryCheckpoints(const std::filesystem::path& dir);

// The bytes of every file under `dir`, segments and checkpoints: one stat per file and nothing
// read, so it is cheap to call for size-based retention or on every scrape of /metrics. Files
// that vanish while it runs (a truncation) are not counted.
uint64_t SizeBytes(const std::filesystem::path& dir);

}  // namespace argus::tsdb::wal
