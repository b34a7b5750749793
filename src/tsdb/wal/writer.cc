#include "tsdb/wal/writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include "base/log.h"
#include "tsdb/wal/frame.h"
#include "tsdb/wal/segments.h"

namespace argus::tsdb::wal {
namespace {

// The scratch space of a Log call is kept for the next one up to this size: many scrapes.
constexpr size_t kKeptScratchSize = size_t{16} << 20;

}  // namespace

Result<std::unique_ptr<Writer>> Writer::Open(const std::filesystem::path& dir,
                                             WriterOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "create WAL directory {}: {}", dir.string(),
                          ec.message());
  }
  auto segments = ListSegments(dir);
  if (!segments.ok()) return segments.status();
  auto checkpoints = ListCheckpoints(dir);
  if (!checkpoints.ok()) return checkpoints.status();
  std::unique_ptr<Writer> writer(new Writer(dir, options));
  // After the last segment, and after the newest checkpoint too: replay skips the segments it
  // covers, even when all of them are gone.
  int next = checkpoints->empty() ? 0 : checkpoints->back().last_segment + 1;
  if (!segments->empty()) {
    ARGUS_RETURN_IF_ERROR(writer->Repair(segments->back()));
    next = std::max(next, segments->back() + 1);
  }
  absl::MutexLock lock(&writer->mu_);
  ARGUS_RETURN_IF_ERROR(writer->StartSegment(next));
  return writer;
}

Writer::Writer(std::filesystem::path dir, WriterOptions options)
    : dir_(std::move(dir)), segment_size_(options.segment_size), metrics_(options.metrics) {
  if (metrics_ == nullptr) {
    own_metrics_ = std::make_unique<Metrics>(nullptr, dir_);
    metrics_ = own_metrics_.get();
  }
}

Writer::~Writer() {
  Status s = Close();
  if (!s.ok()) log::Error("Closing the WAL failed", {{"err", s.message()}});
}

Status Writer::Repair(int segment) {
  std::filesystem::path path = SegmentPath(dir_, segment);
  auto reader = SegmentReader::Open(path);
  if (!reader.ok()) return reader.status();
  // Cut after the last intact record: damaged records before it are skipped by readers and cost
  // nothing more, but everything after it is the tail an interrupted write left.
  uint64_t intact_end = 0;
  SegmentReader::Event tail_event = SegmentReader::Event::kEnd;  // The first problem after it.
  std::string_view tail_problem;
  for (;;) {
    SegmentReader::Event e = (*reader)->Next();
    if (e == SegmentReader::Event::kEnd) break;
    if (e == SegmentReader::Event::kIOError) return (*reader)->io_error();
    if (e == SegmentReader::Event::kRecord) {
      intact_end = (*reader)->offset() + kFrameHeaderSize + (*reader)->record().size();
      tail_event = SegmentReader::Event::kEnd;
      continue;
    }
    if (tail_event == SegmentReader::Event::kEnd) {
      tail_event = e;
      tail_problem = (*reader)->problem();
    }
    if (e != SegmentReader::Event::kBadRecord) break;  // Nothing after it can be framed.
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoError("stat", path, errno);
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size <= intact_end) return Status::Ok();
  auto fd = OpenFd(path, O_WRONLY);
  if (!fd.ok()) return fd.status();
  if (::ftruncate(fd->get(), static_cast<off_t>(intact_end)) != 0) {
    return ErrnoError("truncate the damaged tail of WAL segment", path, errno);
  }
  ARGUS_RETURN_IF_ERROR(SyncFd(*fd, path));
  metrics_->corruptions.Inc();
  log::Warn(tail_event == SegmentReader::Event::kTornTail
                ? "Cut the torn tail of the last WAL segment"
                : "Cut the corrupt tail of the last WAL segment",
            {{"segment", path.string()},
             {"offset", intact_end},
             {"bytes_lost", size - intact_end},
             {"reason", tail_problem}});
  return fd->Close(path);
}

Status Writer::StartSegment(int index) {
  std::filesystem::path path = SegmentPath(dir_, index);
  // O_EXCL: a segment that exists holds records; it is never reused.
  auto fd = OpenFd(path, O_WRONLY | O_CREAT | O_EXCL);
  if (!fd.ok()) return fd.status();
  if (fd_.valid()) {
    std::filesystem::path previous = SegmentPath(dir_, segment_);
    // What is logged is in the kernel already, so a failed fsync costs durability against power
    // loss only; the writer goes on.
    if (Status s = SyncCurrent(); !s.ok()) {
      log::Error("Syncing a finished WAL segment failed", {{"err", s.message()}});
    }
    if (Status s = fd_.Close(previous); !s.ok()) {
      log::Error("Closing a finished WAL segment failed", {{"err", s.message()}});
    }
  }
  fd_ = std::move(*fd);
  segment_ = index;
  size_ = 0;
  tail_dirty_ = false;
  metrics_->segment_current.Set(index);
  if (Status s = SyncDir(dir_); !s.ok()) {
    log::Error("Syncing the WAL directory failed", {{"err", s.message()}});
  }
  return Status::Ok();
}

