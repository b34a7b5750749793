#include "notify/dispatch_dedup.h"

#include <gtest/gtest.h>

namespace argus::notify {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNow = 1'700'000'000'000;

GroupState State(std::vector<uint64_t> firing, std::vector<uint64_t> resolved,
                 int64_t timestamp_ms = kNow) {
  return GroupState{std::move(firing), std::move(resolved), timestamp_ms};
}

TEST(DedupTest, NeedsUpdateAsAlertmanagersDedupStage) {
  struct Case {
    std::string name;
    std::optional<GroupState> last;
    GroupState current;
    bool send_resolved;
    bool want;
  };
  const int64_t an_hour_ago = kNow - 3'600'000;
  const Case cases[] = {
      {"never told, firing", std::nullopt, State({2, 3, 4}, {}), false, true},
      {"never told, only resolved", std::nullopt, State({}, {1}), true, false},
      {"a new alert fires", State({1, 2, 3}, {}), State({2, 3, 4}, {}), false, true},
      {"nothing changed", State({1, 2, 3}, {}), State({1, 2, 3}, {}), false, false},
      {"fewer firing", State({1, 2, 3}, {}), State({1, 2}, {}), false, false},
      {"nothing changed for longer than repeat_interval", State({1, 2, 3}, {}, an_hour_ago - 1),
       State({1, 2, 3}, {}), false, true},
      {"exactly repeat_interval: not yet", State({1, 2, 3}, {}, an_hour_ago), State({1, 2, 3}, {}),
       false, false},
      {"newly resolved, send_resolved off", State({1, 2, 3}, {4, 5, 6}),
       State({1, 2}, {3, 4, 5, 6}), false, false},
      {"newly resolved, send_resolved on", State({1, 2, 3}, {4, 5, 6}), State({1, 2}, {3, 4, 5, 6}),
       true, true},
      {"resolved ones already told", State({1, 2}, {3}), State({1, 2}, {3}), true, false},
      {"all resolved after firing: told whatever send_resolved says", State({1, 2, 3}, {}),
       State({}, {1, 2, 3}), false, true},
      {"all resolved and told so", State({}, {1, 2, 3}), State({}, {1, 2, 3}), true, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(NeedsUpdate(c.last, c.current, c.send_resolved, 1h), c.want);
  }
}

TEST(DedupTest, StateOfSplitsFiringAndResolvedAtTheNotificationsTime) {
  GroupNotification n;
  n.now_ms = kNow;
  const model::Labels a{{"a", "1"}}, b{{"b", "1"}}, c{{"c", "1"}};
  n.alerts = {model::Alert{.labels = a, .starts_at_ms = 1, .ends_at_ms = kNow + 1},
              model::Alert{.labels = b, .starts_at_ms = 1, .ends_at_ms = kNow},
              model::Alert{.labels = c, .starts_at_ms = 1, .ends_at_ms = 0}};
  GroupState s = StateOf(n);
  std::vector<uint64_t> firing = {a.Hash(), c.Hash()};
  std::sort(firing.begin(), firing.end());
  EXPECT_EQ(s.firing, firing);
  EXPECT_EQ(s.resolved, std::vector<uint64_t>{b.Hash()});
  EXPECT_EQ(s.timestamp_ms, kNow);
}

TEST(DedupTest, MemoryNotificationLogKeepsEntriesPerReceiverAndGroupUntilTheyExpire) {
  MemoryNotificationLog log;
  log.Log("slack", "{}:{a=\"1\"}", State({1}, {}), kNow + 1000);
  log.Log("pager", "{}:{a=\"1\"}", State({2}, {}), kNow + 2000);
  EXPECT_EQ(log.Query("slack", "{}:{a=\"1\"}"), State({1}, {}));
  EXPECT_EQ(log.Query("pager", "{}:{a=\"1\"}"), State({2}, {}));
  EXPECT_FALSE(log.Query("slack", "{}:{a=\"2\"}"));
  EXPECT_EQ(log.CollectGarbage(kNow + 1000), 1u);
  EXPECT_FALSE(log.Query("slack", "{}:{a=\"1\"}"));
  EXPECT_TRUE(log.Query("pager", "{}:{a=\"1\"}"));
}

}  // namespace
}  // namespace argus::notify
