#include "tsdb/wal/checkpoint.h"

#include <fcntl.h>
#include <stdio.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "tsdb/wal/file.h"
#include "tsdb/wal/frame.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

Status RemoveAll(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) {
    return Status::Errorf(Status::Code::kIOError, "delete {} {}: {}", what, path.string(),
                          ec.message());
  }
  return Status::Ok();
}

// Renames the finished checkpoint `tmp` to `path`. A checkpoint already at `path` is swapped out
// atomically and then deleted, so that a crash never leaves neither.
Status Publish(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0) {
    return Status::Ok();
  }
  if (errno != EEXIST) return ErrnoError("rename the new checkpoint to", path, errno);
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
    return ErrnoError("swap in the new checkpoint", path, errno);
  }
  return RemoveAll(tmp, "the replaced checkpoint");
}

}  // namespace

CheckpointWriter::CheckpointWriter(std::filesystem::path dir, int last_segment, Metrics* metrics)
    : dir_(std::move(dir)),
      tmp_(dir_ / TemporaryCheckpointName(last_segment)),
      path_(dir_ / CheckpointName(last_segment)),
      metrics_(metrics) {}

Result<std::unique_ptr<CheckpointWriter>> CheckpointWriter::Create(const std::filesystem::path& dir,
                                                                   int last_segment,
                                                                   Metrics* metrics) {
  if (metrics != nullptr) metrics->checkpoint_creations.Inc();
  std::unique_ptr<CheckpointWriter> writer(new CheckpointWriter(dir, last_segment, metrics));
  auto checkpoints = ListCheckpoints(dir);
  Status s = checkpoints.status();
  if (s.ok() && !checkpoints->empty() && checkpoints->back().last_segment > last_segment) {
    s = Status::Errorf(Status::Code::kInvalidInput,
                       "{} covers more than the checkpoint of segments up to {} would",
                       checkpoints->back().path.string(), last_segment);
  }
  if (s.ok()) s = RemoveAll(writer->tmp_, "the leftover checkpoint");
  if (s.ok()) {
    auto out = Writer::Open(writer->tmp_);
    if (out.ok()) {
      writer->out_ = std::move(*out);
    } else {
      s = out.status();
    }
  }
  if (!s.ok()) return s.Wrap("checkpoint of WAL segments up to " + SegmentName(last_segment));
  return writer;
}

CheckpointWriter::~CheckpointWriter() {
  if (finished_) return;
  out_.reset();
  (void)RemoveAll(tmp_, "the unfinished checkpoint");
  if (metrics_ != nullptr) metrics_->checkpoint_creations_failed.Inc();
}

Status CheckpointWriter::Log(std::span<const std::string_view> records) {
  for (std::string_view r : records) bytes_ += r.size() + kFrameHeaderSize;
  return out_->Log(records);
}

Result<std::filesystem::path> CheckpointWriter::Finish() {
  Status s = out_->Close();
  if (s.ok()) s = Publish(tmp_, path_);
  if (s.ok()) s = SyncDir(dir_);
  if (!s.ok()) return s.Wrap("finishing " + path_.string());
  finished_ = true;
  return path_;
}

Status DeleteCheckpoints(const std::filesystem::path& dir, int before, Metrics* metrics) {
  if (metrics != nullptr) metrics->checkpoint_deletions.Inc();
  auto complete = ListCheckpoints(dir);
  auto temporary = ListTemporaryCheckpoints(dir);
  Status status = complete.ok() ? temporary.status() : complete.status();
  for (const auto* list : {&complete, &temporary}) {
    if (!list->ok()) continue;
    for (const CheckpointDir& c : **list) {
      if (c.last_segment >= before) continue;
      Status s = RemoveAll(c.path, "WAL checkpoint");
      if (status.ok()) status = s;
    }
  }
  if (!status.ok() && metrics != nullptr) metrics->checkpoint_deletions_failed.Inc();
  return status;
}

}  // namespace argus::tsdb::wal
