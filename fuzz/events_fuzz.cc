// libFuzzer target for the event store: the input decoded as an event record (an event that
// decodes must encode to a record that decodes to the same event), and opened as the store's only
// segment (open repairs it; every query must then read without an I/O error). Seeds: fuzz/events/.

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "events/record.h"
#include "events/store.h"

namespace {

using namespace argus::events;

void DecodeRecord(std::string_view input) {
  auto event = DecodeEventRecord(input);
  if (!event.ok()) return;
  std::string again;
  AppendEventRecord(*event, &again);
  auto decoded = DecodeEventRecord(again);
  if (!decoded.ok() || *decoded != *event) std::abort();
}

// A directory of this process's for the store, removed at exit; in /dev/shm where there is one,
// since the store fsyncs.
class FuzzDir {
 public:
  FuzzDir() {
    std::error_code ec;
    std::filesystem::path base = "/dev/shm";
    if (!std::filesystem::is_directory(base, ec)) base = std::filesystem::temp_directory_path();
    path_ = base / ("argus-events-fuzz-" + std::to_string(getpid()));
  }
  ~FuzzDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void OpenAsSegment(std::string_view input) {
  static const FuzzDir dir;
  std::filesystem::remove_all(dir.path());
  std::filesystem::create_directories(dir.path());
  std::ofstream(dir.path() / "00000000", std::ios::binary).write(input.data(), input.size());
  auto store = Store::Open(dir.path());
  if (!store.ok()) std::abort();
  auto events = (*store)->Query(INT64_MIN, INT64_MAX, {});
  if (!events.ok()) std::abort();
  for (size_t i = 1; i < events->size(); ++i) {
    if ((*events)[i - 1].time_ms > (*events)[i].time_ms) std::abort();  // Oldest first.
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // Repairs would log on most inputs.
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  DecodeRecord(input);
  OpenAsSegment(input);
  return 0;
}
