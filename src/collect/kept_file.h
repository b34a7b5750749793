#pragma once

#include <cstddef>

namespace argus::collect {

// Raises the soft limit on open files (RLIMIT_NOFILE) to the hard limit, as Go programs such as
// Prometheus do at start: the container collector keeps a dozen files open per cgroup. Failure
// leaves the limit as it was.
void RaiseOpenFileLimit();

// How many descriptors one collector may keep open between collections: half the soft
// RLIMIT_NOFILE when made, the other half staying for the rest of the process (sockets, blocks,
// the WAL). When an open fails for want of descriptors anyway, the owner closes what it keeps and
// the limit halves, so that collections go on with open, read and close per file for what no
// longer fits. Warnings are logged once per halving, and once when the limit is first reached.
// Not thread-safe: one collector's.
class FdBudget {
 public:
  FdBudget();  // From RLIMIT_NOFILE.
  explicit FdBudget(size_t limit) : limit_(limit) {}
  FdBudget(const FdBudget&) = delete;
  FdBudget& operator=(const FdBudget&) = delete;

  // Whether one more descriptor may be kept; counts it when so.
  bool Take();
  // A kept descriptor was closed.
  void Give() { --kept_; }
  // Notes the errno of a failed open; true when it was EMFILE or ENFILE.
  bool NoteOpenError(int error);
  // Whether an open failed for want of descriptors since the last call; clears it.
  bool TakeExhausted();

  size_t kept() const { return kept_; }
  size_t limit() const { return limit_; }

 private:
  size_t limit_;
  size_t kept_ = 0;
  bool exhausted_ = false;
  bool warned_full_ = false;
};

// A descriptor kept open between collections, counted against an FdBudget that must outlive it.
// Closes it when destroyed. Movable, so that it can live in a hash map's values.
class KeptFd {
 public:
  KeptFd() = default;
  KeptFd(KeptFd&& other) noexcept : fd_(other.fd_), budget_(other.budget_) { other.fd_ = -1; }
  KeptFd& operator=(KeptFd&& other) noexcept;
  KeptFd(const KeptFd&) = delete;
  KeptFd& operator=(const KeptFd&) = delete;
  ~KeptFd() { Close(); }

  // The descriptor, or -1.
  int get() const { return fd_; }
  // Opens `path` (relative to the directory open as `dir_fd`, or AT_FDCWD) with `flags`
  // (O_CLOEXEC is added) and keeps the descriptor when `budget` allows. Returns it, kept or not;
  // one that is not kept (!= get()) the caller closes. -1 when the open failed, with errno set and
  // noted in `budget`.
  int Open(FdBudget& budget, int dir_fd, const char* path, int flags);
  void Close();

 private:
  int fd_ = -1;
  FdBudget* budget_ = nullptr;
};

}  // namespace argus::collect
