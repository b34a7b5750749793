#include "tsdb/index/mem_index.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <roaring/roaring.h>

#include <algorithm>
#include <array>

#include "base/check.h"
#include "base/encoding.h"
#include "tsdb/index/symbol_table.h"

namespace argus::tsdb {
namespace {

struct BitmapDeleter {
  void operator()(roaring_bitmap_t* b) const { roaring_bitmap_free(b); }
};
using Bitmap = std::unique_ptr<roaring_bitmap_t, BitmapDeleter>;

Bitmap NewBitmap() { return Bitmap(roaring_bitmap_create()); }

// The heap bytes of a bitmap: its containers as serialized plus the structures around them.
size_t BitmapBytes(const roaring_bitmap_t* b) {
  constexpr size_t kPerBitmap = sizeof(roaring_bitmap_t) + 16;
  constexpr size_t kPerContainer = sizeof(void*) + 3 + 32;
  return kPerBitmap + roaring_bitmap_portable_size_in_bytes(b) +
         static_cast<size_t>(b->high_low_container.allocation_size) * kPerContainer;
}

// Walks a private copy of a bitmap.
class BitmapPostings final : public Postings {
 public:
  explicit BitmapPostings(Bitmap bitmap) : bitmap_(std::move(bitmap)) {}
  bool Next() override {
    if (!started_) return Start();
    return it_.has_value && roaring_advance_uint32_iterator(&it_);
  }
  bool Seek(SeriesId target) override {
    if (!started_ && !Start()) return false;
    if (!it_.has_value) return false;
    if (it_.current_value >= target) return true;
    if (target > UINT32_MAX) {
      it_.has_value = false;
      return false;
    }
    return roaring_move_uint32_iterator_equalorlarger(&it_, static_cast<uint32_t>(target));
  }
  SeriesId At() const override { return it_.current_value; }
  Status Err() const override { return Status::Ok(); }

 private:
  bool Start() {
    started_ = true;
    roaring_init_iterator(bitmap_.get(), &it_);
    return it_.has_value;
  }
  Bitmap bitmap_;
  roaring_uint32_iterator_t it_{};
  bool started_ = false;
};

// Series labels live back to back in pages of this size, each entry its size (2 bytes), a varint
// count and varint (name, value) symbol pairs. A location is page * kPageSize + offset, in 32
// bits: 4 GiB of entries.
constexpr uint32_t kPageSize = 1 << 16;
// Ids map to locations through pages of this many slots, freed when their last series goes.
constexpr uint32_t kSlotsPerPage = 4096;
constexpr uint32_t kAbsent = UINT32_MAX;
constexpr size_t kAddsPerCompaction = 16384;

struct SlotPage {
  SlotPage() { slots.fill(kAbsent); }
  std::array<uint32_t, kSlotsPerPage> slots;
  uint32_t live = 0;
};

}  // namespace

struct MemIndex::State {
  SymbolTable symbols;
  std::vector<std::unique_ptr<SlotPage>> slot_pages;  // Index: id / kSlotsPerPage.
  std::vector<std::unique_ptr<char[]>> label_pages;
  uint32_t label_tail = kPageSize;  // Bytes used in the last label page.
  size_t label_bytes = 0, dead_label_bytes = 0;
  // name symbol -> value symbol -> series.
  absl::flat_hash_map<uint32_t, absl::flat_hash_map<uint32_t, Bitmap>> postings;
  Bitmap all = NewBitmap();
  size_t num_series = 0;
  // Bitmaps changed since they were last compacted, and the adds since then.
  absl::flat_hash_set<roaring_bitmap_t*> dirty;
  size_t adds_since_compaction = 0;
  std::string entry_scratch;  // Add encodes a series' entry here.

  // Turns runs of ids into run containers (a container's series are mostly added one after
  // another, so this halves the postings' memory) and returns spare room. Done every
  // kAddsPerCompaction adds rather than each time, as it walks whole bitmaps.
  void CompactDirtyBitmaps() {
    for (roaring_bitmap_t* b : dirty) {
      roaring_bitmap_run_optimize(b);
      roaring_bitmap_shrink_to_fit(b);
    }
    dirty.clear();
    adds_since_compaction = 0;
  }

  uint32_t* Slot(SeriesId id) {
    size_t page = id / kSlotsPerPage;
    if (page >= slot_pages.size() || !slot_pages[page]) return nullptr;
    return &slot_pages[page]->slots[id % kSlotsPerPage];
  }
  const uint32_t* Slot(SeriesId id) const { return const_cast<State*>(this)->Slot(id); }

