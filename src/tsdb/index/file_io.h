#pragma once

// The file access of blocks: buffered appends with fsync, and read-only memory maps. Internal to
// tsdb, but for MappedFile, which the importer reads its input through too. Errors are kIOError
// naming the file and what failed (with errno's text).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace argus::tsdb {

// Appends to a new file through a buffer; tracks the offset and the CRC32C of the current section.
// Not thread-safe.
class FileWriter {
 public:
  // Creates `path`, failing if it exists.
  static Result<std::unique_ptr<FileWriter>> Create(const std::filesystem::path& path);
  ~FileWriter();

  Status Append(std::string_view bytes);
  // Starts a section: the CRC32C of the bytes appended from here on is kept.
  void BeginSection();
  // Appends the CRC32C of the section (4 bytes, little-endian) and returns the section's length
  // without it.
  Result<uint64_t> EndSection();
  // Flushes the buffer, fsyncs and closes. The writer is unusable afterwards.
  Status SyncAndClose();

  uint64_t offset() const { return offset_; }

 private:
  FileWriter(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  Status Flush();

  std::filesystem::path path_;
  int fd_;
  std::string buffer_;
  uint64_t offset_ = 0;  // Bytes appended, buffered ones included.
  uint64_t section_start_ = 0;
  uint32_t section_crc_ = 0;
  size_t crc_from_ = 0;  // Where in buffer_ the bytes not yet in section_crc_ start.
};

// A whole file mapped read-only. The bytes stay valid while the MappedFile lives. Thread-safe.
class MappedFile {
 public:
  static Result<std::unique_ptr<MappedFile>> Open(const std::filesystem::path& path);
  ~MappedFile();

  std::span<const uint8_t> bytes() const { return {data_, size_}; }
  const std::filesystem::path& path() const { return path_; }
  // The CRC32C of bytes [offset, offset + length), read with pread rather than through the
  // mapping, so that checking a file does not make it resident in this process.
  Result<uint32_t> Crc32cOf(uint64_t offset, uint64_t length) const;
  // Gives back the pages of the mapping that this process made resident; touched again, they
  // come back from the page cache. Safe while other threads read the mapping.
  void ReleasePages() const;
  // Tells the kernel that the bytes will be read once from start to end, so that it reads ahead.
  void AdviseSequential() const;

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

 private:
  MappedFile(std::filesystem::path path, int fd, const uint8_t* data, size_t size)
      : path_(std::move(path)), fd_(fd), data_(data), size_(size) {}
  std::filesystem::path path_;
  int fd_;
  const uint8_t* data_;
  size_t size_;
};

// Writes `bytes` to a new file `path` and fsyncs it.
Status WriteFileSynced(const std::filesystem::path& path, std::string_view bytes);
// Reads a whole (small) file.
Result<std::string> ReadSmallFile(const std::filesystem::path& path);
// Fsyncs a directory, so that the names in it are durable.
Status SyncDir(const std::filesystem::path& dir);

}  // namespace argus::tsdb
