#include "tsdb/index/block_reader.h"

#include <system_error>

#include "base/crc32c.h"
#include "base/encoding.h"
#include "tsdb/index/file_io.h"
#include "tsdb/index/index_file.h"

namespace argus::tsdb {

namespace fs = std::filesystem;

namespace {

Status Corrupt(const fs::path& file, uint64_t offset, std::string_view what) {
  return Status::Errorf(Status::Code::kCorruption, "{}: byte {}: {}", file.string(), offset, what);
}

}  // namespace

Result<std::unique_ptr<BlockReader>> BlockReader::Open(const fs::path& dir) {
  auto block = std::unique_ptr<BlockReader>(new BlockReader());
  block->dir_ = dir;
  auto meta_text = ReadSmallFile(dir / "meta.json");
  if (!meta_text.ok()) return meta_text.status();
  auto meta = DecodeBlockMeta(*meta_text);
  if (!meta.ok()) return meta.status().Wrap(dir.string());
  block->meta_ = std::move(*meta);
  fs::path name = dir.filename().empty() ? dir.parent_path().filename() : dir.filename();
  if (block->meta_.ulid.ToString() != name.string()) {
    return Status::Errorf(Status::Code::kCorruption, "{}: meta.json names block {}", dir.string(),
                          block->meta_.ulid.ToString());
  }

  auto index_file = MappedFile::Open(dir / "index");
  if (!index_file.ok()) return index_file.status();
  const MappedFile& mapped = **index_file;
  auto reader = IndexFile::Open(
      mapped.bytes(), mapped.path().string(),
      [&](uint64_t offset, uint64_t length) { return mapped.Crc32cOf(offset, length); });
  if (!reader.ok()) return reader.status();
  if ((*reader)->num_series() != block->meta_.num_series) {
    return Status::Errorf(Status::Code::kCorruption,
                          "{}: the index holds {} series, meta.json says {}", dir.string(),
                          (*reader)->num_series(), block->meta_.num_series);
  }
  block->index_file_ = std::move(*index_file);
  block->index_ = std::move(*reader);
  block->size_ = mapped.bytes().size() + meta_text->size();

  for (uint32_t n = 1;; ++n) {
    fs::path path = dir / "chunks" / format::SegmentFileName(n);
    std::error_code ec;
    if (!fs::exists(path, ec)) break;
    auto segment = MappedFile::Open(path);
    if (!segment.ok()) return segment.status();
    auto bytes = (*segment)->bytes();
    if (bytes.size() < format::kHeaderSize ||
        std::string_view(reinterpret_cast<const char*>(bytes.data()), 4) != format::kChunksMagic ||
        bytes[4] != format::kVersion || bytes[5] != 0 || bytes[6] != 0 || bytes[7] != 0) {
      return Corrupt(path, 0, "not a chunk segment of version 1");
    }
    block->size_ += bytes.size();
    block->segments_.push_back(std::move(*segment));
  }
  // Segments are numbered without gaps: anything else in chunks/ means some went missing.
  std::error_code ec;
  size_t files = 0;
  for (fs::directory_iterator it(dir / "chunks", ec), end; !ec && it != end; it.increment(ec)) {
    ++files;
  }
  if (files != block->segments_.size()) {
    return Status::Errorf(Status::Code::kCorruption,
                          "{}: chunks/ holds {} files, but segments 1 to {} are all in sequence",
                          dir.string(), files, block->segments_.size());
  }
  return block;
}

BlockReader::~BlockReader() = default;

Status BlockReader::Series(SeriesId id, model::LabelsBuilder& labels,
                           std::vector<ChunkMeta>& chunks) const {
  return index_->Series(id, labels, &chunks);
}

void BlockReader::ReleasePages() const {
  index_file_->ReleasePages();
  for (const auto& segment : segments_) segment->ReleasePages();
}

Result<std::string_view> BlockReader::Chunk(ChunkRef ref) const {
  uint64_t number = ref >> 32, offset = ref & UINT32_MAX;
  if (number == 0 || number > segments_.size()) {
    return Status::Errorf(Status::Code::kCorruption,
                          "{}: chunk reference {:#x} names segment {}, which does not exist",
                          dir_.string(), ref, number);
  }
  const MappedFile& segment = *segments_[number - 1];
  auto bytes = segment.bytes();
  if (offset < format::kHeaderSize || offset >= bytes.size()) {
    return Corrupt(segment.path(), offset, "chunk reference out of bounds");
  }
  encoding::Decoder d(bytes.subspan(offset));
  uint64_t size = d.Uvarint();
  auto data = d.Bytes(size);
  uint32_t crc = d.Fixed32();
  if (d.failed()) return Corrupt(segment.path(), offset, "chunk cut short");
  if (Crc32c(data) != crc) return Corrupt(segment.path(), offset, "chunk checksum mismatch");
  return std::string_view(reinterpret_cast<const char*>(data.data()), data.size());
}

std::unique_ptr<Postings> BlockReader::PostingsFor(std::string_view name,
                                                   std::string_view value) const {
  return index_->PostingsFor(name, value);
}

std::unique_ptr<Postings> BlockReader::AllPostings() const { return index_->AllPostings(); }

Status BlockReader::VisitLabelValues(std::string_view name, const ValueRange& range,
                                     absl::FunctionRef<bool(std::string_view)> visit) const {
  return index_->VisitLabelValues(name, range, visit);
}

Result<std::vector<std::string>> BlockReader::LabelNames() const { return index_->LabelNames(); }

Status BlockReader::SeriesLabels(SeriesId id, model::LabelsBuilder& builder) const {
  return index_->SeriesLabels(id, builder);
}

}  // namespace argus::tsdb