  static std::string_view EntryIn(const std::vector<std::unique_ptr<char[]>>& pages,
                                  uint32_t location) {
    const char* p = pages[location / kPageSize].get() + location % kPageSize;
    size_t size = static_cast<unsigned char>(p[0]) | size_t{static_cast<unsigned char>(p[1])} << 8;
    return std::string_view(p + 2, size);
  }
  std::string_view Entry(uint32_t location) const { return EntryIn(label_pages, location); }

  // Stores an encoded entry (prefixed by its 16-bit size) and returns its location.
  uint32_t Store(std::string_view entry) {
    size_t need = entry.size() + 2;
    if (label_tail + need > kPageSize) {
      CHECK(label_pages.size() < UINT32_MAX / kPageSize);  // 4 GiB of labels.
      label_pages.push_back(std::make_unique_for_overwrite<char[]>(kPageSize));
      label_tail = 0;
    }
    uint32_t location = static_cast<uint32_t>((label_pages.size() - 1) * kPageSize + label_tail);
    char* p = label_pages.back().get() + label_tail;
    p[0] = static_cast<char>(entry.size());
    p[1] = static_cast<char>(entry.size() >> 8);
    std::copy(entry.begin(), entry.end(), p + 2);
    label_tail += static_cast<uint32_t>(need);
    label_bytes += need;
    return location;
  }

  template <typename F>  // f(name_symbol, value_symbol)
  void ForEachPair(uint32_t location, F f) const {
    encoding::Decoder d(Entry(location));
    for (uint64_t n = d.Uvarint(); n > 0; --n) {
      auto name = static_cast<uint32_t>(d.Uvarint());
      f(name, static_cast<uint32_t>(d.Uvarint()));
    }
  }

  // Moves the live entries into fresh pages once released ones are most of the bytes.
  void MaybeCompactLabels() {
    if (dead_label_bytes < kPageSize || dead_label_bytes < label_bytes / 2) return;
    auto old_pages = std::move(label_pages);
    label_pages.clear();
    label_tail = kPageSize;
    label_bytes = dead_label_bytes = 0;
    for (auto& page : slot_pages) {
      if (!page) continue;
      for (uint32_t& slot : page->slots) {
        if (slot == kAbsent) continue;
        slot = Store(EntryIn(old_pages, slot));
      }
    }
  }

