#include "notify/dispatcher.h"

#include <gtest/gtest.h>

#include "base/manual_timer_source.h"
#include "notify/notify_test_util.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using testing::AddChild;
using testing::Eq;

// The dispatcher on a manual clock: notifications are collected, and time moves only when a
// test says so.
class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : timers_(clock_) {
    auto silences = SilenceStore::Open(clock_, "", 120h);
    CHECK(silences.ok());
    silences_ = std::move(*silences);
  }

  // One receiver "team" (send_resolved as given), grouping by alertname, Alertmanager's
  // default timers.
  static config::NotifyConfig Config(bool send_resolved = true) {
    config::NotifyConfig config;
    config.route.receiver = "team";
    config.route.group_by = {"alertname"};
    config::Receiver team{.name = "team"};
    team.webhook_configs.push_back(config::WebhookConfig{.send_resolved = send_resolved});
    config.receivers.push_back(team);
    return config;
  }

  std::unique_ptr<Dispatcher> Make(const config::NotifyConfig& config) {
    auto d = Dispatcher::Make(config, DispatcherDeps{.timers = timers_,
                                                     .alerts = alerts_,
                                                     .silences = *silences_,
                                                     .notification_log = log_,
                                                     .notify = [this](const GroupNotification& n) {
                                                       if (!accept_.ok()) return accept_;
                                                       sent_.push_back(n);
                                                       return Status::Ok();
                                                     }});
    CHECK(d.ok());
    return std::move(*d);
  }

  int64_t now() const { return clock_.NowMillis(); }
  // Firing, as a rule sends it: started `ago` before now, ending a day later.
  model::Alert Firing(model::Labels labels, std::chrono::milliseconds ago = 0ms) {
    return model::Alert{.labels = std::move(labels),
                        .starts_at_ms = now() - ago.count(),
                        .ends_at_ms = now() + 86'400'000};
  }
  model::Alert ResolvedNow(model::Alert alert) {
    alert.ends_at_ms = now();
    return alert;
  }
  void Put(Dispatcher& d, std::vector<model::Alert> alerts) {
    ASSERT_TRUE(d.PutAlerts(std::move(alerts)).ok());
  }
  // The alertnames of a notification's firing and resolved alerts.
  static std::pair<std::vector<std::string>, std::vector<std::string>> Split(
      const GroupNotification& n) {
    std::pair<std::vector<std::string>, std::vector<std::string>> out;
    for (const model::Alert& a : n.alerts) {
      const bool resolved = a.ends_at_ms != 0 && a.ends_at_ms <= n.now_ms;
      (resolved ? out.second : out.first).push_back(std::string(a.labels.Get("instance")));
    }
    return out;
  }
  using Names = std::vector<std::string>;

  ManualClock clock_;
  ManualTimerSource timers_;
  AlertStore alerts_;
  std::unique_ptr<SilenceStore> silences_;
  MemoryNotificationLog log_;
  std::vector<GroupNotification> sent_;
  Status accept_;
};

TEST_F(DispatcherTest, GroupWaitThenGroupIntervalThenRepeatInterval) {
  auto d = Make(Config());
  const int64_t t0 = now();
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}})});
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
  // Nothing more to tell, ever.
  timers_.Advance(5h);
  EXPECT_EQ(sent_.size(), 3u);
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

TEST_F(DispatcherTest, SilencedAlertsAreLeftOutAndMarked) {
  auto d = Make(Config());
  const std::string id = *silences_->Set(Silence{
      .matchers = {Eq("instance", "a")}, .starts_at_ms = now(), .ends_at_ms = now() + 3'600'000});
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}}),
           Firing({{"alertname", "Down"}, {"instance", "b"}}),
           Firing({{"alertname", "Quiet"}, {"instance", "a"}})});
  const model::Labels silenced{{"alertname", "Down"}, {"instance", "a"}};
  EXPECT_EQ(d->MarkedStatus(silenced.Hash()).State(), "unprocessed");
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);  // "Quiet" has nothing left to tell.
  EXPECT_EQ(Split(sent_[0]), (std::pair<Names, Names>{{"b"}, {}}));
  AlertStatus status = d->MarkedStatus(silenced.Hash());
  EXPECT_EQ(status.State(), "suppressed");
  EXPECT_EQ(status.silenced_by, Names{id});

  // Once the silence is expired, the alert is a new firing alert of its group: told.
  ASSERT_TRUE(silences_->Expire(id).ok());
  timers_.Advance(5min);
  ASSERT_EQ(sent_.size(), 3u);
  EXPECT_EQ(d->StatusOf(silenced).State(), "active");
}

