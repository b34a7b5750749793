#include "notify/silence_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "base/crc32c.h"
#include "notify/notify_test_util.h"
#include "notify/silence_snapshot.h"
#include "tsdb/index/block_test_util.h"

namespace argus::notify {
namespace {

using namespace std::chrono_literals;
using testing::Eq;
using testing::Ne;
using testing::Nre;
using testing::Re;

constexpr int64_t kMinute = 60'000;

class SilenceStoreTest : public ::testing::Test {
 protected:
  int64_t now() const { return clock_.NowMillis(); }
  std::unique_ptr<SilenceStore> Open(std::filesystem::path path = {}) {
    auto store = SilenceStore::Open(clock_, std::move(path), 120h);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return std::move(*store);
  }
  Silence Make(std::vector<model::Matcher> matchers, int64_t starts, int64_t ends) {
    Silence s;
    s.matchers = std::move(matchers);
    s.starts_at_ms = starts;
    s.ends_at_ms = ends;
    s.created_by = "alice";
    s.comment = "maintenance";
    return s;
  }

  ManualClock clock_;
};

TEST_F(SilenceStoreTest, NewSilencesGetAUuidAndStartNoEarlierThanNow) {
  auto store = Open();
  auto id = store->Set(Make({Eq("job", "api")}, now() - kMinute, now() + kMinute));
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_TRUE(std::regex_match(
      *id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << *id;
  std::optional<Silence> got = store->Get(*id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->starts_at_ms, now());
  EXPECT_EQ(got->updated_at_ms, now());
  EXPECT_EQ(got->created_by, "alice");
  EXPECT_EQ(got->comment, "maintenance");
  EXPECT_NE(*store->Set(Make({Eq("job", "api")}, now(), now() + kMinute)), *id);
}

TEST_F(SilenceStoreTest, InvalidSilencesAreRefused) {
  auto store = Open();
  struct Case {
    std::vector<model::Matcher> matchers;
    int64_t starts, ends;
    std::string error;
  };
  const Case cases[] = {
      {{}, now(), now() + kMinute, "silence invalid: at least one matcher required"},
      {{Eq("job", "")},
       now(),
       now() + kMinute,
       "silence invalid: at least one matcher must not match the empty string"},
      {{Re("job", ".*"), Eq("env", "")},
       now(),
       now() + kMinute,
       "silence invalid: at least one matcher must not match the empty string"},
      {{Eq("job", "api")},
       now() + kMinute,
       now(),
       "silence invalid: end time must not be before start time"},
      {{Eq("job", "api")}, now(), 0, "silence invalid: invalid zero end timestamp"},
      {{testing::Eq("bad-name", "x")},
       now(),
       now() + kMinute,
       "silence invalid: invalid label matcher 0: invalid label name \"bad-name\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.error);
    auto id = store->Set(Make(c.matchers, c.starts, c.ends));
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.status().code(), Status::Code::kInvalidInput);
    EXPECT_EQ(id.status().message(), c.error);
  }
  EXPECT_TRUE(store->List().empty());
  auto unknown = store->Set([&] {
    Silence s = Make({Eq("job", "api")}, now(), now() + kMinute);
    s.id = "nope";
    return s;
  }());
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
}

TEST_F(SilenceStoreTest, MatchesActiveAndPendingSilencesByTheirMatchers) {
  auto store = Open();
  const std::string api = *store->Set(Make({Eq("job", "api")}, now(), now() + 10 * kMinute));
  const std::string not_prod =
      *store->Set(Make({Re("job", "api|web"), Ne("env", "prod")}, now(), now() + 10 * kMinute));
  const std::string no_db =
      *store->Set(Make({Nre("instance", "db-.*"), Eq("team", "x")}, now(), now() + kMinute));
  const std::string later =
      *store->Set(Make({Eq("job", "web")}, now() + 5 * kMinute, now() + 10 * kMinute));

  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  struct Case {
    model::Labels labels;
    SilenceMatch want;
  };
  const Case cases[] = {
      {{{"job", "api"}, {"env", "prod"}}, {{api}, {}}},
      {{{"job", "api"}, {"env", "dev"}}, {sorted({api, not_prod}), {}}},
      {{{"job", "api"}}, {sorted({api, not_prod}), {}}},  // env missing: "" != "prod".
      {{{"job", "web"}, {"env", "prod"}}, {{}, {later}}},
      {{{"job", "apix"}}, {{}, {}}},  // Regexes are anchored.
      {{{"team", "x"}, {"instance", "web-1"}}, {{no_db}, {}}},
      {{{"team", "x"}, {"instance", "db-1"}}, {{}, {}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.labels.ToString());
    EXPECT_EQ(store->Match(c.labels), c.want);
  }
  // States follow the clock: `later` starts, `no_db` ends.
  clock_.Advance(std::chrono::minutes(6));
  EXPECT_EQ(store->Match({{"job", "web"}}), (SilenceMatch{sorted({not_prod, later}), {}}));
  EXPECT_EQ(store->Match({{"team", "x"}}), SilenceMatch{});
  EXPECT_EQ(StateAt(*store->Get(no_db), now()), SilenceState::kExpired);
  EXPECT_EQ(SilenceStateName(StateAt(*store->Get(later), now())), "active");
}

TEST_F(SilenceStoreTest, UpdatesInPlaceOnlyWhereAlertmanagerDoes) {
  auto store = Open();
  const int64_t start = now();
  const std::string id = *store->Set(Make({Eq("job", "api")}, start, start + 10 * kMinute));
  clock_.Advance(std::chrono::minutes(1));

  // Active: a later end with the same start and matchers keeps the id.
  Silence longer = *store->Get(id);
  longer.ends_at_ms = start + 60 * kMinute;
  longer.comment = "longer";
  EXPECT_EQ(*store->Set(longer), id);
  EXPECT_EQ(store->Get(id)->ends_at_ms, start + 60 * kMinute);
  EXPECT_EQ(store->Get(id)->updated_at_ms, now());

  // Other matchers: the old one expires now, a new one replaces it.
  Silence other = *store->Get(id);
  other.matchers = {Eq("job", "web")};
  const std::string replaced = *store->Set(other);
  EXPECT_NE(replaced, id);
  EXPECT_EQ(store->Get(id)->ends_at_ms, now());
  EXPECT_EQ(store->Get(replaced)->starts_at_ms, now());
  clock_.Advance(std::chrono::milliseconds(1));  // Active up to its end, inclusive.
  EXPECT_EQ(store->Match({{"job", "api"}}), SilenceMatch{});

  // Pending: moving its start into the past replaces it too.
  const std::string pending =
      *store->Set(Make({Eq("job", "db")}, now() + 5 * kMinute, now() + 10 * kMinute));
  Silence earlier = *store->Get(pending);
  earlier.starts_at_ms = now() - kMinute;
  EXPECT_NE(*store->Set(earlier), pending);
  EXPECT_EQ(store->Get(pending)->starts_at_ms, now());
  EXPECT_EQ(store->Get(pending)->ends_at_ms, now());
}

TEST_F(SilenceStoreTest, ExpireEndsSilencesNow) {
  auto store = Open();
  const std::string active = *store->Set(Make({Eq("job", "api")}, now(), now() + kMinute));
  const std::string pending =
      *store->Set(Make({Eq("job", "web")}, now() + kMinute, now() + 2 * kMinute));
  clock_.Advance(std::chrono::seconds(10));
  ASSERT_TRUE(store->Expire(active).ok());
  ASSERT_TRUE(store->Expire(pending).ok());
  EXPECT_EQ(store->Get(active)->ends_at_ms, now());
  EXPECT_EQ(store->Get(pending)->starts_at_ms, now());
  EXPECT_EQ(store->Get(pending)->ends_at_ms, now());
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(StateAt(*store->Get(active), now()), SilenceState::kExpired);
  const int64_t updated = store->Get(active)->updated_at_ms;
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_TRUE(store->Expire(active).ok());  // Already expired: unchanged.
  EXPECT_EQ(store->Get(active)->updated_at_ms, updated);
  EXPECT_EQ(store->Expire("nope").code(), Status::Code::kNotFound);
}

TEST_F(SilenceStoreTest, CollectGarbageDropsSilencesExpiredForLongerThanTheRetention) {
  auto store = Open();
  const std::string id = *store->Set(Make({Eq("job", "api")}, now(), now() + kMinute));
  clock_.Advance(std::chrono::minutes(1) + 120h - std::chrono::milliseconds(1));
  EXPECT_EQ(*store->CollectGarbage(), 0u);
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(*store->CollectGarbage(), 1u);
  EXPECT_FALSE(store->Get(id));
}

TEST_F(SilenceStoreTest, SurvivesARestart) {
  tsdb::testing::TempDir dir;
  const auto path = dir.path() / "silences";
  std::string active, expired;
  {
    auto store = Open(path);
    active = *store->Set(Make({Re("job", "api|web"), Ne("env", "dev")}, now(), now() + kMinute));
    expired = *store->Set(Make({Eq("job", "db")}, now(), now() + kMinute));
    ASSERT_TRUE(store->Expire(expired).ok());
  }
  auto reopened = Open(path);
  std::vector<Silence> list = reopened->List();
  ASSERT_EQ(list.size(), 2u);
  std::optional<Silence> got = reopened->Get(active);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->created_by, "alice");
  ASSERT_EQ(got->matchers.size(), 2u);
  EXPECT_EQ(got->matchers[0].ToString(), R"(job=~"api|web")");
  EXPECT_EQ(got->matchers[1].ToString(), R"(env!="dev")");
  EXPECT_EQ(reopened->Match({{"job", "web"}}).active_ids, std::vector<std::string>{active});
  EXPECT_EQ(StateAt(*reopened->Get(expired), now() + 1), SilenceState::kExpired);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "silences.tmp"));
}

TEST_F(SilenceStoreTest, AChangeThatCannotBeWrittenDoesNotTakeEffect) {
  tsdb::testing::TempDir dir;
  auto store = Open(dir.path() / "missing-dir" / "silences");
  auto id = store->Set(Make({Eq("job", "api")}, now(), now() + kMinute));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Status::Code::kIOError);
  EXPECT_TRUE(store->List().empty());
}

TEST(SilenceSnapshotTest, BytesArePinned) {
  Silence s;
  s.id = "0123";
  s.created_by = "a";
  s.comment = "c";
  s.starts_at_ms = 1;
  s.ends_at_ms = 0x0102;
  s.updated_at_ms = 3;
  s.matchers = {Eq("job", "x"), Nre("i", "d.*")};
  std::string bytes;
  EncodeSilences({s}, &bytes);
  const std::string payload = std::string(
                                  "\x04"
                                  "0123"
                                  "\x01"
                                  "a"
                                  "\x01"
                                  "c",
                                  9) +
                              std::string("\x01\0\0\0\0\0\0\0", 8) +
                              std::string("\x02\x01\0\0\0\0\0\0", 8) +
                              std::string("\x03\0\0\0\0\0\0\0", 8) + std::string("\x02", 1) +
                              std::string(
                                  "\x00\x03"
                                  "job"
                                  "\x01"
                                  "x",
                                  7) +
                              std::string(
                                  "\x03\x01"
                                  "i"
                                  "\x03"
                                  "d.*",
                                  7);
  std::string want = std::string("ARGUSSIL\x01", 9) + static_cast<char>(payload.size()) + payload;
  const uint32_t crc = Crc32c(payload);
  for (int i = 0; i < 4; ++i) want.push_back(static_cast<char>(crc >> (8 * i)));
  EXPECT_EQ(bytes, want);

  auto decoded = DecodeSilences(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].id, "0123");
  EXPECT_EQ((*decoded)[0].ends_at_ms, 0x0102);
  EXPECT_TRUE(SameMatchers((*decoded)[0].matchers, s.matchers));
}

