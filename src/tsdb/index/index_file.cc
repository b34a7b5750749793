#include "tsdb/index/index_file.h"

#include <algorithm>

#include "base/crc32c.h"
#include "base/encoding.h"
#include "tsdb/index/gallop.h"

namespace argus::tsdb {
namespace {

using encoding::LoadFixed32;
using encoding::LoadFixed64;

std::string_view AsText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A postings list read in place: little-endian u32 ids.
class DiskPostings final : public Postings {
 public:
  DiskPostings(const uint8_t* ids, uint32_t count) : ids_(ids), count_(count) {}
  bool Next() override {
    if (started_ && pos_ < count_) ++pos_;
    started_ = true;
    return pos_ < count_;
  }
  bool Seek(SeriesId target) override {
    started_ = true;
    pos_ = static_cast<uint32_t>(GallopTo(pos_, count_, target, [&](size_t i) { return Id(i); }));
    return pos_ < count_;
  }
  SeriesId At() const override { return Id(pos_); }
  Status Err() const override { return Status::Ok(); }

 private:
  SeriesId Id(size_t i) const { return LoadFixed32(ids_ + 4 * i); }
  const uint8_t* ids_;
  uint32_t count_;
  uint32_t pos_ = 0;
  bool started_ = false;
};

// The ids [0, end): every series of a block.
class RangePostings final : public Postings {
 public:
  explicit RangePostings(SeriesId end) : end_(end) {}
  bool Next() override {
    if (started_ && current_ < end_) ++current_;
    started_ = true;
    return current_ < end_;
  }
  bool Seek(SeriesId target) override {
    started_ = true;
    current_ = std::max(current_, target);
    return current_ < end_;
  }
  SeriesId At() const override { return current_; }
  Status Err() const override { return Status::Ok(); }

