#include <gtest/gtest.h>

#include "notify/dispatcher_test_fixture.h"
#include "notify/notify_test_util.h"
#include "notify/render_data.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using testing::AddChild;
using testing::DispatcherTest;
using testing::Eq;

TEST_F(DispatcherTest, GroupWaitThenGroupIntervalThenRepeatInterval) {
  auto d = Make(Config());
  const int64_t t0 = now();
  EXPECT_EQ(d->GroupCount(), 0u);
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}})});
  EXPECT_EQ(d->GroupCount(), 1u);
  timers_.Advance(30s - 1ms);
  EXPECT_TRUE(sent_.empty());
  timers_.Advance(1ms);
  ASSERT_EQ(sent_.size(), 1u);
  const GroupNotification& first = sent_[0];
  EXPECT_EQ(first.receiver, "team");
  EXPECT_EQ(first.group_key, R"({}:{alertname="Down"})");
  EXPECT_EQ(first.group_labels, (model::Labels{{"alertname", "Down"}}));
  EXPECT_EQ(first.now_ms, t0 + 30'000);
  EXPECT_EQ(Split(first), (std::pair<Names, Names>{{"a"}, {}}));

  // A new alert waits for the next group_interval, counted from the last flush.
  timers_.Advance(1min);
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "b"}})});
  timers_.Advance(4min - 1ms);
  EXPECT_EQ(sent_.size(), 1u);
  timers_.Advance(1ms);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].now_ms, t0 + 30'000 + 300'000);
  EXPECT_EQ(Split(sent_[1]), (std::pair<Names, Names>{{"a", "b"}, {}}));

  // Nothing changes: told again only once repeat_interval (4h) has passed, at the first flush
  // after it, as Alertmanager does.
  timers_.Advance(4h);
  EXPECT_EQ(sent_.size(), 2u);
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(sent_[2].now_ms, t0 + 30'000 + 300'000 + 4 * 3'600'000 + 300'000);
}

TEST_F(DispatcherTest, AnAlertThatStartedLongAgoIsNotHeldBackByGroupWait) {
  auto d = Make(Config());
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}}, 31s)});
  timers_.RunDue();
  ASSERT_EQ(sent_.size(), 1u);
}

TEST_F(DispatcherTest, AStartInYearOneIsJustLongAgo) {
  auto d = Make(Config());
  model::Alert a = Firing({{"alertname", "Down"}, {"instance", "a"}});
  a.starts_at_ms = -62'135'596'800'000 + 1000;  // 0001-01-01T00:00:01Z
  Put(*d, {a});
  timers_.RunDue();
  ASSERT_EQ(sent_.size(), 1u);
}

TEST_F(DispatcherTest, ResolvedAlertsAreToldOnceThenLeaveTheGroup) {
  auto d = Make(Config(/*send_resolved=*/true));
  model::Alert a = Firing({{"alertname", "Down"}, {"instance", "a"}});
  model::Alert b = Firing({{"alertname", "Down"}, {"instance", "b"}});
  Put(*d, {a, b});
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);

  Put(*d, {ResolvedNow(a)});
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Split(sent_[1]), (std::pair<Names, Names>{{"b"}, {"a"}}));
  ASSERT_EQ(d->Groups().size(), 1u);
  EXPECT_EQ(d->Groups()[0].alerts.size(), 1u);  // `a` left the group.

  Put(*d, {ResolvedNow(b)});
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(Split(sent_[2]), (std::pair<Names, Names>{{}, {"b"}}));
  EXPECT_TRUE(d->Groups().empty());
  // Nothing more to tell, ever; the log forgets the group twice repeat_interval after.
  timers_.Advance(5h);
  EXPECT_EQ(sent_.size(), 3u);
  EXPECT_TRUE(log_.Query("team", R"({}:{alertname="Down"})"));
  timers_.Advance(3h + 1min);
  EXPECT_FALSE(log_.Query("team", R"({}:{alertname="Down"})"));
}

TEST_F(DispatcherTest, WithoutSendResolvedOnlyTheLastResolutionIsTold) {
  auto d = Make(Config(/*send_resolved=*/false));
  model::Alert a = Firing({{"alertname", "Down"}, {"instance", "a"}});
  model::Alert b = Firing({{"alertname", "Down"}, {"instance", "b"}});
  Put(*d, {a, b});
  timers_.Advance(30s);
  Put(*d, {ResolvedNow(a)});
  timers_.Advance(5min);
  EXPECT_EQ(sent_.size(), 1u);
  Put(*d, {ResolvedNow(b)});
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Split(sent_[1]), (std::pair<Names, Names>{{}, {"b"}}));
}

TEST_F(DispatcherTest, AnAlertWithoutAnEndResolvesAfterResolveTimeout) {
  config::NotifyConfig config = Config();
  config.global.resolve_timeout = 2min;
  auto d = Make(config);
  Put(*d, {model::Alert{.labels = {{"alertname", "Down"}, {"instance", "a"}}}});
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Split(sent_[1]), (std::pair<Names, Names>{{}, {"a"}}));
}

TEST_F(DispatcherTest, ARefusedNotificationIsTriedAgainAtTheNextInterval) {
  auto d = Make(Config());
  model::Alert a = Firing({{"alertname", "Down"}, {"instance", "a"}});
  Put(*d, {a});
  accept_ = Status::Error("queue full", Status::Code::kIOError);
  timers_.Advance(30s);
  Put(*d, {ResolvedNow(a)});
  timers_.Advance(5min);
  EXPECT_TRUE(sent_.empty());
  // Never told of it firing, and it is resolved now: nothing to tell, and it leaves.
  accept_ = Status::Ok();
  timers_.Advance(5min);
  EXPECT_TRUE(sent_.empty());
  EXPECT_TRUE(d->Groups().empty());

  model::Alert b = Firing({{"alertname", "Other"}, {"instance", "b"}});
  Put(*d, {b});
  accept_ = Status::Error("queue full", Status::Code::kIOError);
  timers_.Advance(30s);
  accept_ = Status::Ok();
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].group_key, R"({}:{alertname="Other"})");
}