TEST(SilenceSnapshotTest, CorruptionIsReportedWithItsOffset) {
  Silence s;
  s.id = "x";
  s.matchers = {Eq("job", "x")};
  std::string good;
  EncodeSilences({s, s}, &good);
  const size_t second = 9 + (good.size() - 9) / 2;  // Both records have the same size.
  struct Case {
    std::string name;
    std::string bytes;
    std::string error;
  };
  std::string flipped = good;
  flipped[second + 3] ^= 1;
  std::string bad_version = good;
  bad_version[8] = 2;
  const Case cases[] = {
      {"empty", "", "silences file: byte 0: not a silences file (bad magic)"},
      {"bad magic", "ARGUSXXX\x01", "silences file: byte 0: not a silences file (bad magic)"},
      {"newer version", bad_version, "silences file: byte 8: unknown version 2"},
      {"flipped bit", flipped, fmt::format("silences file: byte {}: checksum mismatch", second)},
      {"cut short", good.substr(0, good.size() - 1),
       fmt::format("silences file: byte {}: record cut short", second)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto decoded = DecodeSilences(c.bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), Status::Code::kCorruption);
    EXPECT_EQ(decoded.status().message(), c.error);
  }
  EXPECT_EQ(DecodeSilences(std::string("ARGUSSIL\x01", 9))->size(), 0u);
}

TEST_F(SilenceStoreTest, ACorruptFileFailsToOpen) {
  tsdb::testing::TempDir dir;
  std::ofstream(dir.path() / "silences") << "garbage";
  auto store = SilenceStore::Open(clock_, dir.path() / "silences", 120h);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
  EXPECT_NE(store.status().message().find("silences: silences file: byte 0"), std::string::npos)
      << store.status().message();
}

}  // namespace
}  // namespace argus::notify
