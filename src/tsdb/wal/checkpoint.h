#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>

#include "base/status.h"
#include "tsdb/wal/metrics.h"

namespace argus::tsdb::wal {

class Writer;

// Writes <dir>/checkpoint.<last_segment>: what a restart needs from the segments up to
// last_segment, so that they can be deleted. The head writes its snapshot through it (series and
// chunks records). Records go to checkpoint.N.tmp; Finish syncs them and renames the directory
// into place (a checkpoint of the same name is swapped out atomically), then syncs `dir`. So a
// crash at any moment leaves either the whole new checkpoint or none, with the previous
// checkpoint and its segments still there: the caller deletes those (Writer::Truncate,
// DeleteCheckpoints) only after Finish.
//
// Not thread-safe; one checkpoint at a time per directory.
class CheckpointWriter {
 public:
  // Starts checkpoint.<last_segment>, removing a .tmp of it a crash left. kInvalidInput when a
  // newer checkpoint covers segments after last_segment; kIOError when the directory cannot be
  // written. Counts a creation in `metrics` (nullptr: not counted), and a failed one on error.
  static Result<std::unique_ptr<CheckpointWriter>> Create(const std::filesystem::path& dir,
                                                          int last_segment,
                                                          Metrics* metrics = nullptr);
  // An unfinished checkpoint is removed and counted as failed.
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Writes `records` as consecutive frames (Writer::Log). kIOError when writing fails; the
  // checkpoint is then not usable and the caller drops it.
  Status Log(std::span<const std::string_view> records);
  Status Log(std::initializer_list<std::string_view> records) {
    return Log(std::span<const std::string_view>(records.begin(), records.size()));
  }
  // Completes the checkpoint as described above and returns its path. kIOError when syncing or
  // renaming fails; the .tmp is removed then.
  Result<std::filesystem::path> Finish();

  // The bytes of records logged so far, frames included.
  uint64_t bytes() const { return bytes_; }

 private:
  CheckpointWriter(std::filesystem::path dir, int last_segment, Metrics* metrics);

  const std::filesystem::path dir_;
  const std::filesystem::path tmp_;
  const std::filesystem::path path_;
  Metrics* const metrics_;
  std::unique_ptr<Writer> out_;
  uint64_t bytes_ = 0;
  bool finished_ = false;
};

// Deletes the checkpoints of `dir` named by a segment before `before`, complete ones and those a
// crash left unfinished (.tmp). Counts a deletion in `metrics`, and a failed one on kIOError.
Status DeleteCheckpoints(const std::filesystem::path& dir, int before, Metrics* metrics = nullptr);

}  // namespace argus::tsdb::wal
