#include "tsdb/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace argus::tsdb {

Result<std::unique_ptr<DirLock>> DirLock::Acquire(const std::filesystem::path& dir,
                                                  bool remove_if_created) {
  const std::filesystem::path path = dir / "lock";
  bool created = false;
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    created = fd >= 0;
    if (fd < 0 && errno == EEXIST) fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);  // A race.
  }
  if (fd < 0) {
    return Status::Errorf(Status::Code::kIOError, "cannot open {}: {}", path.string(),
                          std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::Errorf(Status::Code::kIOError,
                          "{} is in use by another process (its lock file is held)", dir.string());
  }
  return std::unique_ptr<DirLock>(
      new DirLock(fd, created && remove_if_created ? path : std::filesystem::path()));
}

DirLock::~DirLock() {
  // Unlinked while still held, so that no other process can take the lock of a file that is
  // about to disappear.
  if (!remove_at_release_.empty()) ::unlink(remove_at_release_.c_str());
  ::close(fd_);
}

}  // namespace argus::tsdb
