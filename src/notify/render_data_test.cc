#include "notify/render_data.h"

#include <gtest/gtest.h>

#include "notify/render_test_util.h"

namespace argus::notify {
namespace {

using testing::InstanceDownGroup;

TEST(RenderDataTest, FingerprintsAreAlertmanagers) {
  // Values from prometheus/common's signature tests.
  EXPECT_EQ(AlertFingerprint({}), 14695981039346656037ull);
  EXPECT_EQ(AlertFingerprint({{"name", "garland, briggs"}, {"fear", "love is not enough"}}),
            5799056148416392346ull);
  EXPECT_EQ(FormatFingerprint(0xab), "00000000000000ab");
}

TEST(RenderDataTest, CommonLabelsAndAnnotationsAreThoseAllAlertsShare) {
  const GroupNotification group = InstanceDownGroup();  // The data points into it.
  std::optional<RenderData> data = MakeRenderData(group, {});
  ASSERT_TRUE(data);
  EXPECT_EQ(data->common_labels,
            model::Labels({{"alertname", "InstanceDown"}, {"job", "node"}, {"severity", "page"}}));
  EXPECT_TRUE(data->common_annotations.empty());
  EXPECT_EQ(data->status, AlertStatus::kFiring);
  EXPECT_EQ(data->CountWithStatus(AlertStatus::kFiring), 2u);
}

TEST(RenderDataTest, ResolvedAlertsAreDroppedUnlessSendResolved) {
  GroupNotification group = InstanceDownGroup();
  group.alerts[0].ends_at_ms = group.now_ms - 1;
  std::optional<RenderData> all = MakeRenderData(group, {.send_resolved = true});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->alerts.size(), 2u);
  EXPECT_EQ(all->alerts[0].status, AlertStatus::kResolved);
  std::optional<RenderData> firing = MakeRenderData(group, {.send_resolved = false});
  ASSERT_TRUE(firing);
  ASSERT_EQ(firing->alerts.size(), 1u);
  EXPECT_EQ(firing->alerts[0].alert, &group.alerts[1]);

  group.alerts[1].ends_at_ms = group.now_ms - 1;
  EXPECT_FALSE(MakeRenderData(group, {.send_resolved = false}));
  std::optional<RenderData> resolved = MakeRenderData(group, {.send_resolved = true});
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->status, AlertStatus::kResolved);
}

TEST(RenderDataTest, EventsNeverResolve) {
  GroupNotification group = InstanceDownGroup();
  group.alerts = {model::Alert{.labels = {{"alertname", "deploy"}, {"argus_event", "true"}},
                               .starts_at_ms = group.now_ms - 60000,
                               .ends_at_ms = group.now_ms - 1}};
  EXPECT_FALSE(MakeRenderData(group, {.send_resolved = true}));
  group.alerts[0].ends_at_ms = group.now_ms + 1;
  std::optional<RenderData> data = MakeRenderData(group, {});
  ASSERT_TRUE(data);
  EXPECT_TRUE(data->alerts[0].is_event);
}

TEST(RenderDataTest, ExternalUrlLosesItsTrailingSlash) {
  const GroupNotification group = InstanceDownGroup();
  std::optional<RenderData> data = MakeRenderData(group, {.external_url = "http://argus:9090/"});
  ASSERT_TRUE(data);
  EXPECT_EQ(data->external_url, "http://argus:9090");
}

TEST(RenderDataTest, GroupStateHashFollowsTheStateNotTheOrder) {
  GroupNotification group = InstanceDownGroup();
  uint64_t firing = GroupStateHash(group);
  std::swap(group.alerts[0], group.alerts[1]);
  EXPECT_EQ(GroupStateHash(group), firing);
  group.now_ms += 1;  // Same state a moment later.
  EXPECT_EQ(GroupStateHash(group), firing);
  group.alerts[0].ends_at_ms = group.now_ms;
  EXPECT_NE(GroupStateHash(group), firing);
  group.alerts.pop_back();
  EXPECT_NE(GroupStateHash(group), firing);
}

}  // namespace
}  // namespace argus::notify
