// libFuzzer target for the WAL: the input decoded as a series, a samples and a chunks record
// (samples and chunks that decode must encode back to the same bytes), and read as a segment file,
// before and after the writer's repair (which must leave a tail that reads cleanly). Seeds:
// fuzz/wal/.

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "tsdb/wal/reader.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace {

using namespace argus::tsdb::wal;

void DecodeRecords(std::string_view input) {
  DecodedSeries series;
  DecodedChunks chunks;
  std::vector<RefSample> samples;
  std::string record(input);
  for (RecordType type : {RecordType::kSeries, RecordType::kSamples, RecordType::kChunks}) {
    if (!record.empty()) record[0] = static_cast<char>(type);
    (void)DecodeSeries(record, &series);
    if (DecodeChunks(record, &chunks).ok()) {
      // What decodes encodes to a record that decodes to the same.
      std::string again;
      ChunksEncoder encoder(&again);
      for (const auto& s : chunks.series()) encoder.Add(s.ref, s.sealed, s.open);
      DecodedChunks decoded;
      if (!DecodeChunks(again, &decoded).ok() ||
          decoded.series().size() != chunks.series().size()) {
        std::abort();
      }
      for (size_t i = 0; i < decoded.series().size(); ++i) {
        const auto& a = decoded.series()[i];
        const auto& b = chunks.series()[i];
        if (a.ref != b.ref || a.open != b.open || a.sealed.size() != b.sealed.size()) std::abort();
        for (size_t j = 0; j < a.sealed.size(); ++j) {
          if (a.sealed[j].min_time != b.sealed[j].min_time ||
              a.sealed[j].max_time != b.sealed[j].max_time ||
              a.sealed[j].num_samples != b.sealed[j].num_samples ||
              a.sealed[j].bytes != b.sealed[j].bytes) {
            std::abort();
          }
        }
      }
    }
    if (DecodeSamples(record, &samples).ok()) {
      std::string again;
      SamplesEncoder(&again).Add(samples);
      std::vector<RefSample> decoded;
      if (!DecodeSamples(again, &decoded).ok() || decoded != samples) std::abort();
    }
  }
}

// A directory of this process's for the segment, removed at exit; in /dev/shm where there is
// one, since the writer fsyncs on every input.
class FuzzDir {
 public:
  FuzzDir() {
    std::error_code ec;
    std::filesystem::path base = "/dev/shm";
    if (!std::filesystem::is_directory(base, ec)) base = std::filesystem::temp_directory_path();
    path_ = base / ("argus-wal-fuzz-" + std::to_string(getpid()));
  }
  ~FuzzDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

const std::filesystem::path& Dir() {
  static const FuzzDir dir;
  return dir.path();
}

// Reads segment 0 of the fuzz directory; returns whether it read to the end without damage that
// repair should have cut (a torn tail or a bad frame header).
bool ReadsToTheEnd() {
  Reader reader({SegmentPath(Dir(), 0)});
  while (reader.Next()) {
  }
  for (const Corruption& c : reader.corruptions()) {
    if (c.torn_tail || c.what != "record checksum mismatch") return false;
  }
  return reader.status().ok();
}

void ReadSegment(std::string_view input) {
  std::filesystem::remove_all(Dir());
  std::filesystem::create_directories(Dir());
  int fd = open(SegmentPath(Dir(), 0).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    std::abort();
  }
  close(fd);
  (void)ReadsToTheEnd();
  auto writer = Writer::Open(Dir());
  if (!writer.ok()) std::abort();
  writer->reset();
  if (!ReadsToTheEnd()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // Repairs would log on most inputs.
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  DecodeRecords(input);
  ReadSegment(input);
  return 0;
}
