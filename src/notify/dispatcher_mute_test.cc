// The dispatcher's muting: silences, inhibition and time intervals at flush time.

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

TEST_F(DispatcherTest, SilencedAlertsAreLeftOutAndMarked) {
  auto d = Make(Config());
  const std::string id = *silences_->Set(Silence{
      .matchers = {Eq("instance", "a")}, .starts_at_ms = now(), .ends_at_ms = now() + 3'600'000});
  Put(*d, {Firing({{"alertname", "Down"}, {"instance", "a"}}),
           Firing({{"alertname", "Down"}, {"instance", "b"}}),
           Firing({{"alertname", "Quiet"}, {"instance", "a"}})});
  const model::Labels silenced{{"alertname", "Down"}, {"instance", "a"}};
  EXPECT_EQ(d->MarkedStatus(silenced.Hash()).State(), "unprocessed");
  using Counts = std::pair<size_t, size_t>;  // Active, suppressed.
  auto counts = [&d] {
    Dispatcher::StateCounts c = d->CountByState();
    return Counts(c.active, c.suppressed);
  };
  EXPECT_EQ(counts(), Counts(0, 0));  // Not judged yet.
  timers_.Advance(30s);
  ASSERT_EQ(sent_.size(), 1u);  // "Quiet" has nothing left to tell.
  EXPECT_EQ(Split(sent_[0]), (std::pair<Names, Names>{{"b"}, {}}));
  AlertMuteStatus status = d->MarkedStatus(silenced.Hash());
  EXPECT_EQ(status.State(), "suppressed");
  EXPECT_EQ(status.silenced_by, Names{id});
  EXPECT_EQ(counts(), Counts(1, 2));
  // A resolved alert counts in neither state.
  Put(*d, {ResolvedNow(Firing({{"alertname", "Down"}, {"instance", "b"}}))});
  EXPECT_EQ(counts(), Counts(0, 2));

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
            Names{FormatFingerprint(AlertFingerprint(source.labels))});
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

}  // namespace
}  // namespace argus::notify
