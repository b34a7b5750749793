#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace argus {

// CRC-32C (Castagnoli), the checksum of every record and file that Argus writes to disk (the
// same polynomial as Prometheus' WAL and index). Computed with the CPU's crc32 instruction where
// it exists (through ISA-L). Thread-safe.
uint32_t Crc32c(std::span<const uint8_t> data);
uint32_t Crc32c(std::string_view data);

// The checksum of the concatenation of what `crc` was computed over and `data`:
// Crc32cExtend(Crc32c(a), b) == Crc32c(a + b).
uint32_t Crc32cExtend(uint32_t crc, std::span<const uint8_t> data);

}  // namespace argus
