#include "tsdb/index/block_meta.h"

#include <gtest/gtest.h>

namespace argus::tsdb {
namespace {

BlockMeta Sample() {
  BlockMeta meta;
  meta.ulid = *Ulid::Parse("01BKGV7JBM69T2G1BGBGM6KB12");
  meta.min_time = 1500000000000;
  meta.max_time = 1500007200000;
  meta.num_samples = 553673232;
  meta.num_series = 1346214;
  meta.num_chunks = 4815993;
  meta.compaction_level = 2;
  meta.compaction_sources = {*Ulid::Parse("01BKGTZQ1SYQJTR4PB43C8PD98"),
                             *Ulid::Parse("01BKGTZQ1HHWHV8FBJXW1Y3W0K")};
  meta.compaction_parents = {
      {*Ulid::Parse("01BKGTZQ1SYQJTR4PB43C8PD98"), 1500000000000, 1500003600000}};
  return meta;
}

TEST(BlockMetaTest, PinnedText) {
  EXPECT_EQ(EncodeBlockMeta(Sample()),
            R"({"ulid":"01BKGV7JBM69T2G1BGBGM6KB12","minTime":1500000000000,)"
            R"("maxTime":1500007200000,"stats":{"numSamples":553673232,"numSeries":1346214,)"
            R"("numChunks":4815993},"compaction":{"level":2,"sources":)"
            R"(["01BKGTZQ1SYQJTR4PB43C8PD98","01BKGTZQ1HHWHV8FBJXW1Y3W0K"],"parents":)"
            R"([{"ulid":"01BKGTZQ1SYQJTR4PB43C8PD98","minTime":1500000000000,)"
            R"("maxTime":1500003600000}]},"version":1})"
            "\n");
}

TEST(BlockMetaTest, RoundTrip) {
  auto decoded = DecodeBlockMeta(EncodeBlockMeta(Sample()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, Sample());
}

TEST(BlockMetaTest, ReadsPrometheusMeta) {
  // As Prometheus 2.42 writes it, indented, with zero counters left out.
  auto decoded = DecodeBlockMeta(R"({
	"ulid": "01BKGV7JBM69T2G1BGBGM6KB12",
	"minTime": 1602237600000,
	"maxTime": 1602244800000,
	"stats": {
		"numSamples": 7,
		"numSeries": 2
	},
	"compaction": {
		"level": 1,
		"sources": [
			"01BKGV7JBM69T2G1BGBGM6KB12"
		]
	},
	"version": 1
})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->num_samples, 7u);
  EXPECT_EQ(decoded->num_chunks, 0u);
  EXPECT_EQ(decoded->compaction_sources.size(), 1u);
}

TEST(BlockMetaTest, ErrorsNameTheField) {
  struct Case {
    std::string json, want;
  } cases[] = {
      {"", "not a JSON object"},
      {"[]", "not a JSON object"},
      {R"({"ulid":"x","minTime":1,"maxTime":2,"version":1})", "\"ulid\""},
      {R"({"ulid":"01BKGV7JBM69T2G1BGBGM6KB12","maxTime":2,"version":1})", "\"minTime\""},
      {R"({"ulid":"01BKGV7JBM69T2G1BGBGM6KB12","minTime":1,"maxTime":2,"version":3})",
       "\"version\" is 3"},
      {R"({"ulid":"01BKGV7JBM69T2G1BGBGM6KB12","minTime":1,"maxTime":2,"version":1})", "\"stats\""},
      {R"({"ulid":"01BKGV7JBM69T2G1BGBGM6KB12","minTime":1,"maxTime":2,"version":1,)"
       R"("stats":{"numSeries":-1},"compaction":{"level":1}})",
       "\"numSeries\""},
  };
  for (const auto& c : cases) {
    auto decoded = DecodeBlockMeta(c.json);
    ASSERT_FALSE(decoded.ok()) << c.json;
    EXPECT_EQ(decoded.status().code(), Status::Code::kCorruption);
    EXPECT_NE(decoded.status().message().find(c.want), std::string::npos)
        << decoded.status().message();
  }
}

}  // namespace
}  // namespace argus::tsdb
