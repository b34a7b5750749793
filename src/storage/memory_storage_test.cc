#include "storage/memory_storage.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>

#include "storage/appender.h"

namespace argus::storage {
namespace {

std::vector<std::pair<int64_t, double>> ReadAll(Storage& s, const model::Labels& labels) {
  auto q = s.NewQuerier(INT64_MIN, INT64_MAX);
  std::vector<model::Matcher> ms;
  for (const auto& l : labels) {
    ms.push_back(*model::Matcher::Make(model::Matcher::Type::kEqual, l.name, l.value));
  }
  auto set = q->Select(ms);
  std::vector<std::pair<int64_t, double>> out;
  while (set->Next()) {
    auto it = set->At().Iterator();
    while (it->Next()) out.emplace_back(it->t(), it->v());
  }
  return out;
}

TEST(MemoryStorageTest, CommitMakesVisibleRollbackDiscards) {
  auto s = NewMemoryStorage();
  model::Labels up{{"__name__", "up"}, {"job", "a"}};
  auto app = s->NewAppender();
  ASSERT_TRUE(app->Append(0, up, 1000, 1).ok());
  EXPECT_TRUE(ReadAll(*s, up).empty());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadAll(*s, up).size(), 1u);

  app = s->NewAppender();
  ASSERT_TRUE(app->Append(0, up, 2000, 1).ok());
  app->Rollback();
  EXPECT_EQ(ReadAll(*s, up).size(), 1u);
}

TEST(MemoryStorageTest, RejectsOutOfOrderAndDuplicatesButKeepsTheRest) {
  auto s = NewMemoryStorage();
  model::Labels a{{"__name__", "a"}};
  auto app = s->NewAppender();
  auto ref = app->Append(0, a, 2000, 1);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(app->Append(*ref, a, 1000, 1).status().code(), Status::Code::kOutOfOrder);
  EXPECT_EQ(app->Append(*ref, a, 2000, 2).status().code(), Status::Code::kDuplicate);
  EXPECT_TRUE(app->Append(*ref, a, 2000, 1).ok());  // Same value: accepted, not stored twice.
  ASSERT_TRUE(app->Append(*ref, a, 3000, 3).ok());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadAll(*s, a), (std::vector<std::pair<int64_t, double>>{{2000, 1}, {3000, 3}}));
}

TEST(MemoryStorageTest, AppendsByRefWithoutLabels) {
  auto s = NewMemoryStorage();
  model::Labels up{{"__name__", "up"}, {"job", "a"}};
  auto app = s->NewAppender();
  auto ref = app->Append(0, up, 1000, 1);
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(app->Append(*ref, model::Labels(), 2000, 0).ok());
  auto unknown = app->Append(*ref + 100, model::Labels(), 2000, 0);
  EXPECT_EQ(unknown.status().code(), Status::Code::kNotFound);
  // An unknown ref with labels is looked up by them.
  EXPECT_EQ(*app->Append(*ref + 100, up, 3000, 1), *ref);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(ReadAll(*s, up),
            (std::vector<std::pair<int64_t, double>>{{1000, 1}, {2000, 0}, {3000, 1}}));
}

TEST(MemoryStorageTest, StalenessMarkerReadsBackBitExact) {
  auto s = NewMemoryStorage();
  model::Labels a{{"__name__", "a"}};
  auto app = s->NewAppender();
  ASSERT_TRUE(app->Append(0, a, 1000, StaleNaN()).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto got = ReadAll(*s, a);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(IsStaleNaN(got[0].second));
  EXPECT_FALSE(IsStaleNaN(std::nan("")));
}

TEST(MemoryStorageTest, LabelNamesAndValues) {
  auto s = NewMemoryStorage();
  auto app = s->NewAppender();
  ASSERT_TRUE(app->Append(0, {{"__name__", "x"}, {"job", "b"}}, 1, 1).ok());
  ASSERT_TRUE(app->Append(0, {{"__name__", "x"}, {"job", "a"}, {"zone", "z"}}, 1, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto q = s->NewQuerier(0, 10);
  EXPECT_EQ(*q->LabelNames({}), (std::vector<std::string>{"__name__", "job", "zone"}));
  EXPECT_EQ(*q->LabelValues("job", {}), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace argus::storage
