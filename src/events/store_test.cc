#include "events/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tsdb/wal/segments.h"
#include "tsdb/wal/wal_testing.h"
#include "tsdb/wal/writer.h"

namespace argus::events {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace wal = tsdb::wal;
namespace wal_test = tsdb::wal::wal_test;

constexpr int64_t kAll[2] = {INT64_MIN, INT64_MAX};

Event At(int64_t time_ms, std::string kind = "deploy", model::Labels labels = {}) {
  return {time_ms, std::move(kind), std::move(labels), "", ""};
}

std::vector<int64_t> Times(const std::vector<Event>& events) {
  std::vector<int64_t> times;
  for (const Event& e : events) times.push_back(e.time_ms);
  return times;
}

std::vector<model::Matcher> Selector(std::string_view name, std::string_view value,
                                     model::Matcher::Type type = model::Matcher::Type::kEqual) {
  auto m = model::Matcher::Make(type, std::string(name), std::string(value));
  EXPECT_TRUE(m.ok());
  return {*m};
}

class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open() {
    StoreOptions options = options_;
    options.clock = &clock_;
    auto store = Store::Open(dir_.path(), options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::vector<Event> All(const Store& store) {
    auto events = store.Query(kAll[0], kAll[1], {});
    EXPECT_TRUE(events.ok()) << events.status().message();
    return events.ok() ? *events : std::vector<Event>{};
  }

  std::filesystem::path LastSegment() {
    auto segments = wal::ListSegments(dir_.path());
    EXPECT_TRUE(segments.ok() && !segments->empty());
    return wal::SegmentPath(dir_.path(), segments->back());
  }

  wal_test::ScratchDir dir_;
  ManualClock clock_;
  StoreOptions options_;
};

TEST_F(StoreTest, QueriesSelectByTimeRangeAndLabelsOldestFirst) {
  auto store = Open();
  Event api = {3000, "deploy", {{"service", "api"}, {"version", "2"}}, "api 2", "https://ci/2"};
  ASSERT_TRUE(store->Append(api).ok());
  ASSERT_TRUE(store->Append(At(1000, "restart", {{"service", "web"}})).ok());
  ASSERT_TRUE(store->Append(At(2000, "deploy", {{"service", "api"}})).ok());
  ASSERT_TRUE(store->Append(At(2000, "oom_kill", {{"service", "db"}})).ok());

  EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000, 2000, 3000));
  // Events of the same time stay in the order they were appended.
  EXPECT_EQ(All(*store)[1].kind, "deploy");
  EXPECT_EQ(All(*store)[3], api);

  auto range = store->Query(2000, 2999, {});
  ASSERT_TRUE(range.ok());
  EXPECT_THAT(Times(*range), ElementsAre(2000, 2000));

  auto by_label = store->Query(kAll[0], kAll[1], {Selector("service", "api")});
  ASSERT_TRUE(by_label.ok());
  EXPECT_THAT(Times(*by_label), ElementsAre(2000, 3000));

  // Selectors are alternatives; a missing label is the empty value.
  auto either = store->Query(
      kAll[0], kAll[1],
      {Selector("service", "web"), Selector("version", "2", model::Matcher::Type::kEqual)});
  ASSERT_TRUE(either.ok());
  EXPECT_THAT(Times(*either), ElementsAre(1000, 3000));
  auto regex = store->Query(kAll[0], kAll[1],
                            {Selector("service", "a.*|d.*", model::Matcher::Type::kRegexMatch)});
  ASSERT_TRUE(regex.ok());
  EXPECT_THAT(Times(*regex), ElementsAre(2000, 2000, 3000));

  auto none = store->Query(4000, 5000, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(StoreTest, InvalidEventsAreRejectedAndNotWritten) {
  auto store = Open();
  uint64_t size = store->SizeBytes();
  Status s = store->Append(At(1000, "Not A Kind"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_THAT(s.message(), HasSubstr("kind \"Not A Kind\" is not valid"));
  EXPECT_TRUE(All(*store).empty());
  EXPECT_EQ(store->SizeBytes(), size);
}

TEST_F(StoreTest, EventsSurviveReopening) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Append({1000, "deploy", {{"service", "api"}}, "one", "http://ci/1"}).ok());
    ASSERT_TRUE(store->Append(At(2000)).ok());
  }
  {
    auto store = Open();
    ASSERT_THAT(Times(All(*store)), ElementsAre(1000, 2000));
    EXPECT_EQ(All(*store)[0].text, "one");
    ASSERT_TRUE(store->Append(At(3000)).ok());
  }
  auto store = Open();
  EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000, 3000));
  // The query of a time range reads only the segments that hold it, and finds the same events.
  auto late = store->Query(2500, 3500, {});
  ASSERT_TRUE(late.ok());
  EXPECT_THAT(Times(*late), ElementsAre(3000));
}

