// Pins the bytes of an event store segment to the example of docs/format/events.md: a change to
// them is a change of the on-disk format, which the document and the readers of old segments
// must follow.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "events/store.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::events {
namespace {

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

const Event kExample = {1'700'000'000'000,
                        "deploy",
                        {{"service", "api"}, {"version", "1.4.2"}},
                        "api 1.4.2",
                        "https://ci/1"};

TEST(FormatTest, SegmentBytes) {
  tsdb::wal::wal_test::ScratchDir dir;
  {
    auto store = Store::Open(dir.path());
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->Append(kExample).ok());
  }
  EXPECT_EQ(Hex(tsdb::wal::wal_test::ReadFile(dir.path() / "00000000")),
            // Frame: length 64, CRC32C of the record, CRC32C of those 8 bytes.
            "40000000"
            "703c2204"
            "5bdbf2ab"
            // Event record: type 1, time zigzag(1700000000000).
            "01"
            "80a0abfef962"
            // kind "deploy", 2 labels: "service"="api", "version"="1.4.2".
            "066465706c6f79"
            "02"
            "0773657276696365"
            "03617069"
            "0776657273696f6e"
            "05312e342e32"
            // text "api 1.4.2", link "https://ci/1".
            "0961706920312e342e32"
            "0c68747470733a2f2f63692f31");
}

// A segment written by hand from the document reads back as the event it describes.
TEST(FormatTest, TheDocumentedBytesReadBack) {
  tsdb::wal::wal_test::ScratchDir dir;
  const std::string_view hex =
      "40000000703c22045bdbf2ab0180a0abfef962066465706c6f7902077365727669636503617069077665727369"
      "6f6e05312e342e320961706920312e342e320c68747470733a2f2f63692f31";
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  std::filesystem::create_directories(dir.path());
  tsdb::wal::wal_test::WriteFile(dir.path() / "00000000", bytes);
  auto store = Store::Open(dir.path());
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto events = (*store)->Query(INT64_MIN, INT64_MAX, {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0], kExample);
}

}  // namespace
}  // namespace argus::events
