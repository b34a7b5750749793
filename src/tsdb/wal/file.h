#pragma once

#include <filesystem>
#include <string_view>
#include <utility>

#include "base/status.h"

namespace argus::tsdb::wal {

// A file descriptor that closes itself. Internal to the WAL.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes now, reporting what close(2) says (which, after a write, may be a late I/O error).
  Status Close(const std::filesystem::path& path);

 private:
  int fd_ = -1;
};

// kIOError "<what> <path>: <strerror(err)>".
Status ErrnoError(std::string_view what, const std::filesystem::path& path, int err);

// Opens `path` with open(2) `flags` (O_CLOEXEC is added) and mode 0644 for new files.
Result<UniqueFd> OpenFd(const std::filesystem::path& path, int flags);

// fsync(2) of a file; of a directory, so that files created, renamed or removed in it stay so
// after a power loss.
Status SyncFd(const UniqueFd& fd, const std::filesystem::path& path);
Status SyncDir(const std::filesystem::path& dir);

}  // namespace argus::tsdb::wal