// A crash in the middle of an append leaves part of its record: every cut of the last record's
// frame is a torn tail that Open removes, and appends go on after the intact events.
TEST_F(StoreTest, ATornTailFromACrashIsCutOnOpen) {
  {
    auto store = Open();
    for (int64_t t : {1000, 2000}) ASSERT_TRUE(store->Append(At(t)).ok());
  }
  std::filesystem::path segment = LastSegment();
  const std::string intact = wal_test::ReadFile(segment);
  {
    auto store = Open();
    ASSERT_TRUE(store->Append(At(3000, "deploy", {{"service", "api"}})).ok());
  }
  const std::string with_third = wal_test::ReadFile(LastSegment());
  std::filesystem::path third_segment = LastSegment();
  for (size_t cut = 1; cut < with_third.size(); cut += 3) {
    SCOPED_TRACE(cut);
    wal_test::WriteFile(third_segment, std::string_view(with_third).substr(0, cut));
    wal_test::LogCapture log;
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000));
    ASSERT_TRUE(store->Append(At(4000)).ok());
    EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000, 4000));
    store.reset();
    // Back to the state before the crash for the next cut.
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      if (entry.path() != segment) std::filesystem::remove(entry.path());
    }
    ASSERT_EQ(wal_test::ReadFile(segment), intact);
  }
}

// What a crash may leave after the last record that was acknowledged: zeros of a file extended
// but not written, or bytes that are not a frame at all.
TEST_F(StoreTest, GarbageAfterTheLastEventIsIgnored) {
  const std::string garbages[] = {std::string(4096, '\0'), "not a frame at all, just text",
                                  std::string("\x10\x00\x00\x00\x01\x02\x03\x04", 8)};
  for (const std::string& garbage : garbages) {
    SCOPED_TRACE(garbage.size());
    std::filesystem::remove_all(dir_.path());
    {
      auto store = Open();
      for (int64_t t : {1000, 2000}) ASSERT_TRUE(store->Append(At(t)).ok());
    }
    std::filesystem::path segment = LastSegment();
    wal_test::WriteFile(segment, wal_test::ReadFile(segment) + garbage);
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000));
    ASSERT_TRUE(store->Append(At(3000)).ok());
    store.reset();
    store = Open();
    EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000, 3000));
  }
}

// A process that dies without closing the store (as kill -9 does) keeps every acknowledged event.
TEST_F(StoreTest, AcknowledgedEventsSurviveAProcessThatDies) {
  std::string result = wal_test::RunInChild([this] {
    StoreOptions options;
    auto store = Store::Open(dir_.path(), options);
    if (!store.ok()) return store.status().message();
    for (int64_t t = 1; t <= 50; ++t) {
      if (Status s = (*store)->Append(At(t * 1000)); !s.ok()) return s.message();
    }
    Store* never_closed = store->release();  // The child exits as if killed.
    (void)never_closed;
    return std::string("appended");
  });
  ASSERT_EQ(result, "appended");
  auto store = Open();
  EXPECT_EQ(All(*store).size(), 50u);
}

// Damage in the middle of a segment (a flipped bit) loses that event only, and is logged.
TEST_F(StoreTest, ADamagedEventIsSkippedAndLogged) {
  {
    auto store = Open();
    for (int64_t t : {1000, 2000, 3000}) ASSERT_TRUE(store->Append(At(t)).ok());
  }
  std::filesystem::path segment = LastSegment();
  std::string bytes = wal_test::ReadFile(segment);
  size_t frame = bytes.size() / 3;  // Three frames of the same size: the second one's record.
  bytes[frame + 14] ^= 0x01;
  wal_test::WriteFile(segment, bytes);
  wal_test::LogCapture log;
  auto store = Open();
  EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 3000));
  EXPECT_THAT(log.text(), HasSubstr("Skipping damaged events"));
}

