// `argus tsdb analyze` and `argus tsdb dump`: reading a data directory, as a server left it.

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <cstdio>

#include "base/log.h"
#include "base/metrics.h"
#include "cmd/tsdb_tools.h"
#include "promql/engine.h"
#include "tsdb/db.h"
#include "tsdb/index/postings.h"

namespace argus::cmd {
namespace {

Result<std::unique_ptr<tsdb::Db>> OpenReadOnly(const std::string& dir) {
  log::Init(log::Level::kWarn, log::Format::kLogfmt);  // The tools print what they found; the
                                                       // database's progress is noise here.
  tsdb::DbOptions options;
  options.read_only = true;
  return tsdb::Db::Open(dir, options);
}

// Counts of one index: series per metric name and values per label name.
struct Cardinality {
  absl::flat_hash_map<std::string, uint64_t> series_by_metric;
  absl::flat_hash_map<std::string, uint64_t> values_by_label;
};

Status Count(const tsdb::IndexReader& index, Cardinality* out) {
  ARGUS_ASSIGN_OR_RETURN(auto names, index.LabelNames());
  for (const std::string& name : names) {
    ARGUS_ASSIGN_OR_RETURN(auto values, tsdb::LabelValues(index, name));
    out->values_by_label[name] += values.size();
    if (name != model::kMetricName) continue;
    for (const std::string& metric : values) {
      auto postings = index.PostingsFor(name, metric);
      ARGUS_ASSIGN_OR_RETURN(auto ids, tsdb::ExpandPostings(*postings));
      out->series_by_metric[metric] += ids.size();
    }
  }
  return Status::Ok();
}

void PrintTop(const char* title, const absl::flat_hash_map<std::string, uint64_t>& counts,
              int limit) {
  std::vector<std::pair<uint64_t, std::string>> sorted;
  for (const auto& [k, v] : counts) sorted.emplace_back(v, k);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::printf("\n%s:\n", title);
  for (int i = 0; i < limit && i < static_cast<int>(sorted.size()); ++i) {
    std::printf("%10llu %s\n", static_cast<unsigned long long>(sorted[i].first),
                sorted[i].second.c_str());
  }
}

}  // namespace

int Analyze(const std::string& dir, int limit) {
  auto db = OpenReadOnly(dir);
  if (!db.ok()) {
    std::fprintf(stderr, "analyze: %s\n", db.status().message().c_str());
    return 1;
  }
  std::printf("%-26s  %-13s  %-13s  %10s  %12s  %10s  %12s  %8s\n", "BLOCK", "MIN TIME", "MAX TIME",
              "SERIES", "SAMPLES", "CHUNKS", "BYTES", "B/SAMPLE");
  Cardinality cardinality;
  uint64_t samples = 0, bytes = 0;
  for (const auto& b : (*db)->Blocks()) {
    const auto& m = b->meta();
    samples += m.num_samples;
    bytes += b->Size();
    std::printf("%-26s  %-13lld  %-13lld  %10llu  %12llu  %10llu  %12llu  %8.3f\n",
                m.ulid.ToString().c_str(), static_cast<long long>(m.min_time),
                static_cast<long long>(m.max_time), static_cast<unsigned long long>(m.num_series),
                static_cast<unsigned long long>(m.num_samples),
                static_cast<unsigned long long>(m.num_chunks),
                static_cast<unsigned long long>(b->Size()),
                m.num_samples ? static_cast<double>(b->Size()) / m.num_samples : 0.0);
    Status counted = Count(*b, &cardinality);
    if (!counted.ok()) {
      std::fprintf(stderr, "analyze: %s: %s\n", b->dir().c_str(), counted.message().c_str());
      return 1;
    }
  }
  const tsdb::Head& head = (*db)->head();
  std::printf("%-26s  %-13lld  %-13lld  %10zu  %12llu  %10zu\n", "head",
              static_cast<long long>(head.MinTime()), static_cast<long long>(head.MaxTime()),
              head.NumSeries(), static_cast<unsigned long long>(head.stats().samples_appended),
              head.NumChunks());
  std::printf("\nblocks: %llu samples in %llu bytes, %.3f bytes per sample\n",
              static_cast<unsigned long long>(samples), static_cast<unsigned long long>(bytes),
              samples ? static_cast<double>(bytes) / samples : 0.0);
  if (!Count(head.index(), &cardinality).ok()) return 1;
  PrintTop("Label names with the most values", cardinality.values_by_label, limit);
  PrintTop("Metric names with the most series", cardinality.series_by_metric, limit);
  return 0;
}

int Dump(const std::string& dir, int64_t min_time, int64_t max_time, const std::string& match) {
  auto matchers = promql::ParseMetricSelector(match);
  if (!matchers.ok()) {
    std::fprintf(stderr, "dump: --match: %s\n", matchers.status().message().c_str());
    return 2;
  }
  auto db = OpenReadOnly(dir);
  if (!db.ok()) {
    std::fprintf(stderr, "dump: %s\n", db.status().message().c_str());
    return 1;
  }
  auto querier = (*db)->NewQuerier(min_time, max_time);
  auto set = querier->Select(*matchers);
  std::string line;
  while (set->Next()) {
    std::string labels = set->At().labels().ToString();
    auto it = set->At().Iterator();
    while (it->Next()) {
      line = labels;
      line += ' ';
      AppendFloat(&line, it->v());
      line += fmt::format(" {}\n", it->t());
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
    if (!it->Err().ok()) {
      std::fprintf(stderr, "dump: %s\n", it->Err().message().c_str());
      return 1;
    }
  }
  if (!set->Err().ok()) {
    std::fprintf(stderr, "dump: %s\n", set->Err().message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace argus::cmd
