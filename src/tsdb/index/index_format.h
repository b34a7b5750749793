#pragma once

// The layout of a block's index file (docs/format/index.md) and of its chunk segment files
// (docs/format/block.md), shared by their writers and readers. Internal to tsdb/index.

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace argus::tsdb::format {

// Both files start with 4 magic bytes, a version byte and 3 zero bytes.
inline constexpr size_t kHeaderSize = 8;
inline constexpr std::string_view kIndexMagic = "ARGI";
inline constexpr std::string_view kChunksMagic = "ARGC";
inline constexpr uint8_t kVersion = 1;

// The index' sections, in file order. Each is followed by the CRC32C of its bytes.
enum Section : size_t {
  kSeries,         // Series entries, back to back, in id order.
  kSeriesOffsets,  // u64 count, then a u64 offset (within kSeries) per series.
  kSymbols,        // u32 count, count + 1 u32 offsets into the string bytes, the string bytes.
  kPostings,       // Lists: u32 count, count u32 ids ascending.
  kLabelValues,    // 12-byte entries: u32 value symbol, u64 list offset (within kPostings).
  kLabelNames,     // u32 count, 12-byte entries: u32 name symbol, u32 first value, u32 values.
  kNumSections,
};
inline constexpr std::string_view kSectionNames[kNumSections] = {
    "series", "series offsets", "symbols", "postings", "label values", "label names"};

inline constexpr size_t kValueEntrySize = 12;
inline constexpr size_t kNameEntrySize = 12;
inline constexpr size_t kCrcSize = 4;
// The table of contents closes the file: per section a u64 offset and a u64 length (without its
// CRC), then the CRC32C of those 96 bytes.
inline constexpr size_t kTocSize = kNumSections * 16 + kCrcSize;

// Chunk segments are chunks/000001, chunks/000002, ...
inline std::string SegmentFileName(uint32_t number) { return fmt::format("{:06}", number); }

}  // namespace argus::tsdb::format
