// What an open block of a million cAdvisor-like series costs: resident memory after Open and
// after a query, the time to open (checksums included), and the index' size on disk.

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/check.h"
#include "tsdb/index/bench_series.h"
#include "tsdb/index/block_reader.h"
#include "tsdb/index/block_writer.h"
#include "tsdb/index/postings_for_matchers.h"

namespace argus::tsdb {
namespace {

constexpr size_t kSeries = 1'000'000;

double ResidentMiB() {
  std::ifstream statm("/proc/self/statm");
  size_t pages, resident;
  statm >> pages >> resident;
  return static_cast<double>(resident * ::sysconf(_SC_PAGESIZE)) / (1 << 20);
}

std::filesystem::path WriteCadvisorBlock(const std::filesystem::path& parent) {
  std::vector<model::Labels> series;
  bench::CadvisorSeries generator;
  while (series.size() < kSeries) generator.NextContainer(series);
  series.resize(kSeries);
  std::sort(series.begin(), series.end());
  auto writer = BlockWriter::Create(parent, Ulid::FromParts(1, {}));
  CHECK(writer.ok());
  // One small chunk a series: the chunk bytes do not count towards the index' cost.
  const std::string bytes(32, 'x');
  for (size_t i = 0; i < series.size(); ++i) {
    ChunkData chunk{0, 7'199'999, bytes};
    CHECK((*writer)->AddSeries(series[i], {&chunk, 1}).ok());
  }
  auto dir = (*writer)->Finish(BlockMeta{.min_time = 0, .max_time = 7'200'000});
  CHECK(dir.ok());
  return *dir;
}

void BM_OpenBlock(benchmark::State& state) {
  std::string parent = (std::filesystem::temp_directory_path() / "argus-bench-XXXXXX").string();
  CHECK(::mkdtemp(parent.data()) != nullptr);
  std::filesystem::path dir = WriteCadvisorBlock(parent);
  ::malloc_trim(0);
  for (auto _ : state) {
    double before = ResidentMiB();
    auto start = std::chrono::steady_clock::now();
    auto block = BlockReader::Open(dir);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    CHECK(block.ok());
    state.counters["rss_open_MiB"] = ResidentMiB() - before;
    // A dashboard's query: one metric of one namespace, with every matching series' labels.
    std::vector<model::Matcher> matchers = {
        *model::Matcher::Make(model::Matcher::Type::kEqual, "__name__",
                              "container_memory_working_set_bytes"),
        *model::Matcher::Make(model::Matcher::Type::kRegexMatch, "namespace", "team-1.*"),
        *model::Matcher::Make(model::Matcher::Type::kNotEqual, "container", "")};
    auto postings = PostingsForMatchers(**block, matchers);
    model::LabelsBuilder labels;
    std::vector<ChunkMeta> chunks;
    size_t matched = 0;
    while (postings->Next()) {
      CHECK((*block)->Series(postings->At(), labels, chunks).ok());
      CHECK((*block)->Chunk(chunks[0].ref).ok());
      ++matched;
    }
    state.counters["query_series"] = static_cast<double>(matched);
    state.counters["rss_after_query_MiB"] = ResidentMiB() - before;
    state.counters["index_bytes_per_series"] =
        static_cast<double>(std::filesystem::file_size(dir / "index")) / kSeries;
  }
  std::filesystem::remove_all(parent);
}
BENCHMARK(BM_OpenBlock)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::tsdb

BENCHMARK_MAIN();
