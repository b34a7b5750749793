#pragma once

#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace argus::tsdb {

// Interns the strings of the head's index: each distinct string is stored once and known by a
// small id, which stays the same while the string is referenced. Reference-counted, so that a
// string goes when its last series does; released ids are handed out again. Not thread-safe: the
// MemIndex's lock guards it.
class SymbolTable {
 public:
  SymbolTable();
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;

  // The id of `s`, interning it if new; counts one more reference.
  uint32_t Ref(std::string_view s);
  // Drops one reference to `id`; the last one releases the string and its id.
  void Unref(uint32_t id);
  // The id of `s` if it is interned.
  std::optional<uint32_t> Find(std::string_view s) const;
  // The string of a live id; the view is valid until the next Ref or Unref.
  std::string_view Get(uint32_t id) const {
    return std::string_view(bytes_).substr(entries_[id].offset, entries_[id].size);
  }

  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint32_t offset = 0;  // In bytes_.
    uint32_t size = 0;
    uint32_t refs = 0;  // 0: released, id on free_ids_.
  };
  // Hashes and compares ids by their strings, so the set can be probed with a string_view.
  struct Hash {
    using is_transparent = void;
    const SymbolTable* table;
    size_t operator()(uint32_t id) const { return (*this)(table->Get(id)); }
    size_t operator()(std::string_view s) const { return absl::Hash<std::string_view>()(s); }
  };
  struct Eq {
    using is_transparent = void;
    const SymbolTable* table;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, std::string_view b) const { return table->Get(a) == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == table->Get(b); }
  };
  // Rewrites bytes_ without the released strings once they are most of it.
  void MaybeCompact();

  std::string bytes_;  // The strings, back to back.
  size_t dead_bytes_ = 0;
  std::vector<Entry> entries_;  // By id.
  std::vector<uint32_t> free_ids_;
  absl::flat_hash_set<uint32_t, Hash, Eq> ids_;
};

}  // namespace argus::tsdb
