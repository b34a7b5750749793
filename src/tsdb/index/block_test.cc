#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tsdb/index/block_reader.h"
#include "tsdb/index/block_test_util.h"
#include "tsdb/index/block_writer.h"
#include "tsdb/index/matcher_test_util.h"

namespace argus::tsdb {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const Ulid kUlid = *Ulid::Parse("01HGW2N7EHJ3N4WZ0K5B6Y2F3D");

uint64_t SizeOnDisk(const fs::path& dir) {
  uint64_t size = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) size += e.file_size();
  }
  return size;
}

TEST(BlockTest, RoundTrip) {
  TempDir tmp;
  auto series = testing::WithChunks(testing::MakeSeries(3000, 5), 6);
  // Small segments, so that the chunks spread over several files.
  fs::path dir = testing::WriteBlock(tmp.path(), kUlid, series, {.max_segment_bytes = 64 << 10});
  EXPECT_EQ(dir, tmp.path() / kUlid.ToString());
  EXPECT_FALSE(fs::exists(tmp.path() / (kUlid.ToString() + ".tmp")));
  EXPECT_TRUE(fs::exists(dir / "chunks" / "000003"));

  auto block = BlockReader::Open(dir);
  ASSERT_TRUE(block.ok()) << block.status().message();
  const BlockReader& b = **block;
  EXPECT_EQ(b.meta().ulid, kUlid);
  EXPECT_EQ(b.meta().num_series, series.size());
  EXPECT_EQ(b.meta().max_time, 4000);
  EXPECT_EQ(b.Size(), SizeOnDisk(dir));

  // Every series: labels, chunk times and bytes.
  std::map<std::pair<std::string, std::string>, std::vector<SeriesId>> want_postings;
  std::map<std::string, std::set<std::string>> want_values;
  uint64_t num_chunks = 0;
  model::LabelsBuilder labels;
  std::vector<ChunkMeta> chunks;
  for (SeriesId id = 0; id < series.size(); ++id) {
    ASSERT_TRUE(b.Series(id, labels, chunks).ok());
    ASSERT_EQ(labels.Build(), series[id].labels);
    ASSERT_EQ(chunks.size(), series[id].chunk_bytes.size());
    for (size_t i = 0; i < chunks.size(); ++i) {
      EXPECT_EQ(chunks[i].min_time, 1000 * static_cast<int64_t>(i));
      EXPECT_EQ(chunks[i].max_time, 1000 * static_cast<int64_t>(i) + 999);
      auto bytes = b.Chunk(chunks[i].ref);
      ASSERT_TRUE(bytes.ok()) << bytes.status().message();
      EXPECT_EQ(*bytes, series[id].chunk_bytes[i]);
    }
    num_chunks += chunks.size();
    for (const auto& l : series[id].labels) {
      want_postings[{l.name, l.value}].push_back(id);
      want_values[l.name].insert(l.value);
    }
  }
  EXPECT_EQ(b.meta().num_chunks, num_chunks);
  EXPECT_EQ(b.SeriesLabels(series.size(), labels).code(), Status::Code::kInvalidInput);

  // Postings of every label pair, the names and the values.
  for (const auto& [pair, ids] : want_postings) {
    auto p = b.PostingsFor(pair.first, pair.second);
    EXPECT_EQ(*ExpandPostings(*p), ids) << pair.first << "=" << pair.second;
  }
  EXPECT_TRUE(ExpandPostings(*b.PostingsFor("job", "nope"))->empty());
  EXPECT_TRUE(ExpandPostings(*b.PostingsFor("nope", "api"))->empty());
  EXPECT_EQ(ExpandPostings(*b.AllPostings())->size(), series.size());
  std::vector<std::string> names;
  for (const auto& [name, values] : want_values) {
    names.push_back(name);
    EXPECT_EQ(*LabelValues(b, name), std::vector<std::string>(values.begin(), values.end()));
  }
  EXPECT_EQ(*b.LabelNames(), names);
  std::vector<std::string> ranged;
  ASSERT_TRUE(b.VisitLabelValues("job", {"api-", "db"}, [&](std::string_view v) {
                 ranged.emplace_back(v);
                 return true;
               }).ok());
  EXPECT_EQ(ranged, (std::vector<std::string>{"api-v2", "db"}));
}

TEST(BlockTest, EmptyBlock) {
  TempDir tmp;
  fs::path dir = testing::WriteBlock(tmp.path(), kUlid, {});
  auto block = BlockReader::Open(dir);
  ASSERT_TRUE(block.ok()) << block.status().message();
  EXPECT_EQ((*block)->meta().num_series, 0u);
  EXPECT_TRUE(ExpandPostings(*(*block)->AllPostings())->empty());
  EXPECT_TRUE((*block)->LabelNames()->empty());
}

TEST(BlockTest, WriterRefusesDisorderAndCleansUp) {
  TempDir tmp;
  {
    auto writer = BlockWriter::Create(tmp.path(), kUlid);
    ASSERT_TRUE(writer.ok());
    EXPECT_EQ(BlockWriter::Create(tmp.path(), kUlid).status().code(), Status::Code::kIOError);
    model::Labels a{{"__name__", "a"}}, b{{"__name__", "b"}};
    ASSERT_TRUE((*writer)->AddSeries(b, {}).ok());
    EXPECT_EQ((*writer)->AddSeries(a, {}).code(), Status::Code::kInvalidInput);
    EXPECT_EQ((*writer)->AddSeries(b, {}).code(), Status::Code::kInvalidInput);
    EXPECT_EQ((*writer)->AddSeries(model::Labels(), {}).code(), Status::Code::kInvalidInput);
    model::Labels c{{"__name__", "c"}};
    ChunkData backwards[] = {{10, 20, "x"}, {5, 30, "y"}};
    EXPECT_EQ((*writer)->AddSeries(c, backwards).code(), Status::Code::kInvalidInput);
    ChunkData inverted[] = {{10, 5, "x"}};
    EXPECT_EQ((*writer)->AddSeries(c, inverted).code(), Status::Code::kInvalidInput);
    // Nothing has the block's name until Finish.
    EXPECT_FALSE(fs::exists(tmp.path() / kUlid.ToString()));
    EXPECT_TRUE(fs::exists(tmp.path() / (kUlid.ToString() + ".tmp")));
  }
  // Abandoned: the temporary directory is gone.
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST(BlockTest, OpenRejectsMisnamedOrMissingParts) {
  TempDir tmp;
  fs::path dir =
      testing::WriteBlock(tmp.path(), kUlid, testing::WithChunks(testing::MakeSeries(10, 1), 1));
  fs::path renamed = tmp.path() / "01HGW2N7EHJ3N4WZ0K5B6Y2F3E";
  fs::rename(dir, renamed);
  auto block = BlockReader::Open(renamed);
  EXPECT_EQ(block.status().code(), Status::Code::kCorruption);
  EXPECT_NE(block.status().message().find("meta.json names block"), std::string::npos);
  fs::rename(renamed, dir);
  EXPECT_TRUE(BlockReader::Open(dir.string() + "/").ok());
  fs::copy_file(dir / "chunks" / "000001", dir / "chunks" / "000003");
  EXPECT_EQ(BlockReader::Open(dir).status().code(), Status::Code::kCorruption);
  fs::remove(dir / "chunks" / "000003");
  fs::remove(dir / "index");
  EXPECT_EQ(BlockReader::Open(dir).status().code(), Status::Code::kIOError);
}

}  // namespace
}  // namespace argus::tsdb
