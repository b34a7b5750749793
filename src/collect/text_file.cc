#include "collect/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace argus::collect {

std::optional<std::string_view> TextFile::Read(const char* path) {
  return ReadAll(open(path, O_RDONLY | O_CLOEXEC));
}

std::optional<std::string_view> TextFile::ReadKept(KeptFd* file, FdBudget& budget, int dir_fd,
                                                   const char* name, bool* gone) {
  bool again = file->get() >= 0;
  int fd = again ? file->get() : file->Open(budget, dir_fd, name, O_RDONLY);
  if (fd < 0) return std::nullopt;
  int error = 0;
  auto text = ReadFrom(fd, again, &error);
  if (fd != file->get()) {
    close(fd);
  } else if (!text) {
    file->Close();
  }
  if (!text && error == ENODEV) *gone = true;
  return text;
}

std::optional<std::string_view> TextFile::ReadAll(int fd) {
  if (fd < 0) return std::nullopt;
  int error = 0;
  auto text = ReadFrom(fd, false, &error);
  close(fd);
  return text;
}

std::optional<std::string_view> TextFile::ReadFrom(int fd, bool again, int* error) {
  // Files under /proc and /sys report a size of 0 or 4096 whatever they hold, so read until EOF.
  if (buffer_.size() < 4096) buffer_.resize(4096);
  size_t used = 0;
  for (;;) {
    if (used == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    char* into = buffer_.data() + used;
    size_t room = buffer_.size() - used;
    ssize_t n = again ? pread(fd, into, room, static_cast<off_t>(used)) : read(fd, into, room);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = errno;
      return std::nullopt;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
    // The kernel's seq files fill a read as far as they can: a short one was the last, which
    // saves the read that would return 0 (a quarter of the system calls per file).
    if (used < buffer_.size()) break;
  }
  return std::string_view(buffer_.data(), used);
}

std::string_view NextLine(std::string_view* text) {
  size_t end = text->find('\n');
  std::string_view line = text->substr(0, end);
  text->remove_prefix(end == std::string_view::npos ? text->size() : end + 1);
  return line;
}

std::string_view NextToken(std::string_view* text) {
  size_t start = text->find_first_not_of(" \t\n");
  if (start == std::string_view::npos) {
    text->remove_prefix(text->size());
    return {};
  }
  size_t end = text->find_first_of(" \t\n", start);
  if (end == std::string_view::npos) end = text->size();
  std::string_view token = text->substr(start, end - start);
  text->remove_prefix(end);
  return token;
}

std::optional<uint64_t> ParseUint(std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

std::optional<double> ParseDouble(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

}  // namespace argus::collect
