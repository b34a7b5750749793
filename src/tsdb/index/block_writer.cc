#include "tsdb/index/block_writer.h"

#include <system_error>
#include <vector>

#include "base/crc32c.h"
#include "base/encoding.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/file_io.h"
#include "tsdb/index/index_format.h"
#include "tsdb/index/index_writer.h"

namespace argus::tsdb {

namespace fs = std::filesystem;

class BlockWriter::Impl {
 public:
  Impl(fs::path parent, fs::path tmp, Ulid ulid, BlockWriterOptions options)
      : parent_(std::move(parent)), tmp_(std::move(tmp)), ulid_(ulid), options_(options) {}

  ~Impl() {
    if (!created_ || finished_) return;
    std::error_code ignored;
    fs::remove_all(tmp_, ignored);
  }

  Status Start() {
    std::error_code ec;
    created_ = fs::create_directory(tmp_, ec);
    if (!created_ || !fs::create_directory(tmp_ / "chunks", ec)) {
      return Status::Errorf(Status::Code::kIOError, "{}: cannot create the block directory: {}",
                            tmp_.string(), ec ? ec.message() : "it exists");
    }
    auto index = IndexWriter::Create(tmp_ / "index");
    if (!index.ok()) return index.status();
    index_ = std::move(*index);
    return Status::Ok();
  }

  Status AddSeries(const model::Labels& labels, std::span<const ChunkData> chunks) {
    if (!status_.ok()) return status_;
    if (labels.empty() || (has_last_ && !(last_ < labels))) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "block {}: series {} is empty or not after {}", ulid_.ToString(),
                            labels.ToString(), last_.ToString());
    }
    for (size_t i = 0; i < chunks.size(); ++i) {
      if (chunks[i].min_time > chunks[i].max_time ||
          (i > 0 && chunks[i].min_time < chunks[i - 1].min_time)) {
        return Status::Errorf(Status::Code::kInvalidInput,
                              "block {}: chunk {} of {} is out of time order", ulid_.ToString(), i,
                              labels.ToString());
      }
    }
    metas_.clear();
    for (const ChunkData& c : chunks) {
      auto ref = WriteChunk(c.bytes);
      if (!ref.ok()) return status_ = ref.status();
      metas_.push_back({c.min_time, c.max_time, *ref});
    }
    if (Status s = index_->AddSeries(labels, metas_); !s.ok()) return status_ = s;
    num_chunks_ += chunks.size();
    last_ = labels;
    has_last_ = true;
    return Status::Ok();
  }

  Result<fs::path> Finish(BlockMeta meta) {
    ARGUS_RETURN_IF_ERROR(status_);
    status_ = Status::Error("the block writer has finished");
    if (segment_) ARGUS_RETURN_IF_ERROR(segment_->SyncAndClose());
    ARGUS_RETURN_IF_ERROR(index_->Finish());
    meta.ulid = ulid_;
    meta.num_series = index_->num_series();
    meta.num_chunks = num_chunks_;
    meta.version = 1;
    ARGUS_RETURN_IF_ERROR(WriteFileSynced(tmp_ / "meta.json", EncodeBlockMeta(meta)));
    ARGUS_RETURN_IF_ERROR(SyncDir(tmp_ / "chunks"));
    ARGUS_RETURN_IF_ERROR(SyncDir(tmp_));
    fs::path final_dir = parent_ / ulid_.ToString();
    std::error_code ec;
    fs::rename(tmp_, final_dir, ec);
    if (ec) {
      return Status::Errorf(Status::Code::kIOError, "{}: cannot rename to {}: {}", tmp_.string(),
                            final_dir.string(), ec.message());
    }
    finished_ = true;
    ARGUS_RETURN_IF_ERROR(SyncDir(parent_));
    return final_dir;
  }

 private:
  // Appends a record (uvarint length, bytes, CRC32C) to the current segment, starting a new one
  // when it would grow past the limit, and returns the record's reference.
  Result<ChunkRef> WriteChunk(std::string_view bytes) {
    record_.clear();
    encoding::PutUvarint(record_, bytes.size());
    record_.append(bytes);
    encoding::PutFixed32(record_, Crc32c(bytes));
    // Offsets are 32-bit, which caps a segment at 4 GiB whatever the option says.
    uint64_t limit = std::min<uint64_t>(options_.max_segment_bytes, UINT32_MAX);
    if (!segment_ ||
        (segment_->offset() > format::kHeaderSize && segment_->offset() + record_.size() > limit)) {
      ARGUS_RETURN_IF_ERROR(NextSegment());
    }
    if (segment_->offset() > UINT32_MAX) {
      return Status::Errorf(Status::Code::kLimitExceeded, "a chunk of {} bytes is too large",
                            bytes.size());
    }
    ChunkRef ref = ChunkRef{segment_number_} << 32 | segment_->offset();
    ARGUS_RETURN_IF_ERROR(segment_->Append(record_));
    return ref;
  }

  Status NextSegment() {
    if (segment_) ARGUS_RETURN_IF_ERROR(segment_->SyncAndClose());
    auto segment = FileWriter::Create(tmp_ / "chunks" / format::SegmentFileName(++segment_number_));
    if (!segment.ok()) return segment.status();
    segment_ = std::move(*segment);
    std::string header(format::kChunksMagic);
    header += static_cast<char>(format::kVersion);
    header.append(3, '\0');
    return segment_->Append(header);
  }

  fs::path parent_, tmp_;
  Ulid ulid_;
  BlockWriterOptions options_;
  std::unique_ptr<IndexWriter> index_;
  std::unique_ptr<FileWriter> segment_;
  uint32_t segment_number_ = 0;
  std::string record_;
  std::vector<ChunkMeta> metas_;
  model::Labels last_;
  bool has_last_ = false;
  uint64_t num_chunks_ = 0;
  Status status_;         // The first write error; every later call returns it.
  bool created_ = false;  // The temporary directory is ours to delete.
  bool finished_ = false;
};

Result<std::unique_ptr<BlockWriter>> BlockWriter::Create(const fs::path& parent, const Ulid& ulid,
                                                         BlockWriterOptions options) {
  auto impl = std::make_unique<Impl>(parent, parent / (ulid.ToString() + ".tmp"), ulid, options);
  ARGUS_RETURN_IF_ERROR(impl->Start());
  return std::unique_ptr<BlockWriter>(new BlockWriter(std::move(impl)));
}

BlockWriter::BlockWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
BlockWriter::~BlockWriter() = default;

Status BlockWriter::AddSeries(const model::Labels& labels, std::span<const ChunkData> chunks) {
  return impl_->AddSeries(labels, chunks);
}

Result<fs::path> BlockWriter::Finish(BlockMeta meta) { return impl_->Finish(std::move(meta)); }

}  // namespace argus::tsdb