 private:
  SeriesId end_;
  SeriesId current_ = 0;
  bool started_ = false;
};

}  // namespace

Result<std::unique_ptr<IndexFile>> IndexFile::Open(std::span<const uint8_t> bytes, std::string name,
                                                   const CrcFunction& crc_of) {
  auto file = std::unique_ptr<IndexFile>(new IndexFile(bytes, std::move(name)));
  ARGUS_RETURN_IF_ERROR(file->CheckLayout(crc_of));
  ARGUS_RETURN_IF_ERROR(file->ReadTables());
  return file;
}

Status IndexFile::Corrupt(format::Section section, uint64_t offset, std::string_view what) const {
  return Status::Errorf(Status::Code::kCorruption, "{}: {} section, byte {}: {}", name_,
                        format::kSectionNames[section], section_offsets_[section] + offset, what);
}

Status IndexFile::CheckLayout(const CrcFunction& crc_of) {
  auto corrupt = [&](uint64_t offset, std::string_view what) {
    return Status::Errorf(Status::Code::kCorruption, "{}: byte {}: {}", name_, offset, what);
  };
  if (bytes_.size() < format::kHeaderSize + format::kTocSize) {
    return corrupt(0, fmt::format("{} bytes are too few for an index", bytes_.size()));
  }
  if (AsText(bytes_.first(4)) != format::kIndexMagic) return corrupt(0, "not an index file");
  if (bytes_[4] != format::kVersion) {
    return corrupt(4, fmt::format("unknown version {}", bytes_[4]));
  }
  if (bytes_[5] != 0 || bytes_[6] != 0 || bytes_[7] != 0) return corrupt(5, "bad header padding");
  uint64_t toc = bytes_.size() - format::kTocSize;
  auto toc_bytes = bytes_.subspan(toc, format::kTocSize - format::kCrcSize);
  if (Crc32c(toc_bytes) != LoadFixed32(bytes_.data() + bytes_.size() - format::kCrcSize)) {
    return corrupt(toc, "checksum mismatch in the table of contents");
  }
  uint64_t end = format::kHeaderSize;  // Where the previous section's CRC ended.
  for (size_t s = 0; s < format::kNumSections; ++s) {
    uint64_t offset = LoadFixed64(toc_bytes.data() + 16 * s);
    uint64_t length = LoadFixed64(toc_bytes.data() + 16 * s + 8);
    if (offset < end || offset > toc || toc - offset < format::kCrcSize ||
        length > toc - offset - format::kCrcSize) {
      return corrupt(toc + 16 * s,
                     fmt::format("the {} section's place (offset {}, {} bytes) is impossible",
                                 format::kSectionNames[s], offset, length));
    }
    section_offsets_[s] = offset;
    section_lengths_[s] = length;
    end = offset + length + format::kCrcSize;
    uint32_t crc;
    if (crc_of) {
      auto computed = crc_of(offset, length);
      if (!computed.ok()) return computed.status();
      crc = *computed;
    } else {
      crc = Crc32c(bytes_.subspan(offset, length));
    }
    if (crc != LoadFixed32(bytes_.data() + offset + length)) {
      return Corrupt(static_cast<format::Section>(s), length, "checksum mismatch");
    }
  }
  return Status::Ok();
}

Status IndexFile::ReadTables() {
  auto offsets = Section(format::kSeriesOffsets);
  if (offsets.size() < 8 || (offsets.size() - 8) / 8 != LoadFixed64(offsets.data()) ||
      offsets.size() % 8 != 0) {
    return Corrupt(format::kSeriesOffsets, 0, "the count does not match the size");
  }
  num_series_ = LoadFixed64(offsets.data());
  auto symbols = Section(format::kSymbols);
  if (symbols.size() < 4) return Corrupt(format::kSymbols, 0, "too short");
  num_symbols_ = LoadFixed32(symbols.data());
  if ((symbols.size() - 4) / 4 < uint64_t{num_symbols_} + 1) {
    return Corrupt(format::kSymbols, 0, "the count does not fit the size");
  }
  auto values = Section(format::kLabelValues);
  if (values.size() % format::kValueEntrySize != 0) {
    return Corrupt(format::kLabelValues, 0, "the size is not a whole number of entries");
  }
  num_values_ = values.size() / format::kValueEntrySize;
  auto names = Section(format::kLabelNames);
  if (names.size() < 4 ||
      (names.size() - 4) != uint64_t{LoadFixed32(names.data())} * format::kNameEntrySize) {
    return Corrupt(format::kLabelNames, 0, "the count does not match the size");
  }
  uint32_t count = LoadFixed32(names.data());
  names_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* e = names.data() + 4 + size_t{i} * format::kNameEntrySize;
    Name n{{}, LoadFixed32(e + 4), LoadFixed32(e + 8)};
    if (!Symbol(LoadFixed32(e), &n.name) || uint64_t{n.first_value} + n.num_values > num_values_) {
      return Corrupt(format::kLabelNames, 4 + i * format::kNameEntrySize, "bad entry");
    }
    if (!names_.empty() && names_.back().name >= n.name) {
      return Corrupt(format::kLabelNames, 4 + i * format::kNameEntrySize, "names out of order");
    }
    names_.push_back(n);
  }
  return Status::Ok();
}

bool IndexFile::Symbol(uint32_t id, std::string_view* out) const {
  if (id >= num_symbols_) return false;
  auto symbols = Section(format::kSymbols);
  size_t data = 4 + 4 * (size_t{num_symbols_} + 1);
  uint32_t begin = LoadFixed32(symbols.data() + 4 + 4 * size_t{id});
  uint32_t end = LoadFixed32(symbols.data() + 8 + 4 * size_t{id});
  if (begin > end || end > symbols.size() - data) return false;
  *out = AsText(symbols.subspan(data + begin, end - begin));
  return true;
}

const IndexFile::Name* IndexFile::FindName(std::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name,
                             [](const Name& n, std::string_view v) { return n.name < v; });
  return it != names_.end() && it->name == name ? &*it : nullptr;
}

std::string_view IndexFile::ValueAt(uint32_t entry, bool* ok) const {
  std::string_view value;
  const uint8_t* e = Section(format::kLabelValues).data() + size_t{entry} * format::kValueEntrySize;
  *ok = Symbol(LoadFixed32(e), &value);
  return value;
}