TEST_F(DispatcherTest, ContinueSendsToEveryMatchingRouteWithItsOwnGroupKey) {
  config::NotifyConfig config = Config();
  AddChild(config.route, {Eq("severity", "page")}, [](config::Route& r) {
    r.receiver = "pager";
    r.continue_matching = true;
    r.group_by = {"alertname", "instance"};
  });
  AddChild(config.route, {Eq("team", "db")}, [](config::Route& r) { r.receiver = "db"; });
  auto d = Make(config);
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}, {"severity", "page"}, {"team", "db"}}),
           Firing({{"alertname", "Down"}, {"instance", "b"}})});
  timers_.Advance(30s);
  std::vector<std::pair<std::string, std::string>> got;
  for (const GroupNotification& n : sent_) got.emplace_back(n.receiver, n.group_key);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"db", R"({}/{team="db"}:{alertname="Down"})"},
                     {"pager", R"({}/{severity="page"}:{alertname="Down", instance="a"})"},
                     {"team", R"({}:{alertname="Down"})"},
                 }));
  EXPECT_EQ(d->ReceiversOf({{"severity", "page"}, {"team", "db"}}), (Names{"pager", "db"}));
}

TEST_F(DispatcherTest, AReloadRegroupsStoredAlertsWithoutTellingThemTwice) {
  auto d = Make(Config());
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}})});
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);
  d.reset();
  auto reloaded = Make(Config());
  timers_.Advance(5min);
  EXPECT_EQ(sent_.size(), 1u);
  ASSERT_EQ(reloaded->Groups().size(), 1u);
  Put(*reloaded, {Firing({{"alertname", "Down"}, {"instance", "b"}})});
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Split(sent_[1]), (std::pair<Names, Names>{{"a", "b"}, {}}));
}

TEST_F(DispatcherTest, AStateAcceptedBeforeARestartIsNotToldAgain) {
  // Before the restart: the state of the group that was accepted, as the queue recorded it.
  auto d = Make(Config());
  model::Alert a = Firing({{"alertname", "Down"}, {"instance", "a"}});
  Put(*d, {a});
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);
  const uint64_t accepted_hash = GroupStateHash(sent_[0]);
  d.reset();
  timers_.Advance(1s);

  // After it: a fresh log, the same alerts (the store kept them), and the queue's answer.
  MemoryNotificationLog fresh_log;
  std::vector<uint64_t> asked;
  auto restarted = Dispatcher::Make(
      Config(),
      DispatcherDeps{.timers = timers_,
                     .alerts = alerts_,
                     .silences = *silences_,
                     .notification_log = fresh_log,
                     .notify =
                         [this](const GroupNotification& n) {
                           sent_.push_back(n);
                           return Status::Ok();
                         },
                     .already_accepted =
                         [&](std::string_view receiver, std::string_view key, uint64_t hash) {
                           EXPECT_EQ(receiver, "team");
                           EXPECT_EQ(key, R"({}:{alertname="Down"})");
                           asked.push_back(hash);
                           return hash == accepted_hash;
                         }});
  ASSERT_TRUE(restarted.ok());
  timers_.RunDue();  // The alert started long enough ago: flushed at once.
  EXPECT_EQ(asked, std::vector<uint64_t>{accepted_hash});
  EXPECT_EQ(sent_.size(), 1u);
  EXPECT_TRUE(fresh_log.Query("team", R"({}:{alertname="Down"})"));

  // A new state is told, without asking: the log has the entry again.
  ASSERT_TRUE((*restarted)->PutAlerts({Firing({{"alertname", "Down"}, {"instance", "b"}})}).ok());
  timers_.Advance(5min);
  EXPECT_EQ(asked.size(), 1u);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(Split(sent_[1]), (std::pair<Names, Names>{{"a", "b"}, {}}));
}

TEST_F(DispatcherTest, InvalidAlertsAreNamedAndTheOthersTaken) {
  auto d = Make(Config());
  size_t invalid = 7;
  Status s = d->PutAlerts(
      {model::Alert{.labels = {}}, Firing({{"alertname", "Down"}, {"instance", "a"}})}, &invalid);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(), "{}: at least one label pair required");
  EXPECT_EQ(invalid, 1u);
  EXPECT_EQ(alerts_.size(), 1u);
  ASSERT_TRUE(d->PutAlerts({Firing({{"alertname", "Down"}, {"instance", "b"}})}, &invalid).ok());
  EXPECT_EQ(invalid, 0u);
}

TEST_F(DispatcherTest, MaintenanceRemovesEmptyGroupsAndResolvedAlerts) {
  auto d = Make(Config());
  model::Alert a = Firing({{"alertname", "Down"}, {"instance", "a"}});
  Put(*d, {a});
  timers_.Advance(30s);
  Put(*d, {ResolvedNow(a)});
  timers_.Advance(5min);          // Told as resolved; the group is empty.
  EXPECT_EQ(alerts_.size(), 0u);  // The maintenance rounds collected it.
  // A new alert of the same group after the group was removed waits group_wait again.
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "b"}})});
  const size_t before = sent_.size();
  timers_.Advance(30s);
  EXPECT_EQ(sent_.size(), before + 1);
}

}  // namespace
}  // namespace argus::notify
