#include "tsdb/wal/segments.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace argus::tsdb::wal {
namespace {

constexpr std::string_view kCheckpointPrefix = "checkpoint.";
constexpr std::string_view kTemporarySuffix = ".tmp";

// The index of a name made of at least eight digits, as SegmentName writes them.
std::optional<int> ParseIndex(std::string_view name) {
  if (name.size() < 8 || name[0] == '-') return std::nullopt;
  int index = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), index);
  if (ec != std::errc() || end != name.data() + name.size()) return std::nullopt;
  return index;
}

// Calls `f(name, entry)` for each entry of `dir`; a missing `dir` has none.
template <typename F>
Status ForEachEntry(const std::filesystem::path& dir, F f) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return Status::Ok();
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    f(it->path().filename().string(), *it);
  }
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "list WAL directory {}: {}", dir.string(),
                          ec.message());
  }
  return Status::Ok();
}

// The directories named "checkpoint.<index><suffix>", oldest first.
Result<std::vector<CheckpointDir>> ListCheckpointDirs(const std::filesystem::path& dir,
                                                      std::string_view suffix) {
  std::vector<CheckpointDir> checkpoints;
  Status s = ForEachEntry(dir, [&](std::string_view name, const auto& entry) {
    if (!name.starts_with(kCheckpointPrefix) || !name.ends_with(suffix)) return;
    name.remove_prefix(kCheckpointPrefix.size());
    name.remove_suffix(suffix.size());
    std::error_code ec;
    auto index = ParseIndex(name);
    if (index && entry.is_directory(ec)) checkpoints.push_back({*index, entry.path()});
  });
  if (!s.ok()) return s;
  std::sort(checkpoints.begin(), checkpoints.end(),
            [](const auto& a, const auto& b) { return a.last_segment < b.last_segment; });
  return checkpoints;
}

}  // namespace

std::string SegmentName(int index) { return fmt::format("{:08d}", index); }

std::filesystem::path SegmentPath(const std::filesystem::path& dir, int index) {
  return dir / SegmentName(index);
}

std::string CheckpointName(int last_segment) {
  return fmt::format("{}{:08d}", kCheckpointPrefix, last_segment);
}

std::string TemporaryCheckpointName(int last_segment) {
  return CheckpointName(last_segment) + std::string(kTemporarySuffix);
}

Result<std::vector<int>> ListSegments(const std::filesystem::path& dir) {
  std::vector<int> indices;
  Status s = ForEachEntry(dir, [&](std::string_view name, const auto& entry) {
    std::error_code ec;
    if (auto index = ParseIndex(name); index && entry.is_regular_file(ec)) {
      indices.push_back(*index);
    }
  });
  if (!s.ok()) return s;
  std::sort(indices.begin(), indices.end());
  return indices;
}

Result<std::vector<CheckpointDir>> ListCheckpoints(const std::filesystem::path& dir) {
  return ListCheckpointDirs(dir, "");
}

Result<std::vector<CheckpointDir>> ListTemporaryCheckpoints(const std::filesystem::path& dir) {
  return ListCheckpointDirs(dir, kTemporarySuffix);
}

uint64_t SizeBytes(const std::filesystem::path& dir) {
  uint64_t total = 0;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (!it->is_regular_file(size_ec)) continue;
    uint64_t size = it->file_size(size_ec);
    if (!size_ec) total += size;
  }
  return total;
}

}  // namespace argus::tsdb::wal
