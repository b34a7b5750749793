#include "tsdb/index/file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/crc32c.h"
#include "base/encoding.h"

namespace argus::tsdb {
namespace {

constexpr size_t kBufferSize = 1 << 20;

Status IoError(const std::filesystem::path& path, std::string_view what) {
  return Status::Errorf(Status::Code::kIOError, "{}: {}: {}", path.string(), what,
                        std::strerror(errno));
}

std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Result<std::unique_ptr<FileWriter>> FileWriter::Create(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return IoError(path, "cannot create");
  auto writer = std::unique_ptr<FileWriter>(new FileWriter(path, fd));
  writer->buffer_.reserve(kBufferSize);
  return writer;
}

FileWriter::~FileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status FileWriter::Append(std::string_view bytes) {
  buffer_.append(bytes);
  offset_ += bytes.size();
  if (buffer_.size() >= kBufferSize) return Flush();
  return Status::Ok();
}

void FileWriter::BeginSection() {
  section_start_ = offset_;
  section_crc_ = 0;
  crc_from_ = buffer_.size();
}

Result<uint64_t> FileWriter::EndSection() {
  section_crc_ = Crc32cExtend(section_crc_, AsBytes(std::string_view(buffer_).substr(crc_from_)));
  uint64_t length = offset_ - section_start_;
  std::string crc;
  encoding::PutFixed32(crc, section_crc_);
  ARGUS_RETURN_IF_ERROR(Append(crc));
  crc_from_ = buffer_.size();
  return length;
}

Status FileWriter::Flush() {
  section_crc_ = Crc32cExtend(section_crc_, AsBytes(std::string_view(buffer_).substr(crc_from_)));
  for (size_t done = 0; done < buffer_.size();) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path_, "write failed");
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
  crc_from_ = 0;
  return Status::Ok();
}

Status FileWriter::SyncAndClose() {
  ARGUS_RETURN_IF_ERROR(Flush());
  if (::fsync(fd_) != 0) return IoError(path_, "fsync failed");
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return IoError(path_, "close failed");
  return Status::Ok();
}

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(path, "cannot open");
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status error = IoError(path, "cannot stat");
    ::close(fd);
    return error;
  }
  size_t size = static_cast<size_t>(st.st_size);
  const uint8_t* data = nullptr;
  if (size > 0) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      Status error = IoError(path, "cannot map");
      ::close(fd);
      return error;
    }
    data = static_cast<const uint8_t*>(p);
  }
  return std::unique_ptr<MappedFile>(new MappedFile(path, fd, data, size));
}

void MappedFile::ReleasePages() const {
  if (data_) ::madvise(const_cast<uint8_t*>(data_), size_, MADV_DONTNEED);
}

void MappedFile::AdviseSequential() const {
  if (data_) ::madvise(const_cast<uint8_t*>(data_), size_, MADV_SEQUENTIAL);
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
  ::close(fd_);
}

Result<uint32_t> MappedFile::Crc32cOf(uint64_t offset, uint64_t length) const {
  std::vector<uint8_t> buffer(std::min<uint64_t>(length, kBufferSize));
  uint32_t crc = 0;
  while (length > 0) {
    size_t want = std::min<uint64_t>(length, buffer.size());
    ssize_t n = ::pread(fd_, buffer.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(path_, "read failed");
    if (n == 0) {
      return Status::Errorf(Status::Code::kCorruption, "{}: ends before byte {}", path_.string(),
                            offset + length);
    }
    crc = Crc32cExtend(crc, {buffer.data(), static_cast<size_t>(n)});
    offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
  return crc;
}

Status WriteFileSynced(const std::filesystem::path& path, std::string_view bytes) {
  auto writer = FileWriter::Create(path);
  if (!writer.ok()) return writer.status();
  ARGUS_RETURN_IF_ERROR((*writer)->Append(bytes));
  return (*writer)->SyncAndClose();
}

Result<std::string> ReadSmallFile(const std::filesystem::path& path) {
  auto file = MappedFile::Open(path);
  if (!file.ok()) return file.status();
  auto bytes = (*file)->bytes();
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Status SyncDir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError(dir, "cannot open directory");
  int rc = ::fsync(fd);
  Status status = rc == 0 ? Status::Ok() : IoError(dir, "fsync failed");
  ::close(fd);
  return status;
}

}  // namespace argus::tsdb