  const roaring_bitmap_t* Find(std::string_view name, std::string_view value) const {
    auto n = symbols.Find(name), v = symbols.Find(value);
    if (!n || !v) return nullptr;
    auto values = postings.find(*n);
    if (values == postings.end()) return nullptr;
    auto it = values->second.find(*v);
    return it == values->second.end() ? nullptr : it->second.get();
  }
};

MemIndex::MemIndex() : state_(std::make_unique<State>()) {}
MemIndex::~MemIndex() = default;

Status MemIndex::Add(SeriesId id, const model::Labels& labels) {
  if (id > kMaxId) {
    return Status::Errorf(Status::Code::kLimitExceeded,
                          "series id {} is beyond the head index' limit of {}", id, kMaxId);
  }
  if (labels.size() > kMaxLabels) {
    return Status::Errorf(Status::Code::kLimitExceeded, "series {} has more than {} labels",
                          labels.ToString(), kMaxLabels);
  }
  absl::WriterMutexLock lock(&mu_);
  State& s = *state_;
  size_t page = id / kSlotsPerPage;
  if (page >= s.slot_pages.size()) s.slot_pages.resize(page + 1);
  if (!s.slot_pages[page]) s.slot_pages[page] = std::make_unique<SlotPage>();
  uint32_t& slot = s.slot_pages[page]->slots[id % kSlotsPerPage];
  if (slot != kAbsent) {
    return Status::Errorf(Status::Code::kDuplicate, "series id {} is already in the index", id);
  }
  std::string& entry = s.entry_scratch;
  entry.clear();
  encoding::PutUvarint(entry, labels.size());
  for (const auto& l : labels) {
    uint32_t name = s.symbols.Ref(l.name), value = s.symbols.Ref(l.value);
    encoding::PutUvarint(entry, name);
    encoding::PutUvarint(entry, value);
    Bitmap& bitmap = s.postings[name][value];
    if (!bitmap) bitmap = NewBitmap();
    roaring_bitmap_add(bitmap.get(), static_cast<uint32_t>(id));
    s.dirty.insert(bitmap.get());
  }
  DCHECK(entry.size() <= UINT16_MAX);  // kMaxLabels pairs of two 5-byte varints at the most.
  slot = s.Store(entry);
  ++s.slot_pages[page]->live;
  roaring_bitmap_add(s.all.get(), static_cast<uint32_t>(id));
  s.dirty.insert(s.all.get());
  ++s.num_series;
  if (++s.adds_since_compaction == kAddsPerCompaction) s.CompactDirtyBitmaps();
  return Status::Ok();
}

void MemIndex::Remove(std::span<const SeriesId> ids) {
  absl::WriterMutexLock lock(&mu_);
  State& s = *state_;
  for (SeriesId id : ids) {
    uint32_t* slot = s.Slot(id);
    if (!slot || *slot == kAbsent) continue;
    auto id32 = static_cast<uint32_t>(id);
    s.ForEachPair(*slot, [&](uint32_t name, uint32_t value) {
      auto values = s.postings.find(name);
      auto it = values->second.find(value);
      roaring_bitmap_remove(it->second.get(), id32);
      if (roaring_bitmap_is_empty(it->second.get())) {
        s.dirty.erase(it->second.get());
        values->second.erase(it);
        if (values->second.empty()) s.postings.erase(values);
      } else {
        s.dirty.insert(it->second.get());
      }
      s.symbols.Unref(name);
      s.symbols.Unref(value);
    });
    s.dead_label_bytes += s.Entry(*slot).size() + 2;
    *slot = kAbsent;
    auto& page = s.slot_pages[id / kSlotsPerPage];
    if (--page->live == 0) page.reset();
    roaring_bitmap_remove(s.all.get(), id32);
    --s.num_series;
  }
  s.dirty.insert(s.all.get());
  s.CompactDirtyBitmaps();
  while (!s.slot_pages.empty() && !s.slot_pages.back()) s.slot_pages.pop_back();
  s.MaybeCompactLabels();
}

size_t MemIndex::NumSeries() const {
  absl::ReaderMutexLock lock(&mu_);
  return state_->num_series;
}

size_t MemIndex::MemoryBytes() const {
  absl::ReaderMutexLock lock(&mu_);
  const State& s = *state_;
  size_t bytes = s.symbols.MemoryBytes() + BitmapBytes(s.all.get());
  bytes += s.slot_pages.capacity() * sizeof(void*);
  for (const auto& page : s.slot_pages) bytes += page ? sizeof(SlotPage) : 0;
  bytes += s.label_pages.size() * kPageSize + s.dirty.capacity() * (sizeof(void*) + 1);
  using Values = absl::flat_hash_map<uint32_t, Bitmap>;
  bytes += s.postings.capacity() * (sizeof(uint32_t) + sizeof(Values) + 1);
  for (const auto& [name, values] : s.postings) {
    bytes += values.capacity() * (sizeof(uint32_t) + sizeof(Bitmap) + 1);
    for (const auto& [value, bitmap] : values) bytes += BitmapBytes(bitmap.get());
  }
  return bytes;
}

std::unique_ptr<Postings> MemIndex::PostingsFor(std::string_view name,
                                                std::string_view value) const {
  absl::ReaderMutexLock lock(&mu_);
  const roaring_bitmap_t* bitmap = state_->Find(name, value);
  if (!bitmap) return EmptyPostings();
  return std::make_unique<BitmapPostings>(Bitmap(roaring_bitmap_copy(bitmap)));
}

std::unique_ptr<Postings> MemIndex::AllPostings() const {
  absl::ReaderMutexLock lock(&mu_);
  return std::make_unique<BitmapPostings>(Bitmap(roaring_bitmap_copy(state_->all.get())));
}

Status MemIndex::VisitLabelValues(std::string_view name, const ValueRange& range,
                                  absl::FunctionRef<bool(std::string_view)> visit) const {
  absl::ReaderMutexLock lock(&mu_);
  const State& s = *state_;
  auto n = s.symbols.Find(name);
  if (!n) return Status::Ok();
  auto values = s.postings.find(*n);
  if (values == s.postings.end()) return Status::Ok();
  std::vector<std::string_view> sorted;
  for (const auto& [value, bitmap] : values->second) {
    std::string_view v = s.symbols.Get(value);
    if (range.Contains(v)) sorted.push_back(v);
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::string_view v : sorted) {
    if (!visit(v)) break;
  }
  return Status::Ok();
}

Result<std::vector<std::string>> MemIndex::LabelNames() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::string> names;
  for (const auto& [name, values] : state_->postings) {
    names.emplace_back(state_->symbols.Get(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status MemIndex::SeriesLabels(SeriesId id, model::LabelsBuilder& builder) const {
  absl::ReaderMutexLock lock(&mu_);
  const State& s = *state_;
  const uint32_t* slot = s.Slot(id);
  if (!slot || *slot == kAbsent) {
    return Status::Errorf(Status::Code::kInvalidInput, "no series with id {} in the head", id);
  }
  builder.Reset();
  s.ForEachPair(*slot, [&](uint32_t name, uint32_t value) {
    builder.Add(s.symbols.Get(name), s.symbols.Get(value));
  });
  return Status::Ok();
}

}  // namespace argus::tsdb