Status Writer::SyncCurrent() {
  auto start = std::chrono::steady_clock::now();
  Status s = SyncFd(fd_, SegmentPath(dir_, segment_));
  metrics_->fsync_duration.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return s;
}

Status Writer::TruncateTail() {
  if (::ftruncate(fd_.get(), static_cast<off_t>(size_)) != 0) {
    return ErrnoError("cut a failed write from WAL segment", SegmentPath(dir_, segment_), errno);
  }
  tail_dirty_ = false;
  return Status::Ok();
}

Status Writer::CheckOpen() const {
  return closed_ ? Status::Errorf("the WAL in {} is closed", dir_.string()) : Status::Ok();
}

Status Writer::Log(std::span<const std::string_view> records) {
  size_t total = 0;
  for (std::string_view r : records) {
    if (r.empty() || r.size() > kMaxRecordSize) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "a WAL record must be 1 to {} bytes long, not {}", kMaxRecordSize,
                            r.size());
    }
    total += kFrameHeaderSize + r.size();
  }
  if (records.empty()) return Status::Ok();

  absl::MutexLock lock(&mu_);
  ARGUS_RETURN_IF_ERROR(CheckOpen());
  Status s = tail_dirty_ ? TruncateTail() : Status::Ok();
  if (s.ok() && size_ > 0 && size_ + total > segment_size_) s = StartSegment(segment_ + 1);
  if (!s.ok()) {
    metrics_->writes_failed.Inc();
    return s;
  }
  frames_.clear();
  for (std::string_view r : records) AppendFrame(r, &frames_);
  size_t done = 0;
  while (done < frames_.size()) {
    ssize_t n = ::pwrite(fd_.get(), frames_.data() + done, frames_.size() - done,
                         static_cast<off_t>(size_ + done));
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    int err = n < 0 ? errno : EIO;  // A write of nothing that reports no error is taken as EIO.
    metrics_->writes_failed.Inc();
    tail_dirty_ = true;
    if (Status cut = TruncateTail(); !cut.ok()) {
      log::Error("Cutting a failed WAL write failed; retrying on the next write",
                 {{"err", cut.message()}});
    }
    return Status::Errorf(Status::Code::kIOError,
                          "write {} bytes to WAL segment {} at offset {}: {}", frames_.size(),
                          SegmentPath(dir_, segment_).string(), size_, std::strerror(err));
  }
  size_ += frames_.size();
  metrics_->page_flushes.Inc();
  // One huge call should not pin its size in memory for good.
  if (frames_.capacity() > kKeptScratchSize) frames_ = std::string();
  return Status::Ok();
}

Status Writer::Sync() {
  absl::MutexLock lock(&mu_);
  ARGUS_RETURN_IF_ERROR(CheckOpen());
  return SyncCurrent();
}

Result<int> Writer::NextSegment() {
  absl::MutexLock lock(&mu_);
  ARGUS_RETURN_IF_ERROR(CheckOpen());
  if (tail_dirty_) ARGUS_RETURN_IF_ERROR(TruncateTail());
  ARGUS_RETURN_IF_ERROR(StartSegment(segment_ + 1));
  return segment_;
}

int Writer::current_segment() const {
  absl::MutexLock lock(&mu_);
  return segment_;
}

Status Writer::Truncate(int last_segment) {
  int current = current_segment();
  metrics_->truncations.Inc();
  auto segments = ListSegments(dir_);
  Status status = segments.status();
  for (int index : segments.ok() ? *segments : std::vector<int>()) {
    if (index > last_segment || index >= current) break;
    std::error_code ec;
    std::filesystem::remove(SegmentPath(dir_, index), ec);
    if (ec && status.ok()) {
      status = Status::Errorf(Status::Code::kIOError, "delete WAL segment {}: {}",
                              SegmentPath(dir_, index).string(), ec.message());
    }
  }
  if (!status.ok()) metrics_->truncations_failed.Inc();
  return status;
}

Status Writer::Close() {
  absl::MutexLock lock(&mu_);
  if (closed_) return Status::Ok();
  closed_ = true;
  if (!fd_.valid()) return Status::Ok();  // Open failed before the first segment.
  Status s = tail_dirty_ ? TruncateTail() : Status::Ok();
  Status synced = SyncCurrent();
  Status closed = fd_.Close(SegmentPath(dir_, segment_));
  if (!s.ok()) return s;
  return synced.ok() ? closed : synced;
}

}  // namespace argus::tsdb::wal
