#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "base/status.h"
#include "tsdb/wal/metrics.h"
#include "tsdb/wal/reader.h"

namespace argus::tsdb::wal {

struct CheckpointStats {
  std::filesystem::path path;  // The checkpoint written.
  uint64_t series_kept = 0;
  uint64_t series_dropped = 0;
  uint64_t samples_kept = 0;
  uint64_t samples_dropped = 0;
  uint64_t records_dropped = 0;  // Of types a checkpoint does not keep, or that did not decode.
  // Damage met in the input; what it made unreadable is not in the checkpoint.
  std::vector<Corruption> corruptions;
};

// Compacts the WAL's start so that segments up to `last_segment` can be deleted: writes
// <dir>/checkpoint.<last_segment> from the newest checkpoint and the segments first_segment to
// last_segment of `dir` (those the newest checkpoint covers are skipped), keeping
//   - the series records of series for which keep_series(ref) is true, and
//   - the samples of those series with t >= mint,
// in their order. The checkpoint is written in <name>.tmp, synced and renamed, so a crash leaves
// either the whole checkpoint or none; a checkpoint of the same name is replaced. Then the caller
// deletes the covered segments (Writer::Truncate) and older checkpoints (DeleteCheckpoints).
//
// The segments must be complete (before Writer::current_segment()) and must not be truncated
// meanwhile; one Checkpoint at a time per directory. keep_series is called on this thread.
// Damage in the input is reported in the stats, not an error. kIOError when reading or writing
// fails, kInvalidInput when the newest checkpoint covers segments after last_segment; nothing is
// left behind then. Counts a creation in `metrics` (nullptr: not counted), and a failed one on
// error.
Result<CheckpointStats> Checkpoint(const std::filesystem::path& dir, int first_segment,
                                   int last_segment,
                                   const std::function<bool(uint64_t ref)>& keep_series,
                                   int64_t mint, Metrics* metrics = nullptr);

// Deletes the checkpoints of `dir` named by a segment before `before`, complete ones and those a
// crash left unfinished (.tmp). Counts a deletion in `metrics`, and a failed one on kIOError.
Status DeleteCheckpoints(const std::filesystem::path& dir, int before, Metrics* metrics = nullptr);

}  // namespace argus::tsdb::wal
