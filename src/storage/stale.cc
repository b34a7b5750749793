#include <bit>
#include <cstdint>

#include "storage/querier.h"

namespace argus::storage {

static constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ULL;

double StaleNaN() { return std::bit_cast<double>(kStaleNaNBits); }

bool IsStaleNaN(double v) { return std::bit_cast<uint64_t>(v) == kStaleNaNBits; }

}  // namespace argus::storage
