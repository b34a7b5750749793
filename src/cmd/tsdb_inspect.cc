// `argus tsdb analyze` and `argus tsdb dump`: reading a data directory, as a server left it.

#include <absl/container/flat_hash_map.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "base/log.h"
#include "cmd/tsdb_tools.h"
#include "promql/engine.h"
#include "promql/parser/printer_util.h"
#include "tsdb/db.h"
#include "tsdb/index/postings.h"

namespace argus::cmd {
namespace {

Result<std::unique_ptr<tsdb::Db>> OpenReadOnly(const std::string& dir) {
  // Said before opening, which would only find that the path is no directory.
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) {
    return Status::Errorf(Status::Code::kIOError, "{}: {}", dir, std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::Errorf(Status::Code::kIOError, "{}: not a directory", dir);
  }
  // The tools print what they found; the database's progress is noise here.
  log::Init(log::Level::kWarn, log::Format::kLogfmt);
  tsdb::DbOptions options;
  options.read_only = true;
  return tsdb::Db::Open(dir, options);
}

// What one block or the head holds; the times are of its first and last sample, none when empty.
struct DataSummary {
  std::optional<int64_t> min_time, max_time;
  uint64_t series = 0, samples = 0, chunks = 0, bytes = 0;
};

void Widen(DataSummary* s, int64_t mint, int64_t maxt) {
  s->min_time = std::min(s->min_time.value_or(mint), mint);
  s->max_time = std::max(s->max_time.value_or(maxt), maxt);
}

// A block's meta.json may give the range the block covers rather than that of its data; the
// chunks' own ranges say where the data is.
Result<DataSummary> SummarizeBlock(const tsdb::BlockReader& block) {
  const tsdb::BlockMeta& m = block.meta();
  DataSummary s{{}, {}, m.num_series, m.num_samples, m.num_chunks, block.Size()};
  model::LabelsBuilder labels;
  std::vector<tsdb::ChunkMeta> chunks;
  for (uint64_t id = 0; id < m.num_series; ++id) {
    ARGUS_RETURN_IF_ERROR(block.Series(id, labels, chunks));
    for (const tsdb::ChunkMeta& c : chunks) Widen(&s, c.min_time, c.max_time);
  }
  return s;
}

// The head's chunks counted as a block would hold them: bytes are those of their sealed encoding.
Result<DataSummary> SummarizeHead(const tsdb::Head& head) {
  DataSummary s;
  s.series = head.NumSeries();
  auto postings = head.index().AllPostings();
  tsdb::SeriesChunks chunks;
  std::string sealed;
  while (postings->Next()) {
    if (!head.Chunks(postings->At(), INT64_MIN, INT64_MAX, &chunks)) continue;
    for (const auto& c : chunks.sealed) {
      Widen(&s, c->min_time, c->max_time);
      s.samples += c->num_samples;
      s.bytes += c->bytes.size();
      ++s.chunks;
    }
    if (chunks.open.empty()) continue;
    Widen(&s, chunks.open.min_time(), chunks.open.max_time());
    s.samples += chunks.open.num_samples();
    sealed.clear();
    chunks.open.Seal(&sealed);
    s.bytes += sealed.size();
    ++s.chunks;
  }
  ARGUS_RETURN_IF_ERROR(postings->Err());
  return s;
}

void PrintSummaryHeader() {
  std::printf("%-26s  %-13s  %-13s  %10s  %12s  %10s  %12s  %8s\n", "BLOCK", "MIN TIME", "MAX TIME",
              "SERIES", "SAMPLES", "CHUNKS", "BYTES", "B/SAMPLE");
}

void PrintSummary(std::string_view name, const DataSummary& s) {
  auto time = [](std::optional<int64_t> t) { return t ? std::to_string(*t) : std::string("-"); };
  std::string per_sample =
      s.samples ? fmt::format("{:.3f}", static_cast<double>(s.bytes) / s.samples) : "-";
  std::printf("%-26.*s  %-13s  %-13s  %10llu  %12llu  %10llu  %12llu  %8s\n",
              static_cast<int>(name.size()), name.data(), time(s.min_time).c_str(),
              time(s.max_time).c_str(), static_cast<unsigned long long>(s.series),
              static_cast<unsigned long long>(s.samples), static_cast<unsigned long long>(s.chunks),
              static_cast<unsigned long long>(s.bytes), per_sample.c_str());
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

// Labels as promtool's dump prints them, after Prometheus' labels.Labels.String:
// {__name__="up", job="x"}, each value quoted as Go's strconv.Quote does.
std::string DumpLabels(const model::Labels& labels) {
  std::string out = "{";
  for (const model::Label& l : labels) {
    if (out.size() > 1) out += ", ";
    out += l.name;
    out += '=';
    out += promql::GoQuote(l.value);
  }
  return out + "}";
}

// `v` as Go's %g prints it: the shortest digits that read back as `v`, in exponent form ("1e+06",
// at least two exponent digits) when the decimal exponent is below -4 or 6 and above.
void AppendGoG(std::string* out, double v) {
  if (std::isnan(v)) {
    *out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    *out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view scientific(buf, end - buf);
  int exponent = 0;
  std::string_view e = scientific.substr(scientific.find('e') + 1);
  std::from_chars(e.data() + (e[0] == '+' ? 1 : 0), e.data() + e.size(), exponent);
  if (exponent < -4 || exponent >= 6) {
    *out += scientific;
    return;
  }
  end = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed).ptr;
  out->append(buf, end - buf);
}

}  // namespace

int Analyze(const std::string& dir, int limit) {
  auto db = OpenReadOnly(dir);
  if (!db.ok()) {
    std::fprintf(stderr, "analyze: %s\n", db.status().message().c_str());
    return 1;
  }
  PrintSummaryHeader();
  Cardinality cardinality;
  uint64_t samples = 0, bytes = 0;
  for (const auto& b : (*db)->Blocks()) {
    auto summary = SummarizeBlock(*b);
    Status counted = summary.ok() ? Count(*b, &cardinality) : summary.status();
    if (!counted.ok()) {
      std::fprintf(stderr, "analyze: %s: %s\n", b->dir().c_str(), counted.message().c_str());
      return 1;
    }
    samples += summary->samples;
    bytes += summary->bytes;
    PrintSummary(b->meta().ulid.ToString(), *summary);
  }
  const tsdb::Head& head = (*db)->head();
  auto head_summary = SummarizeHead(head);
  Status counted = head_summary.ok() ? Count(head.index(), &cardinality) : head_summary.status();
  if (!counted.ok()) {
    std::fprintf(stderr, "analyze: %s: the head: %s\n", dir.c_str(), counted.message().c_str());
    return 1;
  }
  PrintSummary("head", *head_summary);
  std::printf("\nblocks: %llu samples in %llu bytes, %.3f bytes per sample\n",
              static_cast<unsigned long long>(samples), static_cast<unsigned long long>(bytes),
              samples ? static_cast<double>(bytes) / samples : 0.0);
  PrintTop("Label names with the most values", cardinality.values_by_label, limit);
  PrintTop("Metric names with the most series", cardinality.series_by_metric, limit);
  return 0;
}

int Dump(const std::string& dir, int64_t min_time, int64_t max_time, const std::string& match) {
  auto matchers = promql::ParseMetricSelector(match);
  if (!matchers.ok()) {
    std::fprintf(stderr, "dump: --match: %s\n", matchers.status().message().c_str());
    return 1;
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
    std::string labels = DumpLabels(set->At().labels());
    auto it = set->At().Iterator();
    while (it->Next()) {
      line = labels;
      line += ' ';
      AppendGoG(&line, it->v());
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
