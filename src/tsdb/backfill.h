#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "base/status.h"
#include "storage/appender.h"
#include "tsdb/index/block_reader.h"

namespace argus::tsdb {

class Db;
class DirLock;

// Backfilling a data directory with samples of any age, as `promtool tsdb create-blocks-from`
// does: the samples become blocks of their own, aligned to the block range and compacted as a
// server would, and are put beside the blocks already there. Where they overlap those blocks or
// the samples of the WAL, queries serve each sample once and compaction merges the blocks.
//
// All or nothing: the blocks are written in `<dir>/backfill.tmp` (which a database deletes at
// start-up should a crash leave it behind) and moved into `<dir>` only by Commit. A
// backfill destroyed without a successful Commit leaves the directory as it found it: no
// block, no staging directory, no lock file it made, and no `<dir>` if it made that.
//
// The directory's lock (tsdb/dir_lock.h) is held from Start to the end, so a server cannot start
// on the directory meanwhile, and a backfill cannot start while a server runs on it (a running
// server would not see the new blocks). One thread at a time.
class Backfill {
 public:
  // Creates `dir` if needed, takes its lock and opens the staging database. kIOError when the
  // directory cannot be created or written, or another process holds it.
  [[nodiscard]] static Result<std::unique_ptr<Backfill>> Start(const std::filesystem::path& dir);
  ~Backfill();

  // An appender into the staging database: samples of any time, each series in time order
  // (kOutOfOrder otherwise, as the head). Must not outlive the backfill.
  std::unique_ptr<storage::Appender> NewAppender();

  // Writes what was appended and committed as blocks and moves them into `dir`; returns them,
  // oldest first. On an error (kIOError), the blocks moved so far are taken back out and the
  // directory is as it was. Call at most once.
  [[nodiscard]] Result<std::vector<std::shared_ptr<const BlockReader>>> Commit();

  Backfill(const Backfill&) = delete;
  Backfill& operator=(const Backfill&) = delete;

 private:
  Backfill(std::filesystem::path dir, bool created_dir, std::unique_ptr<DirLock> lock,
           std::filesystem::path staging);
  // Moves the staged blocks into dir_ and syncs it; on failure deletes what it moved.
  Result<std::vector<std::filesystem::path>> MoveIntoPlace(
      const std::vector<std::shared_ptr<const BlockReader>>& staged);

  const std::filesystem::path dir_;
  const bool created_dir_;
  std::unique_ptr<DirLock> lock_;
  const std::filesystem::path staging_;
  std::unique_ptr<Db> db_;  // Over staging_; null once committed.
  bool committed_ = false;
};

}  // namespace argus::tsdb
