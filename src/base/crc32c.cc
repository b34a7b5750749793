#include "base/crc32c.h"

#include <isa-l/crc.h>

#include <algorithm>
#include <climits>

#include "base/check.h"

namespace argus {

uint32_t Crc32cExtend(uint32_t crc, std::span<const uint8_t> data) {
  // ISA-L works on the register value, which is the finished checksum inverted.
  uint32_t state = ~crc;
  while (!data.empty()) {
    size_t n = std::min<size_t>(data.size(), INT_MAX);
    state = crc32_iscsi(const_cast<uint8_t*>(data.data()), static_cast<int>(n), state);
    data = data.subspan(n);
  }
  return ~state;
}

uint32_t Crc32c(std::span<const uint8_t> data) { return Crc32cExtend(0, data); }

uint32_t Crc32c(std::string_view data) {
  return Crc32c(std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

}  // namespace argus
