#include "tsdb/wal/frame.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/crc32c.h"

namespace argus::tsdb::wal {
namespace {

// Reads are this large (less for small files): few system calls, and a buffer that stays in
// the cache.
constexpr size_t kReadSize = size_t{1} << 20;
constexpr size_t kMinReadSize = size_t{4} << 10;

void PutLE32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

uint32_t LE32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(p[i])} << (8 * i);
  return v;
}

enum class FrameCheck { kOk, kIncomplete, kBadHeader, kBadRecord };

struct ParsedFrame {
  FrameCheck check;
  size_t size;  // Header and record; for kIncomplete, how many bytes are needed to know more.
  std::string_view record;
  std::string_view problem;
};

ParsedFrame ParseFrame(std::string_view data) {
  if (data.size() < kFrameHeaderSize) return {FrameCheck::kIncomplete, kFrameHeaderSize, {}, {}};
  uint32_t length = LE32(data.data());
  uint32_t crc = LE32(data.data() + 4);
  if (Crc32c(data.substr(0, 8)) != LE32(data.data() + 8)) {
    return {FrameCheck::kBadHeader, 0, {}, "frame header checksum mismatch"};
  }
  if (length == 0 || length > kMaxRecordSize) {
    return {FrameCheck::kBadHeader, 0, {}, "frame header has a record length out of range"};
  }
  size_t size = kFrameHeaderSize + length;
  if (data.size() < size) return {FrameCheck::kIncomplete, size, {}, {}};
  std::string_view record = data.substr(kFrameHeaderSize, length);
  if (Crc32c(record) != crc) return {FrameCheck::kBadRecord, size, {}, "record checksum mismatch"};
  return {FrameCheck::kOk, size, record, {}};
}

}  // namespace

void AppendFrame(std::string_view record, std::string* out) {
  char header[kFrameHeaderSize];
  PutLE32(header, static_cast<uint32_t>(record.size()));
  PutLE32(header + 4, Crc32c(record));
  PutLE32(header + 8, Crc32c(std::string_view(header, 8)));
  out->append(header, kFrameHeaderSize);
  out->append(record);
}

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(const std::filesystem::path& path) {
  auto fd = OpenFd(path, O_RDONLY);
  if (!fd.ok()) return fd.status();
  // A small segment (a checkpoint's, a fresh one) gets a buffer its size, not a full one.
  struct stat st;
  size_t size = ::fstat(fd->get(), &st) == 0 ? static_cast<size_t>(st.st_size) : kReadSize;
  size_t read_size = std::clamp(size, kMinReadSize, kReadSize);
  return std::unique_ptr<SegmentReader>(new SegmentReader(path, std::move(*fd), read_size));
}

SegmentReader::SegmentReader(std::filesystem::path path, UniqueFd fd, size_t read_size)
    : path_(std::move(path)), fd_(std::move(fd)), read_size_(read_size) {}

SegmentReader::Event SegmentReader::Next() {
  record_ = {};
  problem_ = {};
  lost_bytes_ = 0;
  if (broken_) return io_error_.ok() ? Event::kEnd : Event::kIOError;
  while (true) {
    std::string_view data(buf_.get() + begin_, end_ - begin_);
    ParsedFrame frame = ParseFrame(data);
    offset_ = buf_offset_ + begin_;
    problem_ = frame.problem;
    switch (frame.check) {
      case FrameCheck::kOk:
        record_ = frame.record;
        begin_ += frame.size;
        return Event::kRecord;
      case FrameCheck::kBadRecord:
        lost_bytes_ = frame.size;
        begin_ += frame.size;
        return Event::kBadRecord;
      case FrameCheck::kBadHeader: {
        broken_ = true;
        struct stat st;
        uint64_t file_size = ::fstat(fd_.get(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
        lost_bytes_ = std::max(file_size, buf_offset_ + end_) - offset_;
        return Event::kBadHeader;
      }
      case FrameCheck::kIncomplete:
        if (Fill(frame.size) > 0) continue;
        if (!io_error_.ok()) return Event::kIOError;
        if (data.empty()) return Event::kEnd;
        lost_bytes_ = data.size();
        problem_ = "the file ends inside a frame";
        return Event::kTornTail;
    }
  }
}

size_t SegmentReader::Fill(size_t want) {
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    buf_offset_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  if (capacity_ < want || capacity_ == 0) {
    size_t capacity = std::max(want, read_size_);
    auto grown = std::make_unique_for_overwrite<char[]>(capacity);
    if (end_ > 0) std::memcpy(grown.get(), buf_.get(), end_);
    buf_ = std::move(grown);
    capacity_ = capacity;
  }
  while (true) {
    ssize_t n = ::read(fd_.get(), buf_.get() + end_, capacity_ - end_);
    if (n >= 0) {
      end_ += static_cast<size_t>(n);
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) {
      io_error_ = ErrnoError("read WAL segment", path_, errno);
      broken_ = true;
      return 0;
    }
  }
}

}  // namespace argus::tsdb::wal
