#include "notify/alert_store.h"

#include <gtest/gtest.h>

namespace argus::notify {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kMinute = 60'000;
const model::Labels kLabels{{"alertname", "Down"}, {"job", "api"}};

StoredAlert Stored(int64_t starts, int64_t ends, int64_t updated, bool timeout = false) {
  return StoredAlert{model::Alert{.labels = kLabels, .starts_at_ms = starts, .ends_at_ms = ends},
                     updated, timeout};
}

TEST(AlertStoreTest, ReceiveFillsTimesAsAlertmanagersApi) {
  struct Case {
    std::string name;
    int64_t starts, ends;
    int64_t want_starts, want_ends;
    bool want_timeout;
  };
  const Case cases[] = {
      {"no times: starts now, ends after resolve_timeout", 0, 0, kNow, kNow + 5 * kMinute, true},
      {"only an end: starts there", 0, kNow - kMinute, kNow - kMinute, kNow - kMinute, false},
      {"only a start", kNow - 9 * kMinute, 0, kNow - 9 * kMinute, kNow + 5 * kMinute, true},
      {"both", kNow - kMinute, kNow + kMinute, kNow - kMinute, kNow + kMinute, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StoredAlert got =
        Receive(model::Alert{.labels = kLabels, .starts_at_ms = c.starts, .ends_at_ms = c.ends},
                kNow, 5min);
    EXPECT_EQ(got.alert.starts_at_ms, c.want_starts);
    EXPECT_EQ(got.alert.ends_at_ms, c.want_ends);
    EXPECT_EQ(got.timeout, c.want_timeout);
    EXPECT_EQ(got.updated_at_ms, kNow);
  }
}

TEST(AlertStoreTest, ValidateAlert) {
  struct Case {
    model::Alert alert;
    std::string error;  // Empty: valid.
  };
  const Case cases[] = {
      {{.labels = kLabels, .starts_at_ms = kNow, .ends_at_ms = kNow}, ""},
      {{.labels = kLabels, .starts_at_ms = kNow, .ends_at_ms = 0}, ""},
      {{.labels = kLabels, .starts_at_ms = 0}, "start time missing"},
      {{.labels = kLabels, .starts_at_ms = kNow, .ends_at_ms = kNow - 1},
       "start time must be before end time"},
      {{.labels = {}, .starts_at_ms = kNow}, "at least one label pair required"},
      {{.labels = model::Labels::FromUnsorted({{"bad-name", "x"}}), .starts_at_ms = kNow},
       "invalid label set: invalid name \"bad-name\""},
      {{.labels = kLabels,
        .annotations = model::Labels::FromUnsorted({{"summary", "\xff"}}),
        .starts_at_ms = kNow},
       "invalid annotations: invalid value \"\xff\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.alert.labels.ToString());
    Status s = ValidateAlert(c.alert);
    EXPECT_EQ(s.ok(), c.error.empty());
    EXPECT_EQ(s.message(), c.error);
    if (!s.ok()) EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  }
}

TEST(AlertStoreTest, MergeAsAlertmanager) {
  struct Case {
    std::string name;
    StoredAlert known, update;
    int64_t want_starts, want_ends;
  };
  const Case cases[] = {
      {"the earlier start stays, the younger end wins when later",
       Stored(kNow - 10 * kMinute, kNow + 5 * kMinute, kNow - kMinute),
       Stored(kNow - 2 * kMinute, kNow + 9 * kMinute, kNow), kNow - 10 * kMinute,
       kNow + 9 * kMinute},
      {"an older end a sender gave rules when later",
       Stored(kNow - 10 * kMinute, kNow + 30 * kMinute, kNow - kMinute),
       Stored(kNow - 10 * kMinute, kNow + 5 * kMinute, kNow, true), kNow - 10 * kMinute,
       kNow + 30 * kMinute},
      {"an older end from resolve_timeout does not",
       Stored(kNow - 10 * kMinute, kNow + 30 * kMinute, kNow - kMinute, true),
       Stored(kNow - 10 * kMinute, kNow + 5 * kMinute, kNow), kNow - 10 * kMinute,
       kNow + 5 * kMinute},
      {"a resolving update wins over a later firing end",
       Stored(kNow - 10 * kMinute, kNow + 30 * kMinute, kNow - kMinute),
       Stored(kNow - 10 * kMinute, kNow - kMinute, kNow), kNow - 10 * kMinute, kNow - kMinute},
      {"both resolved: the later end",
       Stored(kNow - 10 * kMinute, kNow - 2 * kMinute, kNow - kMinute),
       Stored(kNow - 10 * kMinute, kNow - 3 * kMinute, kNow), kNow - 10 * kMinute,
       kNow - 2 * kMinute},
      {"an update older than what is known loses",
       Stored(kNow - 10 * kMinute, kNow + 20 * kMinute, kNow),
       Stored(kNow - 20 * kMinute, kNow + 5 * kMinute, kNow - kMinute, true), kNow - 20 * kMinute,
       kNow + 20 * kMinute},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    StoredAlert got = Merge(c.known, c.update, kNow);
    EXPECT_EQ(got.alert.starts_at_ms, c.want_starts);
    EXPECT_EQ(got.alert.ends_at_ms, c.want_ends);
  }
}

TEST(AlertStoreTest, PutMergesOverlappingUpdatesAndReplacesOthers) {
  AlertStore store;
  const uint64_t fp = kLabels.Hash();
  store.Put(Stored(kNow - 10 * kMinute, kNow + 5 * kMinute, kNow - kMinute), kNow);
  // Overlaps: the start stays the first one's.
  StoredAlert got = store.Put(Stored(kNow - kMinute, kNow + 6 * kMinute, kNow), kNow);
  EXPECT_EQ(got.alert.starts_at_ms, kNow - 10 * kMinute);
  EXPECT_EQ(got.alert.ends_at_ms, kNow + 6 * kMinute);
  EXPECT_EQ(store.Get(fp)->alert.starts_at_ms, kNow - 10 * kMinute);

  // Resolved, then firing again later: a new activity, not merged.
  store.Put(Stored(kNow - 10 * kMinute, kNow, kNow), kNow);
  got = store.Put(Stored(kNow + 20 * kMinute, kNow + 25 * kMinute, kNow + 20 * kMinute),
                  kNow + 20 * kMinute);
  EXPECT_EQ(got.alert.starts_at_ms, kNow + 20 * kMinute);
  EXPECT_EQ(store.size(), 1u);
}

TEST(AlertStoreTest, CollectGarbageRemovesResolvedAlertsOnly) {
  AlertStore store;
  store.Put(Stored(kNow - kMinute, kNow + kMinute, kNow), kNow);
  StoredAlert other = Stored(kNow - kMinute, kNow - 1, kNow);
  other.alert.labels = {{"alertname", "Other"}};
  store.Put(other, kNow);
  std::vector<StoredAlert> gone = store.CollectGarbage(kNow);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].alert.labels, other.alert.labels);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.CollectGarbage(kNow + kMinute).size(), 1u);  // Its end has come.
  EXPECT_EQ(store.size(), 0u);
  EXPECT_FALSE(store.Get(kLabels.Hash()));
}

}  // namespace
}  // namespace argus::notify

