#include "tsdb/index/index_writer.h"

#include <algorithm>

#include "base/crc32c.h"
#include "base/encoding.h"
#include "tsdb/index/index_format.h"

namespace argus::tsdb {

using encoding::PutFixed32;
using encoding::PutFixed64;
using encoding::PutUvarint;

Result<std::unique_ptr<IndexWriter>> IndexWriter::Create(const std::filesystem::path& path) {
  auto file = FileWriter::Create(path);
  if (!file.ok()) return file.status();
  auto writer = std::unique_ptr<IndexWriter>(new IndexWriter(std::move(*file)));
  std::string header(format::kIndexMagic);
  header += static_cast<char>(format::kVersion);
  header.append(3, '\0');
  ARGUS_RETURN_IF_ERROR(writer->file_->Append(header));
  writer->file_->BeginSection();
  return writer;
}

uint32_t IndexWriter::Symbol(std::string_view s) {
  if (auto it = symbol_ids_.find(s); it != symbol_ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(symbols_.size());
  symbol_ids_.emplace(symbols_.emplace_back(s), id);  // Keyed by a view of the stored copy.
  return id;
}

Status IndexWriter::AddSeries(const model::Labels& labels, std::span<const ChunkMeta> chunks) {
  if (series_offsets_.size() > UINT32_MAX) {
    return Status::Error("a block holds at most 2^32 series", Status::Code::kLimitExceeded);
  }
  auto id = static_cast<uint32_t>(series_offsets_.size());
  // Within the series section, which starts right after the header.
  series_offsets_.push_back(file_->offset() - format::kHeaderSize);
  entry_.clear();
  PutUvarint(entry_, labels.size());
  for (const auto& l : labels) {
    uint32_t name = Symbol(l.name), value = Symbol(l.value);
    PutUvarint(entry_, name);
    PutUvarint(entry_, value);
    postings_[uint64_t{name} << 32 | value].push_back(id);
  }
  PutUvarint(entry_, chunks.size());
  // Deltas in unsigned arithmetic, which wraps where extreme times would overflow; the reader
  // adds them back the same way.
  uint64_t previous_max_time = 0, previous_ref = 0;
  for (const ChunkMeta& c : chunks) {
    auto min_time = static_cast<uint64_t>(c.min_time), max_time = static_cast<uint64_t>(c.max_time);
    encoding::PutVarint(entry_, static_cast<int64_t>(min_time - previous_max_time));
    PutUvarint(entry_, c.ref - previous_ref);
    PutUvarint(entry_, max_time - min_time);
    previous_max_time = max_time;
    previous_ref = c.ref;
  }
  return file_->Append(entry_);
}

Status IndexWriter::EndSection(size_t section) {
  auto length = file_->EndSection();
  if (!length.ok()) return length.status();
  section_offsets_[section] = file_->offset() - *length - format::kCrcSize;
  section_lengths_[section] = *length;
  if (section + 1 < format::kNumSections) file_->BeginSection();
  return Status::Ok();
}

Status IndexWriter::WriteSymbols() {
  std::string out;
  PutFixed32(out, static_cast<uint32_t>(symbols_.size()));
  uint64_t offset = 0;
  for (const auto& s : symbols_) {
    PutFixed32(out, static_cast<uint32_t>(offset));
    offset += s.size();
  }
  if (offset > UINT32_MAX) {
    return Status::Error("a block's symbols hold at most 4 GiB", Status::Code::kLimitExceeded);
  }
  PutFixed32(out, static_cast<uint32_t>(offset));
  ARGUS_RETURN_IF_ERROR(file_->Append(out));
  for (const auto& s : symbols_) ARGUS_RETURN_IF_ERROR(file_->Append(s));
  return EndSection(format::kSymbols);
}

Status IndexWriter::WritePostingsAndTables() {
  // Label names sorted, and for each its values sorted, by their bytes.
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> values_of;
  for (const auto& [key, ids] : postings_) {
    values_of[static_cast<uint32_t>(key >> 32)].push_back(static_cast<uint32_t>(key));
  }
  auto by_text = [&](uint32_t a, uint32_t b) { return symbols_[a] < symbols_[b]; };
  std::vector<uint32_t> names;
  for (auto& [name, values] : values_of) {
    names.push_back(name);
    std::sort(values.begin(), values.end(), by_text);
  }
  std::sort(names.begin(), names.end(), by_text);

  std::string list, value_table, name_table;
  PutFixed32(name_table, static_cast<uint32_t>(names.size()));
  uint64_t postings_offset = 0;
  uint32_t value_index = 0;
  for (uint32_t name : names) {
    const auto& values = values_of[name];
    PutFixed32(name_table, name);
    PutFixed32(name_table, value_index);
    PutFixed32(name_table, static_cast<uint32_t>(values.size()));
    value_index += static_cast<uint32_t>(values.size());
    for (uint32_t value : values) {
      const auto& ids = postings_[uint64_t{name} << 32 | value];
      list.clear();
      PutFixed32(list, static_cast<uint32_t>(ids.size()));
      for (uint32_t id : ids) PutFixed32(list, id);
      ARGUS_RETURN_IF_ERROR(file_->Append(list));
      PutFixed32(value_table, value);
      PutFixed64(value_table, postings_offset);
      postings_offset += list.size();
    }
  }
  ARGUS_RETURN_IF_ERROR(EndSection(format::kPostings));
  ARGUS_RETURN_IF_ERROR(file_->Append(value_table));
  ARGUS_RETURN_IF_ERROR(EndSection(format::kLabelValues));
  ARGUS_RETURN_IF_ERROR(file_->Append(name_table));
  return EndSection(format::kLabelNames);
}

Status IndexWriter::WriteToc() {
  std::string toc;
  for (size_t i = 0; i < format::kNumSections; ++i) {
    PutFixed64(toc, section_offsets_[i]);
    PutFixed64(toc, section_lengths_[i]);
  }
  PutFixed32(toc, Crc32c(toc));
  return file_->Append(toc);
}

Status IndexWriter::Finish() {
  ARGUS_RETURN_IF_ERROR(EndSection(format::kSeries));
  std::string offsets;
  PutFixed64(offsets, series_offsets_.size());
  for (uint64_t o : series_offsets_) PutFixed64(offsets, o);
  ARGUS_RETURN_IF_ERROR(file_->Append(offsets));
  ARGUS_RETURN_IF_ERROR(EndSection(format::kSeriesOffsets));
  ARGUS_RETURN_IF_ERROR(WriteSymbols());
  ARGUS_RETURN_IF_ERROR(WritePostingsAndTables());
  ARGUS_RETURN_IF_ERROR(WriteToc());
  return file_->SyncAndClose();
}

}  // namespace argus::tsdb
