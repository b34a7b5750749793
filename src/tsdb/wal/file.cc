#include "tsdb/wal/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace argus::tsdb::wal {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Status UniqueFd::Close(const std::filesystem::path& path) {
  if (fd_ < 0) return Status::Ok();
  // Linux releases the descriptor even when close fails, so it is never retried.
  int rc = ::close(std::exchange(fd_, -1));
  return rc == 0 ? Status::Ok() : ErrnoError("close", path, errno);
}

Status ErrnoError(std::string_view what, const std::filesystem::path& path, int err) {
  return Status::Errorf(Status::Code::kIOError, "{} {}: {}", what, path.string(),
                        std::strerror(err));
}

Result<UniqueFd> OpenFd(const std::filesystem::path& path, int flags) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoError("open", path, errno);
  return UniqueFd(fd);
}

Status SyncFd(const UniqueFd& fd, const std::filesystem::path& path) {
  return ::fsync(fd.get()) == 0 ? Status::Ok() : ErrnoError("fsync", path, errno);
}

Status SyncDir(const std::filesystem::path& dir) {
  auto fd = OpenFd(dir, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return fd.status();
  return SyncFd(*fd, dir);
}

}  // namespace argus::tsdb::wal
