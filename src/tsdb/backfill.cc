#include "tsdb/backfill.h"

#include "tsdb/db.h"
#include "tsdb/dir_lock.h"
#include "tsdb/index/file_io.h"

namespace argus::tsdb {

Result<std::unique_ptr<Backfill>> Backfill::Start(const std::filesystem::path& dir) {
  std::error_code ec;
  const bool created_dir = std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "cannot create {}: {}", dir.string(),
                          ec.message());
  }
  auto lock = DirLock::Acquire(dir, /*remove_if_created=*/true);
  if (!lock.ok()) {
    if (created_dir) std::filesystem::remove(dir, ec);
    return lock.status();
  }
  // Under the lock nobody else backfills, so a staging directory found here is a crash's.
  std::filesystem::path staging = dir / "backfill.tmp";
  std::filesystem::remove_all(staging, ec);
  std::unique_ptr<Backfill> backfill(
      new Backfill(dir, created_dir, std::move(*lock), std::move(staging)));
  DbOptions options;
  options.for_import = true;
  options.background_compaction = false;
  options.retention_ms = 0;  // History is the point of a backfill.
  auto db = Db::Open(backfill->staging_, options);
  if (!db.ok()) return db.status();
  backfill->db_ = std::move(*db);
  return backfill;
}

Backfill::Backfill(std::filesystem::path dir, bool created_dir, std::unique_ptr<DirLock> lock,
                   std::filesystem::path staging)
    : dir_(std::move(dir)),
      created_dir_(created_dir),
      lock_(std::move(lock)),
      staging_(std::move(staging)) {}

Backfill::~Backfill() {
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(staging_, ec);
  lock_.reset();  // Deletes the lock file if the backfill made it.
  if (!committed_ && created_dir_) std::filesystem::remove(dir_, ec);
}

std::unique_ptr<storage::Appender> Backfill::NewAppender() { return db_->NewAppender(); }

Result<std::vector<std::shared_ptr<const BlockReader>>> Backfill::Commit() {
  ARGUS_RETURN_IF_ERROR(db_->FlushHead());
  ARGUS_RETURN_IF_ERROR(db_->Compact());
  std::vector<std::shared_ptr<const BlockReader>> staged = db_->Blocks();
  db_.reset();
  auto moved = MoveIntoPlace(staged);
  if (!moved.ok()) return moved.status();
  committed_ = true;
  std::vector<std::shared_ptr<const BlockReader>> blocks;
  for (const std::filesystem::path& path : *moved) {
    // Reopened where they now are, for the caller; a failure here is not the backfill's: the
    // blocks are in place and complete, as the renames of finished blocks left them.
    auto block = BlockReader::Open(path);
    if (!block.ok()) return block.status();
    blocks.push_back(std::move(*block));
  }
  return blocks;
}

Result<std::vector<std::filesystem::path>> Backfill::MoveIntoPlace(
    const std::vector<std::shared_ptr<const BlockReader>>& staged) {
  std::vector<std::filesystem::path> moved;
  Status status;
  for (const auto& block : staged) {
    std::filesystem::path target = dir_ / block->dir().filename();
    std::error_code ec;
    std::filesystem::rename(block->dir(), target, ec);
    if (ec) {
      status = Status::Errorf(Status::Code::kIOError, "cannot move block {} into {}: {}",
                              block->dir().filename().string(), dir_.string(), ec.message());
      break;
    }
    moved.push_back(std::move(target));
  }
  if (status.ok()) status = SyncDir(dir_);
  if (status.ok()) return moved;
  for (const std::filesystem::path& path : moved) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  return status;
}

}  // namespace argus::tsdb
