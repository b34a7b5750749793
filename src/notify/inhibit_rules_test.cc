#include "notify/inhibit_rules.h"

#include <gtest/gtest.h>

#include "notify/notify_test_util.h"
#include "notify/render_data.h"

namespace argus::notify {
namespace {

using testing::Eq;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kMinute = 60'000;

model::Alert Firing(model::Labels labels) {
  return model::Alert{.labels = std::move(labels),
                      .starts_at_ms = kNow - kMinute,
                      .ends_at_ms = kNow + 60 * kMinute};
}
model::Alert Resolved(model::Labels labels) {
  return model::Alert{
      .labels = std::move(labels), .starts_at_ms = kNow - kMinute, .ends_at_ms = kNow - 1000};
}

config::InhibitRule Rule(std::vector<model::Matcher> source, std::vector<model::Matcher> target,
                         std::vector<std::string> equal) {
  return config::InhibitRule{std::move(source), std::move(target), std::move(equal)};
}

TEST(InhibitorTest, EqualLabelsAndResolvedSources) {
  struct Case {
    std::string name;
    std::vector<model::Alert> sources;
    std::vector<std::string> equal;
    model::Labels target;
    bool muted;
  };
  const Case cases[] = {
      {"no source alerts", {}, {}, {{"a", "b"}}, false},
      {"no equal labels: any firing source mutes", {Firing({{"x", "y"}})}, {}, {{"a", "b"}}, true},
      {"matching but already resolved",
       {Resolved({{"a", "b"}, {"b", "f"}}), Resolved({{"a", "b"}, {"b", "c"}})},
       {"a", "b"},
       {{"a", "b"}, {"b", "c"}},
       false},
      {"matching and unresolved",
       {Resolved({{"a", "b"}, {"c", "d"}}), Firing({{"a", "b"}, {"c", "f"}})},
       {"a"},
       {{"a", "b"}},
       true},
      {"equal label does not match",
       {Firing({{"a", "c"}, {"c", "d"}}), Firing({{"a", "c"}, {"c", "f"}})},
       {"a"},
       {{"a", "b"}},
       false},
      {"a label missing on both sides counts as equal",
       {Firing({{"x", "y"}})},
       {"cluster"},
       {{"a", "b"}},
       true},
      {"a label missing on one side only does not",
       {Firing({{"x", "y"}, {"cluster", "eu"}})},
       {"cluster"},
       {{"a", "b"}},
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // Every alert is a source (no source matchers); targets have t="1", sources do not.
    Inhibitor inhibitor({Rule({}, {Eq("t", "1")}, c.equal)});
    for (const model::Alert& s : c.sources) inhibitor.Observe(s);
    model::LabelsBuilder target(c.target);
    target.Set("t", "1");
    EXPECT_EQ(inhibitor.InhibitedBy(target.Build(), kNow).has_value(), c.muted);
  }
}

TEST(InhibitorTest, TwoSidedAlertsNeverMuteThemselves) {
  Inhibitor inhibitor({Rule({Eq("s1", "1")}, {Eq("t1", "1")}, {"e"}),
                       Rule({Eq("s2", "1")}, {Eq("t2", "1")}, {"e"})});
  // Matches rule 1's source side only.
  const model::Alert source1 = Firing({{"s1", "1"}, {"t1", "2"}, {"e", "1"}});
  // Matches both sides of rule 2.
  const model::Alert source2 = Firing({{"s2", "1"}, {"t2", "1"}, {"e", "1"}});
  inhibitor.Observe(source1);
  inhibitor.Observe(source2);
  struct Case {
    model::Labels target;
    bool muted;
  };
  const Case cases[] = {
      {{{"t1", "1"}, {"e", "1"}}, true},
      {{{"t2", "1"}, {"e", "1"}}, true},
      {{{"t1", "1"}, {"t3", "1"}, {"e", "1"}}, true},
      {{{"t1", "1"}, {"t2", "1"}, {"e", "1"}}, true},
      {{{"t1", "0"}, {"e", "1"}}, false},
      // Both sides of rule 1, muted by source1, which is a source only.
      {{{"s1", "1"}, {"t1", "1"}, {"e", "1"}}, true},
      // Both sides of rule 2: source2 is two-sided too, so it does not mute it (nor itself).
      {{{"s2", "1"}, {"t2", "1"}, {"e", "1"}}, false},
      {{{"t1", "1"}, {"e", "0"}}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.target.ToString());
    EXPECT_EQ(inhibitor.InhibitedBy(c.target, kNow).has_value(), c.muted);
  }
  EXPECT_EQ(inhibitor.InhibitedBy({{"t1", "1"}, {"e", "1"}}, kNow),
            AlertFingerprint(source1.labels));
}

TEST(InhibitorTest, FollowsTheSourcesLatestStateAndForgetsResolvedOnes) {
  Inhibitor inhibitor({Rule({Eq("s", "1")}, {Eq("t", "1")}, {"e"})});
  const model::Labels target{{"t", "1"}, {"e", "f"}};
  EXPECT_FALSE(inhibitor.InhibitedBy(target, kNow));
  inhibitor.Observe(Firing({{"s", "1"}, {"e", "f"}}));
  EXPECT_TRUE(inhibitor.InhibitedBy(target, kNow));
  // The source's end comes: it stops muting, without an update.
  EXPECT_FALSE(inhibitor.InhibitedBy(target, kNow + 61 * kMinute));
  // An update that resolves it stops it at once.
  inhibitor.Observe(Resolved({{"s", "1"}, {"e", "f"}}));
  EXPECT_FALSE(inhibitor.InhibitedBy(target, kNow));
  inhibitor.Observe(Firing({{"s", "1"}, {"e", "f"}}));
  inhibitor.CollectGarbage(kNow);
  EXPECT_TRUE(inhibitor.InhibitedBy(target, kNow));  // Still firing: kept.
  inhibitor.CollectGarbage(kNow + 61 * kMinute);
  inhibitor.Observe(Firing({{"s", "1"}, {"e", "g"}}));  // Another value of `e`.
  EXPECT_FALSE(inhibitor.InhibitedBy(target, kNow));
}

}  // namespace
}  // namespace argus::notify
