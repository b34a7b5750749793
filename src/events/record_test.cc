#include "events/record.h"

#include <gtest/gtest.h>

namespace argus::events {
namespace {

TEST(RecordTest, EventsComeBackAsTheyWereWritten) {
  const Event events[] = {
      {1'700'000'000'123,
       "deploy",
       {{"service", "api"}, {"version", "1.4.2"}},
       "rolled out",
       "https://ci/runs/1"},
      {0, "restart", {}, "", ""},
      {-86'400'000, "oom_kill", {{"pod", "web-0"}}, "ünïcödé\nnew line", ""},
      {INT64_MAX, "k", {}, std::string(300, 't'), ""},
      {INT64_MIN, "k", {}, "", ""},
  };
  for (const Event& event : events) {
    std::string record;
    AppendEventRecord(event, &record);
    EXPECT_EQ(TypeOf(record), RecordType::kEvent);
    auto decoded = DecodeEventRecord(record);
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(*decoded, event);
  }
}

// Every prefix of a record and a record with a byte too many fail to decode, never read past the
// record's end (the sanitizers watch) and say what did not decode.
TEST(RecordTest, DamagedRecordsAreCorruption) {
  std::string record;
  AppendEventRecord({1000, "deploy", {{"service", "api"}}, "text", "https://ci/1"}, &record);
  for (size_t size = 0; size < record.size(); ++size) {
    auto decoded = DecodeEventRecord(std::string_view(record).substr(0, size));
    EXPECT_EQ(decoded.status().code(), Status::Code::kCorruption) << size;
  }
  auto longer = DecodeEventRecord(record + "x");
  EXPECT_EQ(longer.status().message(), "event record: 1 bytes after the link");
  // Time 0, kind "k", then a count of 2^32 - 1 labels in a record of nine bytes.
  std::string_view huge_count("\x01\x00\x01k\xff\xff\xff\xff\x0f", 9);
  EXPECT_EQ(DecodeEventRecord(huge_count).status().message(),
            "event record: label count does not decode");
  EXPECT_EQ(DecodeEventRecord("\x07").status().message(), "event record: type 7 is not an event");
}

}  // namespace
}  // namespace argus::events
