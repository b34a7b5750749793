// Pins the bytes of the delivery queue's journal to docs/format/notify-queue.md: a change to them
// is a change of the on-disk format, which the document, the version and the readers of older
// queues must follow.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "notify/queue_journal.h"
#include "notify/queue_record.h"
#include "tsdb/wal/wal_testing.h"

namespace argus::notify {
namespace {

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

// The example of docs/format/notify-queue.md.
Message ExampleMessage() {
  Message m;
  m.receiver = "team";
  m.integration = "slack";
  m.integration_index = 1;
  m.group_key = "{}:{a=\"b\"}";
  m.group_state_hash = 0x0123456789abcdef;
  m.content_type = "application/json";
  m.body = R"({"text":"hi"})";
  m.created_ms = 1'700'000'000'000;
  return m;
}

TEST(QueueFormatTest, RecordBytes) {
  std::string header, message, done, delivered;
  AppendHeaderRecord(&header);
  AppendMessageRecord(1, ExampleMessage(), &message);
  AppendDoneRecord({.id = 1, .reason = DoneReason::kDelivered, .at_ms = 1'700'000'001'000}, &done);
  AppendDeliveredRecord(KeyOf(ExampleMessage()), {0x0123456789abcdef, 1'700'000'001'000},
                        &delivered);
  EXPECT_EQ(Hex(header), "0101");
  EXPECT_EQ(Hex(message),
            // Type 2; id 1; receiver "team", integration "slack", integration index 1, group key
            // "{}:{a=\"b\"}", each string as its varint length and bytes;
            "02"
            "01"
            "047465616d"
            "05736c61636b"
            "01"
            "0a7b7d3a7b613d2262227d"
            // the group state hash as 8 bytes, little-endian; created_ms as a zigzag varint;
            "efcdab8967452301"
            "80a0abfef962"
            // the content type and the body.
            "106170706c69636174696f6e2f6a736f6e"
            "0d7b2274657874223a226869227d");
  EXPECT_EQ(Hex(done),
            // Type 3; id 1; reason 1 (delivered); at_ms as a zigzag varint.
            "03"
            "01"
            "01"
            "d0afabfef962");
  EXPECT_EQ(Hex(delivered),
            // Type 4; the key as in the message record; the hash; delivered_ms.
            "04"
            "047465616d"
            "05736c61636b"
            "01"
            "0a7b7d3a7b613d2262227d"
            "efcdab8967452301"
            "d0afabfef962");

  for (const std::string& record : {header, message, done, delivered}) {
    EXPECT_TRUE(DecodeQueueRecord(record).ok()) << Hex(record);
  }
  auto decoded = DecodeQueueRecord(message);
  ASSERT_TRUE(decoded.ok());
  const auto& m = std::get<MessageRecord>(*decoded);
  EXPECT_EQ(m.id, 1u);
  EXPECT_EQ(m.message.body, ExampleMessage().body);
  EXPECT_EQ(KeyOf(m.message), KeyOf(ExampleMessage()));
  EXPECT_EQ(m.message.group_state_hash, ExampleMessage().group_state_hash);
  EXPECT_EQ(m.message.created_ms, ExampleMessage().created_ms);
  EXPECT_EQ(m.message.content_type, ExampleMessage().content_type);
}

TEST(QueueFormatTest, DamagedRecordsDoNotDecode) {
  std::string message;
  AppendMessageRecord(1, ExampleMessage(), &message);
  for (size_t n = 1; n < message.size(); ++n) {
    auto decoded = DecodeQueueRecord(std::string_view(message).substr(0, n));
    ASSERT_FALSE(decoded.ok()) << n;
    EXPECT_EQ(decoded.status().code(), Status::Code::kCorruption);
  }
  EXPECT_FALSE(DecodeQueueRecord(message + "x").ok());
  EXPECT_FALSE(DecodeQueueRecord("").ok());
  EXPECT_FALSE(DecodeQueueRecord(std::string_view("\x03\x01\x07\x00", 4)).ok());  // Reason 7.
}

TEST(QueueFormatTest, SegmentBytes) {
  tsdb::wal::wal_test::ScratchDir tmp;
  {
    auto journal = QueueJournal::Open(tmp.path(), {}, 1'700'000'000'000);
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->Add(ExampleMessage()).ok());
  }
  // Open compacted the empty queue into segment 1 (segment 0, which the open started, is gone).
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "00000000"));
  EXPECT_EQ(Hex(tsdb::wal::wal_test::ReadFile(tmp.path() / "00000001")),
            // Frame: length 2, CRC32C of the record, CRC32C of those 8 bytes; the header record:
            // type 1, version 1.
            "02000000"
            "a66ca810"
            "3c7b3cd6"
            "0101"
            // Frame: length 70; the message record above.
            "46000000"
            "83e547a2"
            "67b15c45"
            "0201047465616d05736c61636b010a7b7d3a7b613d2262227defcdab896745230180a0abfef962"
            "106170706c69636174696f6e2f6a736f6e0d7b2274657874223a226869227d");
}

}  // namespace
}  // namespace argus::notify