TEST_F(DispatcherTest, InhibitedAlertsAreLeftOutAndMarked) {
  config::NotifyConfig config = Config();
  config.inhibit_rules.push_back(
      config::InhibitRule{.source_matchers = {Eq("severity", "critical")},
                          .target_matchers = {Eq("severity", "warning")},
                          .equal = {"cluster"}});
  auto d = Make(config);
  const model::Alert source = Firing({{"alertname", "ClusterDown"},
                                      {"severity", "critical"},
                                      {"cluster", "eu"},
                                      {"instance", "s"}});
  Put(*d, {source,
           Firing({{"alertname", "Slow"},
                   {"severity", "warning"},
                   {"cluster", "eu"},
                   {"instance", "muted"}}),
           Firing({{"alertname", "Slow"},
                   {"severity", "warning"},
                   {"cluster", "us"},
                   {"instance", "told"}})});
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 2u);
  for (const GroupNotification& n : sent_) {
    if (n.group_labels.Get("alertname") == "Slow") {
      EXPECT_EQ(Split(n), (std::pair<Names, Names>{{"told"}, {}}));
    }
  }
  const model::Labels muted{
      {"alertname", "Slow"}, {"severity", "warning"}, {"cluster", "eu"}, {"instance", "muted"}};
  EXPECT_EQ(d->MarkedStatus(muted.Hash()).inhibited_by,
            Names{FingerprintString(source.labels.Hash())});
  // The source resolves: the target is told at the next flush.
  Put(*d, {ResolvedNow(source)});
  timers_.Advance(5min);
  EXPECT_EQ(d->StatusOf(muted).State(), "active");
  bool told = false;
  for (size_t i = 2; i < sent_.size(); ++i) {
    if (sent_[i].group_labels.Get("alertname") == "Slow") {
      told = true;
      EXPECT_EQ(Split(sent_[i]), (std::pair<Names, Names>{{"muted", "told"}, {}}));
    }
  }
  EXPECT_TRUE(told);
}

TEST_F(DispatcherTest, MuteAndActiveTimeIntervalsAreJudgedAtFlushTime) {
  // The clock starts at 2023-11-14 22:13:20 UTC, a Tuesday.
  config::NotifyConfig config = Config();
  config::TimePeriod before_23;  // 22:00-23:00 UTC.
  before_23.times = {{22 * 60, 23 * 60}};
  config::TimePeriod tuesdays;
  tuesdays.weekdays = {{2, 2}};
  config.time_intervals = {{"late-evening", {before_23}}, {"tuesdays", {tuesdays}}};
  AddChild(config.route, {Eq("route", "muted")}, [](config::Route& r) {
    r.receiver = "muted";
    r.mute_time_intervals = {"late-evening"};
  });
  AddChild(config.route, {Eq("route", "active")}, [](config::Route& r) {
    r.receiver = "active";
    r.active_time_intervals = {"tuesdays"};
  });
  auto d = Make(config);
  Put(*d, {Firing({{"alertname", "A"}, {"route", "muted"}}),
           Firing({{"alertname", "B"}, {"route", "active"}})});
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].receiver, "active");
  // At 23:03:50 the mute has ended.
  timers_.Advance(50min);
  ASSERT_EQ(sent_.size(), 2u);
  EXPECT_EQ(sent_[1].receiver, "muted");
  // Wednesday: the "active" route is outside its interval, so its repeat is not sent.
  timers_.Advance(5h);
  for (size_t i = 2; i < sent_.size(); ++i) EXPECT_EQ(sent_[i].receiver, "muted");
}

TEST_F(DispatcherTest, AnUnknownTimeIntervalFailsTheFlushAndKeepsTheAlerts) {
  config::NotifyConfig config = Config();
  config.route.mute_time_intervals = {"nowhere"};
  auto d = Make(config);
  Put(*d, {Firing({{"alertname", "A"}})});
  timers_.Advance(30s);
  EXPECT_TRUE(sent_.empty());
  EXPECT_EQ(d->Groups().size(), 1u);
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
  const uint64_t accepted_hash = GroupStateHash(StateOf(sent_[0]));
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
  Status s = d->PutAlerts(
      {model::Alert{.labels = {}}, Firing({{"alertname", "Down"}, {"instance", "a"}})});
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(s.message(), "{}: at least one label pair required");
  EXPECT_EQ(alerts_.size(), 1u);
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
