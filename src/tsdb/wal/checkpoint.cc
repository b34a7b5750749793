#include "tsdb/wal/checkpoint.h"

#include <fcntl.h>
#include <stdio.h>

#include <cerrno>
#include <optional>
#include <string>
#include <system_error>

#include "tsdb/wal/file.h"
#include "tsdb/wal/record.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::tsdb::wal {
namespace {

// Records are batched to about this size: large enough that a checkpoint is written fast, small
// enough that replaying it needs little memory at a time.
constexpr size_t kBatchSize = size_t{1} << 20;

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

// The input of a checkpoint: the newest checkpoint's segments, then the segments of `dir` from
// first_segment (or after that checkpoint) to last_segment.
Result<std::vector<std::filesystem::path>> CheckpointInput(const std::filesystem::path& dir,
                                                           int first_segment, int last_segment) {
  auto checkpoints = ListCheckpoints(dir);
  if (!checkpoints.ok()) return checkpoints.status();
  std::vector<std::filesystem::path> files;
  if (!checkpoints->empty()) {
    const CheckpointDir& newest = checkpoints->back();
    if (newest.last_segment > last_segment) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "{} covers more than the checkpoint of segments up to {} would",
                            newest.path.string(), last_segment);
    }
    auto segments = ListSegments(newest.path);
    if (!segments.ok()) return segments.status();
    for (int index : *segments) files.push_back(SegmentPath(newest.path, index));
    first_segment = std::max(first_segment, newest.last_segment + 1);
  }
  auto segments = ListSegments(dir);
  if (!segments.ok()) return segments.status();
  for (int index : *segments) {
    if (index >= first_segment && index <= last_segment) files.push_back(SegmentPath(dir, index));
  }
  return files;
}

// Filters records into batches of a series record and a samples record, which it logs to the
// checkpoint's writer whenever they grow past kBatchSize.
class CheckpointBuilder {
 public:
  CheckpointBuilder(Writer* out, const std::function<bool(uint64_t)>& keep_series, int64_t mint,
                    CheckpointStats* stats)
      : out_(out), keep_series_(keep_series), mint_(mint), stats_(stats) {
    Reset();
  }

  // Returns an error only when writing fails; a record that does not decode is counted.
  Status Add(std::string_view record, Reader& input) {
    switch (TypeOf(record)) {
      case RecordType::kSeries:
        if (!Decoded(DecodeSeries(record, &series_), input)) break;
        for (const auto& s : series_.series()) {
          bool keep = keep_series_(s.ref);
          if (keep) series_out_->Add(s.ref, s.labels);
          ++(keep ? stats_->series_kept : stats_->series_dropped);
        }
        break;
      case RecordType::kSamples:
        if (!Decoded(DecodeSamples(record, &samples_), input)) break;
        for (const RefSample& s : samples_) {
          bool keep = s.t >= mint_ && keep_series_(s.ref);
          if (keep) samples_out_->Add(s);
          ++(keep ? stats_->samples_kept : stats_->samples_dropped);
        }
        break;
      default:
        ++stats_->records_dropped;
        break;
    }
    return series_buf_.size() + samples_buf_.size() >= kBatchSize ? Flush() : Status::Ok();
  }

  Status Flush() {
    std::string_view batch[2];
    size_t n = 0;
    // Series before samples, so that replay knows a series before its samples.
    if (series_buf_.size() > 1) batch[n++] = series_buf_;
    if (samples_buf_.size() > 1) batch[n++] = samples_buf_;
    Status s = out_->Log(std::span<const std::string_view>(batch, n));
    Reset();
    return s;
  }

 private:
  void Reset() {
    series_buf_.clear();
    samples_buf_.clear();
    series_out_.emplace(&series_buf_);
    samples_out_.emplace(&samples_buf_);
  }

  // A record that passed its checksum but does not decode was written wrong; it is reported
  // with the damage and left out.
  bool Decoded(const Status& s, Reader& input) {
    if (s.ok()) return true;
    ++stats_->records_dropped;
    stats_->corruptions.push_back(
        {input.segment(), input.offset(), input.record().size(), false, s.message()});
    return false;
  }

  Writer* out_;
  const std::function<bool(uint64_t)>& keep_series_;
  int64_t mint_;
  CheckpointStats* stats_;
  DecodedSeries series_;
  std::vector<RefSample> samples_;
  std::string series_buf_;
  std::string samples_buf_;
  std::optional<SeriesEncoder> series_out_;
  std::optional<SamplesEncoder> samples_out_;
};

Result<CheckpointStats> WriteCheckpoint(const std::filesystem::path& dir, int first_segment,
                                        int last_segment,
                                        const std::function<bool(uint64_t)>& keep_series,
                                        int64_t mint) {
  auto input = CheckpointInput(dir, first_segment, last_segment);
  if (!input.ok()) return input.status();
  CheckpointStats stats;
  std::filesystem::path tmp = dir / TemporaryCheckpointName(last_segment);
  stats.path = dir / CheckpointName(last_segment);
  ARGUS_RETURN_IF_ERROR(RemoveAll(tmp, "the leftover checkpoint"));

  auto out = Writer::Open(tmp);
  if (!out.ok()) return out.status();
  Reader reader(std::move(*input));
  CheckpointBuilder builder(out->get(), keep_series, mint, &stats);
  Status s;
  while (s.ok() && reader.Next()) s = builder.Add(reader.record(), reader);
  if (s.ok()) s = reader.status();
  if (s.ok()) s = builder.Flush();
  if (s.ok()) s = (*out)->Close();
  if (s.ok()) s = Publish(tmp, stats.path);
  if (s.ok()) s = SyncDir(dir);
  if (!s.ok()) {
    out->reset();
    (void)RemoveAll(tmp, "the unfinished checkpoint");
    return s.Wrap("checkpoint of WAL segments up to " + SegmentName(last_segment));
  }
  for (const Corruption& c : reader.corruptions()) stats.corruptions.push_back(c);
  return stats;
}

}  // namespace

Result<CheckpointStats> Checkpoint(const std::filesystem::path& dir, int first_segment,
                                   int last_segment,
                                   const std::function<bool(uint64_t ref)>& keep_series,
                                   int64_t mint, Metrics* metrics) {
  if (metrics != nullptr) metrics->checkpoint_creations.Inc();
  auto stats = WriteCheckpoint(dir, first_segment, last_segment, keep_series, mint);
  if (!stats.ok() && metrics != nullptr) metrics->checkpoint_creations_failed.Inc();
  return stats;
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
