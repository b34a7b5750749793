#include "tsdb/index/mem_index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/check.h"
#include "tsdb/index/matcher_test_util.h"

namespace argus::tsdb {
namespace {

std::vector<SeriesId> Ids(std::unique_ptr<Postings> p) {
  auto ids = ExpandPostings(*p);
  EXPECT_TRUE(ids.ok());
  return ids.ok() ? *ids : std::vector<SeriesId>{};
}

model::Labels LabelsOf(const MemIndex& index, SeriesId id) {
  model::LabelsBuilder b;
  EXPECT_TRUE(index.SeriesLabels(id, b).ok());
  return b.Build();
}

TEST(MemIndexTest, AddQueryRemove) {
  MemIndex index;
  model::Labels a{{"__name__", "up"}, {"job", "api"}, {"instance", "a:9100"}};
  model::Labels b{{"__name__", "up"}, {"job", "web"}, {"instance", "b:9100"}};
  model::Labels c{{"__name__", "scrape_duration_seconds"}, {"job", "api"}, {"instance", "a:9100"}};
  ASSERT_TRUE(index.Add(10, a).ok());
  ASSERT_TRUE(index.Add(11, b).ok());
  ASSERT_TRUE(index.Add(70000, c).ok());  // In another roaring container and slot page.
  EXPECT_EQ(index.Add(11, c).code(), Status::Code::kDuplicate);
  EXPECT_EQ(index.Add(MemIndex::kMaxId + 1, c).code(), Status::Code::kLimitExceeded);
  EXPECT_EQ(index.NumSeries(), 3u);

  EXPECT_EQ(LabelsOf(index, 70000), c);
  EXPECT_EQ(Ids(index.PostingsFor("job", "api")), (std::vector<SeriesId>{10, 70000}));
  EXPECT_EQ(Ids(index.PostingsFor("__name__", "up")), (std::vector<SeriesId>{10, 11}));
  EXPECT_TRUE(Ids(index.PostingsFor("job", "nope")).empty());
  EXPECT_TRUE(Ids(index.PostingsFor("nope", "api")).empty());
  EXPECT_EQ(Ids(index.AllPostings()), (std::vector<SeriesId>{10, 11, 70000}));
  EXPECT_EQ(*index.LabelNames(), (std::vector<std::string>{"__name__", "instance", "job"}));
  EXPECT_EQ(*LabelValues(index, "job"), (std::vector<std::string>{"api", "web"}));
  std::vector<std::string> in_range;
  ASSERT_TRUE(index
                  .VisitLabelValues("__name__", {"t", std::nullopt},
                                    [&](std::string_view v) {
                                      in_range.emplace_back(v);
                                      return true;
                                    })
                  .ok());
  EXPECT_EQ(in_range, (std::vector<std::string>{"up"}));

  auto snapshot = index.PostingsFor("job", "api");
  SeriesId removed[] = {10, 12345};  // An unknown id is ignored.
  index.Remove(removed);
  EXPECT_EQ(index.NumSeries(), 2u);
  model::LabelsBuilder builder;
  EXPECT_EQ(index.SeriesLabels(10, builder).code(), Status::Code::kInvalidInput);
  EXPECT_EQ(Ids(index.PostingsFor("job", "api")), (std::vector<SeriesId>{70000}));
  EXPECT_EQ(*LabelValues(index, "instance"), (std::vector<std::string>{"a:9100", "b:9100"}));
  EXPECT_EQ(Ids(std::move(snapshot)), (std::vector<SeriesId>{10, 70000}));  // Unchanged.

  SeriesId rest[] = {11, 70000};
  index.Remove(rest);
  EXPECT_EQ(index.NumSeries(), 0u);
  EXPECT_TRUE(index.LabelNames()->empty());
  EXPECT_TRUE(Ids(index.AllPostings()).empty());
  // Ids and strings can be used again.
  ASSERT_TRUE(index.Add(10, c).ok());
  EXPECT_EQ(LabelsOf(index, 10), c);
}

// Many series come and go, so the label pages and the symbol table compact; what stays must
// read back the same.
TEST(MemIndexTest, ChurnKeepsLabelsIntact) {
  MemIndex index;
  auto series = testing::MakeSeries(8000, 3);
  for (size_t i = 0; i < series.size(); ++i) ASSERT_TRUE(index.Add(i, series[i]).ok());
  size_t full = index.MemoryBytes();
  std::vector<SeriesId> gone;
  for (size_t i = 0; i < series.size(); ++i) {
    if (i % 10 != 0) gone.push_back(i);
  }
  index.Remove(gone);
  EXPECT_LT(index.MemoryBytes(), full / 2);
  for (size_t i = 0; i < series.size(); i += 10) ASSERT_EQ(LabelsOf(index, i), series[i]) << i;
  std::vector<SeriesId> want;
  for (size_t i = 0; i < series.size(); i += 10) {
    if (series[i].Get("job") == "db") want.push_back(i);
  }
  EXPECT_EQ(Ids(index.PostingsFor("job", "db")), want);
  auto pods = LabelValues(index, "pod");
  EXPECT_EQ(pods->size(), series.size() / 10);
}

// One writer adds and removes while readers query; every answer must be a consistent state:
// a series listed for job=api has job=api (or is gone by the time its labels are read).
TEST(MemIndexTest, ReadersWithAWriter) {
  MemIndex index;
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (SeriesId id = 0; id < 4000; ++id) {
      model::Labels l{
          {"__name__", "m"}, {"job", id % 2 ? "api" : "web"}, {"pod", "p" + std::to_string(id)}};
      CHECK(index.Add(id, l).ok());
      if (id % 100 == 99) {
        std::vector<SeriesId> old;
        for (SeriesId o = id - 99; o < id - 50; ++o) old.push_back(o);
        index.Remove(old);
      }
    }
    done = true;
  });
  std::vector<std::thread> readers;
  std::atomic<size_t> checked = 0;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      model::LabelsBuilder b;
      while (!done) {
        auto p = index.PostingsFor("job", "api");
        SeriesId last = 0;
        bool first = true;
        while (p->Next()) {
          CHECK(first || p->At() > last);
          first = false;
          last = p->At();
          if (index.SeriesLabels(p->At(), b).ok()) {
            CHECK(b.Get("job") == "api");
            CHECK(b.Get("pod") == "p" + std::to_string(p->At()));
            ++checked;
          }
        }
        (void)LabelValues(index, "pod");
      }
    });
  }
  writer.join();
  for (auto& t : readers) t.join();
  EXPECT_EQ(index.NumSeries(), 4000u - 40u * 49u);
  EXPECT_GT(checked.load(), 0u);
}

}  // namespace
}  // namespace argus::tsdb
