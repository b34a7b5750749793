#pragma once

// Constants of the sealed format that its encoder and decoder share (docs/format/chunks.md).

#include <cstdint>

namespace argus::tsdb {

// How the values section turns float64s into integers; the low two bits of its first byte, the
// transform's order (0, 1 or 2) in the next two.
enum class ValueKind : uint8_t {
  kConstant = 0,   // Every value has the same bits, stored once.
  kDecimal = 1,    // Integers scaled by a power of ten, with exceptions stored as raw bits.
  kFloatBits = 2,  // The float64 bits as integers that order like the values.
};

}  // namespace argus::tsdb
