#include "base/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace argus {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(Crc32cTest, KnownValues) {
  // The check values of CRC-32C (RFC 3720, appendix B.4, and the catalogue of CRCs).
  EXPECT_EQ(Crc32c(std::string_view("123456789")), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
  EXPECT_EQ(Crc32c(std::string_view("")), 0u);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string data = "The quick brown fox jumps over the lazy dog";
  for (size_t cut = 0; cut <= data.size(); ++cut) {
    std::string_view s(data);
    EXPECT_EQ(Crc32cExtend(Crc32c(s.substr(0, cut)), Bytes(s.substr(cut))), Crc32c(s)) << cut;
  }
}

}  // namespace
}  // namespace argus
