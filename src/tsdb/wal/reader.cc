#include "tsdb/wal/reader.h"

#include <fmt/format.h>

#include "tsdb/wal/frame.h"
#include "tsdb/wal/segments.h"

namespace argus::tsdb::wal {

std::string Corruption::ToString() const {
  return fmt::format("segment={} offset={} lost_bytes={} torn_tail={} what=\"{}\"",
                     segment.string(), offset, lost_bytes, torn_tail, what);
}

Reader::Reader(std::vector<std::filesystem::path> segments) : segments_(std::move(segments)) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Result<Reader> Reader::ForReplay(const std::filesystem::path& dir) {
  auto checkpoints = ListCheckpoints(dir);
  if (!checkpoints.ok()) return checkpoints.status();
  auto segments = ListSegments(dir);
  if (!segments.ok()) return segments.status();

  std::vector<std::filesystem::path> files;
  int after = -1;  // Segments up to this one are in the checkpoint.
  if (!checkpoints->empty()) {
    const CheckpointDir& newest = checkpoints->back();
    auto in_checkpoint = ListSegments(newest.path);
    if (!in_checkpoint.ok()) return in_checkpoint.status();
    for (int index : *in_checkpoint) files.push_back(SegmentPath(newest.path, index));
    after = newest.last_segment;
  }
  std::vector<Corruption> missing;
  int expected = after + 1;
  for (int index : *segments) {
    if (index <= after) continue;
    // Without a checkpoint the first segment may be any (expected is 0): older ones were
    // truncated away.
    if (expected > 0) {
      for (int gap = expected; gap < index; ++gap) {
        missing.push_back({SegmentPath(dir, gap), 0, 0, false, "the segment is missing"});
      }
    }
    files.push_back(SegmentPath(dir, index));
    expected = index + 1;
  }
  Reader reader(std::move(files));
  reader.corruptions_ = std::move(missing);
  return reader;
}

const std::filesystem::path& Reader::segment() const {
  static const std::filesystem::path kNone;
  return current_ ? current_->path() : kNone;
}

void Reader::Report(bool torn_tail) {
  corruptions_.push_back({current_->path(), current_->offset(), current_->lost_bytes(), torn_tail,
                          std::string(current_->problem())});
}

bool Reader::Next() {
  record_ = {};
  while (status_.ok()) {
    if (!current_) {
      if (next_segment_ == segments_.size()) return false;
      auto opened = SegmentReader::Open(segments_[next_segment_++]);
      if (!opened.ok()) {
        status_ = opened.status();
        return false;
      }
      current_ = std::move(*opened);
    }
    switch (current_->Next()) {
      case SegmentReader::Event::kRecord:
        record_ = current_->record();
        offset_ = current_->offset();
        return true;
      case SegmentReader::Event::kBadRecord:
        Report(false);
        break;
      case SegmentReader::Event::kTornTail: {
        bool last = next_segment_ == segments_.size();
        Report(last);
        if (!last) corruptions_.back().what = "the segment ends inside a frame";
        current_.reset();
        break;
      }
      case SegmentReader::Event::kBadHeader:
        Report(false);
        current_.reset();
        break;
      case SegmentReader::Event::kIOError:
        status_ = current_->io_error();
        return false;
      case SegmentReader::Event::kEnd:
        current_.reset();
        break;
    }
  }
  return false;
}

}  // namespace argus::tsdb::wal
