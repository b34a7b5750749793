#include <absl/container/flat_hash_map.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <span>

#include "base/log.h"
#include "cmd/tsdb_tools.h"
#include "textparse/parser.h"
#include "tsdb/backfill.h"
#include "tsdb/index/file_io.h"

namespace argus::cmd {
namespace {

struct SeriesKey {
  uint64_t low, high;
  bool operator==(const SeriesKey&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const SeriesKey& k) {
    return H::combine(std::move(h), k.low, k.high);
  }
};

size_t LineOf(std::string_view buffer, const char* p) {
  return 1 + std::count(buffer.data(), p, '\n');
}

std::string FormatMillis(int64_t ms) {
  int64_t s = ms / 1000;
  return fmt::format("{}h{:02}m{:02}.{:03}s", s / 3600, s / 60 % 60, s % 60, ms % 1000);
}

Status Import(std::string_view buffer, tsdb::Backfill& db, uint64_t* samples) {
  auto parser = textparse::NewParser(textparse::Format::kOpenMetrics, buffer);
  absl::flat_hash_map<SeriesKey, storage::SeriesRef> refs;
  auto app = db.NewAppender();
  model::LabelsBuilder builder;
  size_t pending = 0;
  for (textparse::Entry e; (e = parser->Next()) != textparse::Entry::kEof;) {
    if (e == textparse::Entry::kError) return parser->Err();
    if (e != textparse::Entry::kSeries) continue;
    std::string_view series = parser->Series();
    auto t = parser->TimestampMs();
    if (!t) {
      return Status::Errorf(Status::Code::kInvalidInput, "line {}: {} has no timestamp",
                            LineOf(buffer, series.data()), series);
    }
    XXH128_hash_t hash = XXH3_128bits(series.data(), series.size());
    storage::SeriesRef& ref = refs[SeriesKey{hash.low64, hash.high64}];
    model::Labels labels;
    if (ref == 0) {
      builder.Reset();
      parser->Labels(&builder);
      ARGUS_RETURN_IF_ERROR(textparse::CheckSeriesLabels(builder));
      labels = builder.Build();
    }
    auto appended = app->Append(ref, labels, *t, parser->Value());
    if (!appended.ok()) {
      return appended.status().Wrap(fmt::format("line {}", LineOf(buffer, series.data())));
    }
    ref = *appended;
    ++*samples;
    if (++pending == 100'000) {
      ARGUS_RETURN_IF_ERROR(app->Commit());
      app = db.NewAppender();
      pending = 0;
    }
  }
  return app->Commit();
}

}  // namespace

int ImportOpenMetrics(const std::string& file, const std::string& dir) {
  log::Init(log::Level::kWarn, log::Format::kLogfmt);
  auto mapped = tsdb::MappedFile::Open(file);
  if (!mapped.ok()) {
    std::fprintf(stderr, "import: %s\n", mapped.status().message().c_str());
    return 1;
  }
  (*mapped)->AdviseSequential();
  auto backfill = tsdb::Backfill::Start(dir);
  if (!backfill.ok()) {
    std::fprintf(stderr, "import: %s\n", backfill.status().message().c_str());
    return 1;
  }
  uint64_t samples = 0;
  std::span<const uint8_t> bytes = (*mapped)->bytes();
  // On an error the backfill, destroyed uncommitted, takes back everything it made.
  auto failed = [&file](const Status& status) {
    std::fprintf(stderr, "import: %s: %s\n", file.c_str(), status.message().c_str());
    return 1;
  };
  Status status =
      Import({reinterpret_cast<const char*>(bytes.data()), bytes.size()}, **backfill, &samples);
  if (!status.ok()) return failed(status);
  auto blocks = (*backfill)->Commit();
  if (!blocks.ok()) return failed(blocks.status());
  std::printf("%-26s  %-13s  %-13s  %-14s  %12s  %10s  %10s  %12s\n", "BLOCK ULID", "MIN TIME",
              "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE");
  for (const auto& b : *blocks) {
    const auto& m = b->meta();
    std::printf("%-26s  %-13lld  %-13lld  %-14s  %12llu  %10llu  %10llu  %12llu\n",
                m.ulid.ToString().c_str(), static_cast<long long>(m.min_time),
                static_cast<long long>(m.max_time), FormatMillis(m.max_time - m.min_time).c_str(),
                static_cast<unsigned long long>(m.num_samples),
                static_cast<unsigned long long>(m.num_chunks),
                static_cast<unsigned long long>(m.num_series),
                static_cast<unsigned long long>(b->Size()));
  }
  std::fprintf(stderr, "imported %llu samples\n", static_cast<unsigned long long>(samples));
  return 0;
}

}  // namespace argus::cmd
