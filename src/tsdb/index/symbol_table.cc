#include "tsdb/index/symbol_table.h"

#include "base/check.h"

namespace argus::tsdb {

SymbolTable::SymbolTable() : ids_(0, Hash{this}, Eq{this}) {}

uint32_t SymbolTable::Ref(std::string_view s) {
  if (auto it = ids_.find(s); it != ids_.end()) {
    ++entries_[*it].refs;
    return *it;
  }
  // The strings live in one buffer whose offsets are 32-bit: 4 GiB of distinct label text.
  CHECK(bytes_.size() + s.size() <= UINT32_MAX);
  uint32_t id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    id = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  }
  entries_[id] = {static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(s.size()), 1};
  bytes_.append(s);
  ids_.insert(id);
  return id;
}

void SymbolTable::Unref(uint32_t id) {
  Entry& e = entries_[id];
  DCHECK(e.refs > 0);
  if (--e.refs > 0) return;
  ids_.erase(id);  // Before the string goes: the set hashes it.
  dead_bytes_ += e.size;
  e = {};
  free_ids_.push_back(id);
  MaybeCompact();
}

std::optional<uint32_t> SymbolTable::Find(std::string_view s) const {
  auto it = ids_.find(s);
  if (it == ids_.end()) return std::nullopt;
  return *it;
}

size_t SymbolTable::MemoryBytes() const {
  return bytes_.capacity() + entries_.capacity() * sizeof(Entry) +
         free_ids_.capacity() * sizeof(uint32_t) + ids_.capacity() * (sizeof(uint32_t) + 1);
}

void SymbolTable::MaybeCompact() {
  if (dead_bytes_ < 4096 || dead_bytes_ < bytes_.size() / 2) return;
  std::string live;
  live.reserve(bytes_.size() - dead_bytes_);
  for (Entry& e : entries_) {
    if (e.refs == 0) continue;
    uint32_t offset = static_cast<uint32_t>(live.size());
    live.append(bytes_, e.offset, e.size);
    e.offset = offset;
  }
  // The set's hashes depend on the strings only, which are unchanged.
  bytes_ = std::move(live);
  dead_bytes_ = 0;
}

}  // namespace argus::tsdb
