#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collect/kept_file.h"

namespace argus::collect {

// Reads the small text files of /proc, /sys and cgroupfs into one buffer that is reused from read
// to read, so that steady-state collections allocate nothing for them. Not thread-safe: each
// collector owns its own.
class TextFile {
 public:
  // The whole content of `path`, valid until the next Read; nullopt when the file cannot be opened
  // or read (absent files are normal here: a controller or a kernel feature that is not there).
  std::optional<std::string_view> Read(const char* path);
  std::optional<std::string_view> Read(const std::string& path) { return Read(path.c_str()); }
  // The same for `name` in the directory open as `dir_fd` (or AT_FDCWD), through `*file`, which
  // keeps the file open between reads while `budget` allows: a read of a kept file is one pread
  // at offset 0, on which procfs, sysfs and cgroupfs generate the content afresh. `dir_fd` is
  // used only when `*file` holds no descriptor. Sets `*gone` when the file was removed from under
  // its descriptor (ENODEV: its cgroup went away), closing it; nullopt then too.
  std::optional<std::string_view> ReadKept(KeptFd* file, FdBudget& budget, int dir_fd,
                                           const char* name, bool* gone);

 private:
  // Reads `fd` from its start (with pread when `again`, for a descriptor read before), leaving
  // it open; nullopt with `*error` set on failure.
  std::optional<std::string_view> ReadFrom(int fd, bool again, int* error);
  std::optional<std::string_view> ReadAll(int fd);  // Closes fd.
  std::string buffer_;
};

// Cuts the next line (without its '\n') off the front of `*text`.
std::string_view NextLine(std::string_view* text);
// Cuts the next whitespace-separated token off the front of `*text`; "" at the end.
std::string_view NextToken(std::string_view* text);
// Parses all of `text` as a decimal unsigned integer.
std::optional<uint64_t> ParseUint(std::string_view text);
// Parses all of `text` as a decimal floating-point number.
std::optional<double> ParseDouble(std::string_view text);

// Looks up "key value" lines (memory.stat, cpu.stat, memory.events): the value of each of `keys`
// goes to the same index of `values`, which stays nullopt for keys that are absent.
template <size_t N>
void ScanKeyedValues(std::string_view text, const std::string_view (&keys)[N],
                     std::optional<uint64_t> (&values)[N]) {
  for (auto& v : values) v.reset();
  while (!text.empty()) {
    std::string_view line = NextLine(&text);
    std::string_view key = NextToken(&line);
    for (size_t i = 0; i < N; ++i) {
      if (key == keys[i]) {
        values[i] = ParseUint(NextToken(&line));
        break;
      }
    }
  }
}

}  // namespace argus::collect