// Records of a type a later version writes are skipped, not taken for damage.
TEST_F(StoreTest, RecordsOfUnknownTypesAreSkipped) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Append(At(1000)).ok());
  }
  {
    auto writer = wal::Writer::Open(dir_.path());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)
                    ->Log({std::string_view("\x09"
                                            "future")})
                    .ok());
  }
  wal_test::LogCapture log;
  auto store = Open();
  ASSERT_TRUE(store->Append(At(2000)).ok());
  EXPECT_THAT(Times(All(*store)), ElementsAre(1000, 2000));
  EXPECT_EQ(log.text(), "");
}

TEST_F(StoreTest, RetentionDropsWholeSegmentsPastIt) {
  options_.retention_ms = std::chrono::milliseconds(hours(1)).count();
  options_.segment_duration_ms = std::chrono::milliseconds(minutes(10)).count();
  auto store = Open();
  auto now = [&] { return clock_.NowMillis(); };
  int64_t first = now();
  ASSERT_TRUE(store->Append(At(first)).ok());
  clock_.Advance(minutes(5));
  ASSERT_TRUE(store->Append(At(now())).ok());  // The same segment: 5 minutes after its first.
  clock_.Advance(minutes(10));
  int64_t second_segment = now();
  ASSERT_TRUE(store->Append(At(second_segment)).ok());  // Cuts.
  clock_.Advance(minutes(10));
  ASSERT_TRUE(store->Append(At(now())).ok());  // Cuts again: the segment being written.

  ASSERT_TRUE(store->DropExpired().ok());
  EXPECT_EQ(All(*store).size(), 4u);

  // An hour after the first segment's newest event, it goes; the second still has one in range.
  clock_.Set(Clock::time_point(std::chrono::milliseconds(first + 5 * 60'000 + 3'600'001)));
  ASSERT_TRUE(store->DropExpired().ok());
  EXPECT_THAT(Times(All(*store)), ElementsAre(second_segment, second_segment + 10 * 60'000));

  // Far later, everything but the segment being written is gone; that one stays until it is cut.
  clock_.Advance(hours(48));
  ASSERT_TRUE(store->DropExpired().ok());
  EXPECT_THAT(Times(All(*store)), ElementsAre(second_segment + 10 * 60'000));
  ASSERT_TRUE(store->Append(At(now())).ok());
  ASSERT_TRUE(store->DropExpired().ok());
  EXPECT_THAT(Times(All(*store)), ElementsAre(now()));

  // Opening applies retention too.
  store.reset();
  clock_.Advance(hours(2));
  store = Open();
  EXPECT_TRUE(All(*store).empty());
}

TEST_F(StoreTest, WithoutRetentionNothingIsDropped) {
  options_.segment_duration_ms = 1;
  auto store = Open();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->Append(At(clock_.NowMillis())).ok());
    clock_.Advance(hours(24 * 365));
  }
  ASSERT_TRUE(store->DropExpired().ok());
  EXPECT_EQ(All(*store).size(), 3u);
}

TEST_F(StoreTest, SegmentsAreCutBySize) {
  options_.segment_size = 256;
  auto store = Open();
  for (int64_t t = 1; t <= 20; ++t) {
    ASSERT_TRUE(store->Append({t, "deploy", {}, std::string(100, 'x'), ""}).ok());
  }
  auto segments = wal::ListSegments(dir_.path());
  ASSERT_TRUE(segments.ok());
  EXPECT_GE(segments->size(), 10u);
  EXPECT_EQ(All(*store).size(), 20u);
  EXPECT_EQ(store->SizeBytes(), wal::SizeBytes(dir_.path()));
  EXPECT_GT(store->SizeBytes(), 20u * 100);
}

TEST_F(StoreTest, AppendsAndQueriesFromManyThreads) {
  auto store = Open();
  std::vector<std::jthread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) {
        EXPECT_TRUE(store->Append(At(t * 100 + i, "deploy", {{"thread", std::to_string(t)}})).ok());
        EXPECT_TRUE(store->Query(0, 1000, {}).ok());
      }
    });
  }
  threads.clear();
  EXPECT_EQ(All(*store).size(), 100u);
  auto one = store->Query(kAll[0], kAll[1], {Selector("thread", "2")});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 25u);
}

}  // namespace
}  // namespace argus::events
