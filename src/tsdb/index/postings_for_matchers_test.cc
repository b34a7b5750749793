#include "tsdb/index/postings_for_matchers.h"

#include <gtest/gtest.h>

#include <numeric>

#include "tsdb/index/block_reader.h"
#include "tsdb/index/block_test_util.h"
#include "tsdb/index/matcher_test_util.h"
#include "tsdb/index/mem_index.h"

namespace argus::tsdb {
namespace {

// Every selector of the table against a brute-force scan of all series.
void ExpectAgreesWithBruteForce(const IndexReader& index, const std::vector<model::Labels>& series,
                                const std::vector<SeriesId>& ids) {
  for (const auto& selector : testing::SelectorTable()) {
    std::vector<model::Matcher> matchers;
    std::string text;
    for (const auto& m : selector) {
      matchers.push_back(testing::ParseMatcher(m));
      text += m + " ";
    }
    std::vector<SeriesId> want;
    for (size_t i = 0; i < series.size(); ++i) {
      if (testing::MatchesAll(series[i], matchers)) want.push_back(ids[i]);
    }
    std::sort(want.begin(), want.end());
    auto got = PostingsForMatchers(index, matchers);
    auto expanded = ExpandPostings(*got);
    ASSERT_TRUE(expanded.ok()) << text;
    EXPECT_EQ(*expanded, want) << "selector: {" << text << "}";
  }
}

TEST(PostingsForMatchersTest, MemIndexAgreesWithBruteForce) {
  auto series = testing::MakeSeries(600, 1);
  MemIndex index;
  std::vector<SeriesId> ids;
  for (size_t i = 0; i < series.size(); ++i) {
    ids.push_back(1000 + 7 * ((i * 37) % series.size()));  // Ids not in label order.
    ASSERT_TRUE(index.Add(ids.back(), series[i]).ok());
  }
  ExpectAgreesWithBruteForce(index, series, ids);
}

TEST(PostingsForMatchersTest, BlockAgreesWithBruteForce) {
  auto series = testing::MakeSeries(600, 2);
  testing::TempDir tmp;
  auto dir =
      testing::WriteBlock(tmp.path(), Ulid::FromParts(1, {}), testing::WithChunks(series, 2));
  auto block = BlockReader::Open(dir);
  ASSERT_TRUE(block.ok()) << block.status().message();
  std::vector<SeriesId> ids(series.size());
  std::iota(ids.begin(), ids.end(), 0);  // A block numbers its series in label order.
  ExpectAgreesWithBruteForce(**block, series, ids);
}

}  // namespace
}  // namespace argus::tsdb
