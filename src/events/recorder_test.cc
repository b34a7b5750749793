#include "events/recorder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tsdb/wal/wal_testing.h"

namespace argus::events {
namespace {

using ::testing::HasSubstr;

class RecorderTest : public ::testing::Test {
 protected:
  RecorderTest() {
    auto store = Store::Open(dir_.path());
    EXPECT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  tsdb::wal::wal_test::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  Bus bus_;
  MetricsRegistry registry_;
};

// A subscriber sees an event only once it is stored: what it acts on survives a restart.
TEST_F(RecorderTest, RecordingStoresThenCountsThenPublishes) {
  Recorder recorder(*store_, bus_, registry_);
  std::vector<size_t> stored_when_published;
  auto subscription = bus_.Subscribe([&](const Event&) {
    auto stored = store_->Query(INT64_MIN, INT64_MAX, {});
    stored_when_published.push_back(stored.ok() ? stored->size() : 0);
  });
  ASSERT_TRUE(recorder.Record({1000, "deploy", {{"service", "api"}}, "", ""}).ok());
  ASSERT_TRUE(recorder.Record({2000, "deploy", {}, "", ""}).ok());
  ASSERT_TRUE(recorder.Record({3000, "oom_kill", {}, "", ""}).ok());
  EXPECT_EQ(stored_when_published, (std::vector<size_t>{1, 2, 3}));
  std::string metrics;
  registry_.Render(&metrics);
  EXPECT_THAT(metrics, HasSubstr("argus_events_total{kind=\"deploy\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("argus_events_total{kind=\"oom_kill\"} 1\n"));
}

TEST_F(RecorderTest, AnEventThatIsNotStoredIsNeitherCountedNorPublished) {
  Recorder recorder(*store_, bus_, registry_);
  int published = 0;
  auto subscription = bus_.Subscribe([&](const Event&) { ++published; });
  Status s = recorder.Record({1000, "", {}, "", ""});
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(published, 0);
  std::string metrics;
  registry_.Render(&metrics);
  EXPECT_THAT(metrics, ::testing::Not(HasSubstr("argus_events_total{")));
}

}  // namespace
}  // namespace argus::events
