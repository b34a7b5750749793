#include "collect/kept_file.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"

namespace argus::collect {

void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  rlim_t old = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit(RLIMIT_NOFILE, &limit) == 0) {
    log::Debug("Raised the limit on open files", {{"from", old}, {"to", limit.rlim_max}});
  }
}

FdBudget::FdBudget() : limit_(0) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    limit_ = static_cast<size_t>(limit.rlim_cur / 2);
  } else {
    limit_ = 1 << 20;
  }
}

bool FdBudget::Take() {
  if (kept_ >= limit_) {
    if (!warned_full_) {
      log::Warn(
          "Keeping no more files open between collections; the rest are opened for each read, "
          "which costs more CPU: raise the limit on open files (ulimit -n)",
          {{"kept", kept_}});
    }
    warned_full_ = true;
    return false;
  }
  ++kept_;
  return true;
}

bool FdBudget::NoteOpenError(int error) {
  if (error != EMFILE && error != ENFILE) return false;
  if (!exhausted_) {
    log::Warn(
        "Out of file descriptors: closing the files kept open between collections and keeping "
        "at most half as many from now on",
        {{"kept", kept_}, {"limit", kept_ / 2}});
    limit_ = kept_ / 2;
    warned_full_ = true;  // Said just now.
  }
  exhausted_ = true;
  return true;
}

bool FdBudget::TakeExhausted() {
  bool was = exhausted_;
  exhausted_ = false;
  return was;
}

KeptFd& KeptFd::operator=(KeptFd&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    budget_ = other.budget_;
    other.fd_ = -1;
  }
  return *this;
}

int KeptFd::Open(FdBudget& budget, int dir_fd, const char* path, int flags) {
  int fd = openat(dir_fd, path, flags | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    budget.NoteOpenError(error);
    errno = error;
    return -1;
  }
  if (fd_ < 0 && budget.Take()) {
    fd_ = fd;
    budget_ = &budget;
  }
  return fd;
}

void KeptFd::Close() {
  if (fd_ < 0) return;
  close(fd_);
  fd_ = -1;
  budget_->Give();
}

}  // namespace argus::collect
