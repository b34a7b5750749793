#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tsdb/wal/file.h"

namespace argus::tsdb::wal {

// How records are framed in a segment (docs/format/wal.md). Internal to the WAL.
//
// A frame is a 12-byte header and the record:
//   u32 length of the record, u32 CRC32C of the record, u32 CRC32C of the 8 bytes before it,
// all little-endian. The header's own checksum makes the length trustworthy: a frame whose
// record is damaged can be skipped, and a frame that runs past the end of the file is a torn
// write, not a damaged length. Zeroed bytes never form a valid header.
inline constexpr size_t kFrameHeaderSize = 12;
inline constexpr size_t kMaxRecordSize = size_t{256} << 20;

// Appends the frame of `record` (1 to kMaxRecordSize bytes) to `out`.
void AppendFrame(std::string_view record, std::string* out);

// Reads the frames of one segment file in order, through a buffer of its own. Reading again after
// kEnd or kTornTail reads what was appended since, so a reader can follow a segment being
// written. Not thread-safe.
class SegmentReader {
 public:
  enum class Event {
    kRecord,     // record() is the next record.
    kEnd,        // The file ends after a complete frame.
    kTornTail,   // The file ends inside a frame, which lost_bytes() long.
    kBadHeader,  // A frame header failed its checksum: the rest of the file can't be framed.
    kBadRecord,  // A record failed its checksum; Next() goes on with the frame after it.
    kIOError,    // Reading failed; see io_error().
  };

  static Result<std::unique_ptr<SegmentReader>> Open(const std::filesystem::path& path);

  Event Next();
  // For kRecord: valid until the next call of Next().
  std::string_view record() const { return record_; }
  // The file offset of the frame of the last event (for kEnd, the end of the last frame).
  uint64_t offset() const { return offset_; }
  // For kTornTail, kBadHeader and kBadRecord: how many bytes from offset() were not read.
  uint64_t lost_bytes() const { return lost_bytes_; }
  // For the errors: what was wrong, for a message.
  std::string_view problem() const { return problem_; }
  const Status& io_error() const { return io_error_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  SegmentReader(std::filesystem::path path, UniqueFd fd, size_t read_size);
  // Reads more of the file so that at least `want` bytes from begin_ are buffered if the file has
  // them. Returns how many bytes it read; 0 at the end of the file or on error.
  size_t Fill(size_t want);

  std::filesystem::path path_;
  UniqueFd fd_;
  const size_t read_size_;  // How much to read at a time.
  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t begin_ = 0;         // The next frame starts at buf_[begin_].
  size_t end_ = 0;           // buf_[begin_, end_) are bytes read but not framed yet.
  uint64_t buf_offset_ = 0;  // The file offset of buf_[0].
  bool broken_ = false;      // After kBadHeader or kIOError nothing more is read.
  std::string_view record_;
  uint64_t offset_ = 0;
  uint64_t lost_bytes_ = 0;
  std::string_view problem_;
  Status io_error_;
};

}  // namespace argus::tsdb::wal
