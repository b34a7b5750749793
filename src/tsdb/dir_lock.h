#pragma once

#include <filesystem>
#include <memory>

#include "base/status.h"

namespace argus::tsdb {

// The lock of a data directory: `<dir>/lock`, held with flock(2) by the one process that writes
// the directory (a server's database, or an import). The kernel drops it when the process dies,
// so a kill -9 leaves no stale lock behind, only the empty file.
class DirLock {
 public:
  // Takes the lock of `dir`, which must exist. kIOError naming the directory when another process
  // holds it, or naming the file when it cannot be opened. With `remove_if_created`, a lock file
  // that this call created is deleted again when the lock is released, so that a tool that
  // changed nothing leaves the directory as it found it.
  [[nodiscard]] static Result<std::unique_ptr<DirLock>> Acquire(const std::filesystem::path& dir,
                                                                bool remove_if_created);
  ~DirLock();  // Releases the lock.
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  DirLock(int fd, std::filesystem::path remove_at_release)
      : fd_(fd), remove_at_release_(std::move(remove_at_release)) {}

  const int fd_;
  const std::filesystem::path remove_at_release_;  // Empty: keep the file.
};

}  // namespace argus::tsdb
