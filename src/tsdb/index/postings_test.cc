#include "tsdb/index/postings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace argus::tsdb {
namespace {

std::vector<SeriesId> Expand(std::unique_ptr<Postings> p) {
  auto ids = ExpandPostings(*p);
  EXPECT_TRUE(ids.ok()) << ids.status().message();
  return ids.ok() ? *ids : std::vector<SeriesId>{};
}

std::vector<std::unique_ptr<Postings>> Lists(const std::vector<std::vector<SeriesId>>& lists) {
  std::vector<std::unique_ptr<Postings>> out;
  for (const auto& l : lists) out.push_back(ListPostings(l));
  return out;
}

TEST(PostingsTest, ListNextAndSeek) {
  auto p = ListPostings({2, 4, 8, 16});
  ASSERT_TRUE(p->Seek(3));
  EXPECT_EQ(p->At(), 4u);
  ASSERT_TRUE(p->Seek(4));  // Stays put.
  EXPECT_EQ(p->At(), 4u);
  ASSERT_TRUE(p->Seek(1));  // Never goes back.
  EXPECT_EQ(p->At(), 4u);
  ASSERT_TRUE(p->Next());
  EXPECT_EQ(p->At(), 8u);
  EXPECT_FALSE(p->Seek(17));
  EXPECT_FALSE(p->Next());
  EXPECT_TRUE(Expand(EmptyPostings()).empty());
}

TEST(PostingsTest, IntersectMergeWithout) {
  EXPECT_EQ(Expand(Intersect(Lists({{1, 2, 3, 5, 8, 13}, {2, 3, 4, 5, 13, 20}, {0, 3, 5, 13}}))),
            (std::vector<SeriesId>{3, 5, 13}));
  EXPECT_EQ(Expand(Merge(Lists({{1, 5, 9}, {2, 5, 10}, {}, {0, 9}}))),
            (std::vector<SeriesId>{0, 1, 2, 5, 9, 10}));
  EXPECT_EQ(Expand(Without(ListPostings({1, 2, 3, 4, 5, 6}), ListPostings({2, 3, 6, 7}))),
            (std::vector<SeriesId>{1, 4, 5}));
  EXPECT_TRUE(Expand(Intersect({})).empty());
  EXPECT_TRUE(Expand(Merge({})).empty());
}

TEST(PostingsTest, ErrorsPropagate) {
  auto error = [] { return ErrorPostings(Status::Error("bad block", Status::Code::kCorruption)); };
  std::vector<std::unique_ptr<Postings>> lists;
  lists.push_back(ListPostings({1, 2}));
  lists.push_back(error());
  auto merged = Merge(std::move(lists));
  EXPECT_FALSE(ExpandPostings(*merged).ok());
  lists.clear();
  lists.push_back(ListPostings({1, 2}));
  lists.push_back(error());
  auto intersected = Intersect(std::move(lists));
  EXPECT_EQ(ExpandPostings(*intersected).status().code(), Status::Code::kCorruption);
  auto without = Without(ListPostings({1, 2}), error());
  EXPECT_FALSE(ExpandPostings(*without).ok());
}

// Random lists against std::set arithmetic, walked with a mix of Next and Seek.
TEST(PostingsTest, RandomAgainstSets) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<SeriesId>> lists(1 + rng() % 4);
    for (auto& l : lists) {
      std::set<SeriesId> ids;
      size_t n = rng() % 60, range = 1 + rng() % 200;
      for (size_t i = 0; i < n; ++i) ids.insert(rng() % range);
      l.assign(ids.begin(), ids.end());
    }
    std::set<SeriesId> all, common(lists[0].begin(), lists[0].end());
    for (const auto& l : lists) {
      all.insert(l.begin(), l.end());
      std::set<SeriesId> next;
      std::set_intersection(common.begin(), common.end(), l.begin(), l.end(),
                            std::inserter(next, next.end()));
      common = next;
    }
    std::set<SeriesId> rest(lists[0].begin(), lists[0].end());
    for (SeriesId id : lists.back()) {
      if (lists.size() > 1) rest.erase(id);
    }
    auto drop = lists.size() > 1 ? ListPostings(lists.back()) : EmptyPostings();
    struct Case {
      std::unique_ptr<Postings> list;
      std::set<SeriesId> want;
    };
    Case cases[] = {{Intersect(Lists(lists)), common},
                    {Merge(Lists(lists)), all},
                    {Without(ListPostings(lists[0]), std::move(drop)), rest}};
    for (auto& c : cases) {
      SeriesId target = rng() % 50;
      bool ok = c.list->Seek(target);
      auto it = c.want.lower_bound(target);
      while (true) {
        ASSERT_EQ(ok, it != c.want.end());
        if (!ok) break;
        ASSERT_EQ(c.list->At(), *it);
        if (rng() % 3 == 0) {
          target = c.list->At() + rng() % 20;
          ok = c.list->Seek(target);
          it = c.want.lower_bound(target);
        } else {
          ok = c.list->Next();
          ++it;
        }
      }
    }
  }
}

}  // namespace
}  // namespace argus::tsdb
