#pragma once

// Helpers of the TSDB's tests.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/labels.h"
#include "storage/querier.h"
#include "tsdb/db.h"
#include "tsdb/head.h"
#include "tsdb/querier.h"

namespace argus::tsdb::testing {

using Samples = std::vector<std::pair<int64_t, double>>;

inline std::vector<model::Matcher> Eq(std::string name, std::string value) {
  std::vector<model::Matcher> m;
  m.push_back(
      *model::Matcher::Make(model::Matcher::Type::kEqual, std::move(name), std::move(value)));
  return m;
}

// Every series matching `matchers` with its samples, in the querier's order.
inline std::vector<std::pair<model::Labels, Samples>> ReadAll(
    storage::Querier& q, const std::vector<model::Matcher>& matchers) {
  std::vector<std::pair<model::Labels, Samples>> out;
  auto set = q.Select(matchers);
  while (set->Next()) {
    Samples samples;
    auto it = set->At().Iterator();
    while (it->Next()) samples.emplace_back(it->t(), it->v());
    EXPECT_TRUE(it->Err().ok()) << it->Err().message();
    out.emplace_back(set->At().labels(), std::move(samples));
  }
  EXPECT_TRUE(set->Err().ok()) << set->Err().message();
  return out;
}

// The samples of the one series named `name`.
inline Samples ReadSeries(storage::Queryable& db, const std::string& name, int64_t mint = INT64_MIN,
                          int64_t maxt = INT64_MAX) {
  auto q = db.NewQuerier(mint, maxt);
  auto all = ReadAll(*q, Eq("__name__", name));
  EXPECT_LE(all.size(), 1u) << name;
  return all.empty() ? Samples{} : all.front().second;
}

// Reads a head alone.
class HeadQueryable final : public storage::Queryable {
 public:
  explicit HeadQueryable(const Head& head) : head_(head) {}
  std::unique_ptr<storage::Querier> NewQuerier(int64_t mint, int64_t maxt) override {
    return tsdb::NewQuerier(&head_, {}, mint, maxt);
  }

 private:
  const Head& head_;
};

inline model::Labels Series(std::string name, std::string job = "api") {
  return model::Labels{{"__name__", name}, {"job", job}};
}

// A test with a database directory of its own, `name` and the process' ID under the test's
// temporary directory, empty at the start and removed at the end; background compaction is off so
// that tests compact when they say.
class DbDirTest : public ::testing::Test {
 protected:
  explicit DbDirTest(const std::string& name)
      : dir_(::testing::TempDir() + "/" + name + "_" + std::to_string(getpid())) {
    std::filesystem::remove_all(dir_);
    options_.background_compaction = false;
  }
  ~DbDirTest() override { std::filesystem::remove_all(dir_); }

  // Opens the database in dir_ with options_; null, and the test failed, if it cannot.
  std::unique_ptr<Db> Open() {
    auto db = Db::Open(dir_, options_);
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(*db) : nullptr;
  }

  std::filesystem::path dir_;
  DbOptions options_;
};

}  // namespace argus::tsdb::testing