namespace argus::notify {
namespace {

TEST(AlertOrderTest, AsAlertmanagersAlertSlice) {
  struct Case {
    model::Labels a, b;
    bool a_before_b;
  };
  const Case cases[] = {
      {{{"job", "a"}, {"z", "9"}}, {{"job", "b"}, {"a", "1"}}, true},
      {{{"job", "x"}, {"z", "1"}}, {{"a", "1"}}, true},  // With `job` before without.
      {{{"a", "1"}}, {{"job", "x"}}, false},
      {{{"job", "x"}, {"instance", "b"}}, {{"job", "x"}, {"instance", "a"}}, false},
      {{{"instance", "a"}, {"x", "1"}}, {{"instance", "a"}, {"y", "1"}}, false},
      // Then LabelSet.Before: fewer labels first, ...
      {{{"b", "1"}}, {{"a", "1"}, {"c", "1"}}, true},
      // ... then the first name of both sets that one of them lacks: the set lacking it first.
      {{{"b", "1"}, {"c", "1"}}, {{"a", "1"}, {"c", "1"}}, true},
      {{{"a", "1"}, {"c", "1"}}, {{"b", "1"}, {"c", "1"}}, false},
      {{{"a", "1"}}, {{"a", "2"}}, true},
      {{{"a", "1"}}, {{"a", "1"}}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.a.ToString() + " vs " + c.b.ToString());
    EXPECT_EQ(AlertBefore(model::Alert{.labels = c.a}, model::Alert{.labels = c.b}), c.a_before_b);
  }
}

}  // namespace
}  // namespace argus::notify