Result<uint32_t> IndexFile::LowerBound(const Name& name, std::string_view value) const {
  uint32_t low = name.first_value, high = name.first_value + name.num_values;
  while (low < high) {
    uint32_t mid = low + (high - low) / 2;
    bool ok;
    std::string_view v = ValueAt(mid, &ok);
    if (!ok) {
      return Corrupt(format::kLabelValues, size_t{mid} * format::kValueEntrySize,
                     "value symbol out of range");
    }
    if (v < value) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

std::unique_ptr<Postings> IndexFile::PostingsFor(std::string_view name,
                                                 std::string_view value) const {
  const Name* n = FindName(name);
  if (!n) return EmptyPostings();
  auto entry = LowerBound(*n, value);
  if (!entry.ok()) return ErrorPostings(entry.status());
  bool ok;
  if (*entry == n->first_value + n->num_values || ValueAt(*entry, &ok) != value) {
    return EmptyPostings();
  }
  const uint8_t* e =
      Section(format::kLabelValues).data() + size_t{*entry} * format::kValueEntrySize;
  uint64_t offset = LoadFixed64(e + 4);
  auto postings = Section(format::kPostings);
  if (offset > postings.size() || postings.size() - offset < 4 ||
      (postings.size() - offset - 4) / 4 < LoadFixed32(postings.data() + offset)) {
    return ErrorPostings(Corrupt(format::kPostings, offset, "list out of bounds"));
  }
  return std::make_unique<DiskPostings>(postings.data() + offset + 4,
                                        LoadFixed32(postings.data() + offset));
}

std::unique_ptr<Postings> IndexFile::AllPostings() const {
  return std::make_unique<RangePostings>(num_series_);
}

Status IndexFile::VisitLabelValues(std::string_view name, const ValueRange& range,
                                   absl::FunctionRef<bool(std::string_view)> visit) const {
  const Name* n = FindName(name);
  if (!n) return Status::Ok();
  auto first = LowerBound(*n, range.min);
  if (!first.ok()) return first.status();
  for (uint32_t i = *first; i < n->first_value + n->num_values; ++i) {
    bool ok;
    std::string_view v = ValueAt(i, &ok);
    if (!ok) {
      return Corrupt(format::kLabelValues, size_t{i} * format::kValueEntrySize,
                     "value symbol out of range");
    }
    if (range.max && v > *range.max) break;
    if (!visit(v)) break;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> IndexFile::LabelNames() const {
  std::vector<std::string> out;
  out.reserve(names_.size());
  for (const Name& n : names_) out.emplace_back(n.name);
  return out;
}

Status IndexFile::Series(SeriesId id, model::LabelsBuilder& labels,
                         std::vector<ChunkMeta>* chunks) const {
  if (id >= num_series_) {
    return Status::Errorf(Status::Code::kInvalidInput, "{}: no series {} (the block has {})", name_,
                          id, num_series_);
  }
  uint64_t offset = LoadFixed64(Section(format::kSeriesOffsets).data() + 8 + 8 * id);
  auto series = Section(format::kSeries);
  if (offset >= series.size()) return Corrupt(format::kSeriesOffsets, 8 + 8 * id, "bad offset");
  encoding::Decoder d(series.subspan(offset));
  labels.Reset();
  uint64_t num_labels = d.Uvarint();
  if (num_labels > d.remaining()) return Corrupt(format::kSeries, offset, "bad label count");
  for (uint64_t i = 0; i < num_labels; ++i) {
    uint64_t name_id = d.Uvarint(), value_id = d.Uvarint();
    std::string_view name, value;
    if (d.failed() || name_id > UINT32_MAX || value_id > UINT32_MAX ||
        !Symbol(static_cast<uint32_t>(name_id), &name) ||
        !Symbol(static_cast<uint32_t>(value_id), &value)) {
      return Corrupt(format::kSeries, offset, "bad label reference");
    }
    labels.Add(name, value);
  }
  uint64_t num_chunks = d.Uvarint();
  if (d.failed() || num_chunks > d.remaining()) {
    return Corrupt(format::kSeries, offset, "bad chunk count");
  }
  if (!chunks) return Status::Ok();
  chunks->clear();
  // Unsigned arithmetic: damaged deltas wrap instead of overflowing.
  uint64_t max_time = 0, ref = 0;
  for (uint64_t i = 0; i < num_chunks; ++i) {
    uint64_t min_time = max_time + static_cast<uint64_t>(d.Varint());
    ref += d.Uvarint();
    max_time = min_time + d.Uvarint();
    chunks->push_back({static_cast<int64_t>(min_time), static_cast<int64_t>(max_time), ref});
  }
  if (d.failed()) return Corrupt(format::kSeries, offset, "entry cut short");
  return Status::Ok();
}

}  // namespace argus::tsdb
