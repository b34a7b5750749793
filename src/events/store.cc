#include "events/store.h"

#include <algorithm>

#include "base/log.h"
#include "events/record.h"
#include "tsdb/wal/reader.h"
#include "tsdb/wal/segments.h"
#include "tsdb/wal/writer.h"

namespace argus::events {
namespace {

namespace wal = tsdb::wal;

bool Matches(const Event& event, const std::vector<std::vector<model::Matcher>>& selectors) {
  if (selectors.empty()) return true;
  return std::any_of(selectors.begin(), selectors.end(), [&](const auto& matchers) {
    return std::all_of(matchers.begin(), matchers.end(), [&](const model::Matcher& m) {
      return m.Matches(event.labels.Get(m.name()));
    });
  });
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::filesystem::path& dir, StoreOptions options) {
  wal::WriterOptions writer_options;
  writer_options.segment_size = options.segment_size;
  auto writer = wal::Writer::Open(dir, writer_options);
  if (!writer.ok()) return writer.status().Wrap("event store");
  std::unique_ptr<Store> store(new Store(dir, options, std::move(*writer)));
  {
    absl::MutexLock lock(&store->mu_);
    ARGUS_RETURN_IF_ERROR(store->LoadSpans().Wrap("event store"));
  }
  ARGUS_RETURN_IF_ERROR(store->DropExpired().Wrap("event store"));
  return store;
}

Store::Store(std::filesystem::path dir, StoreOptions options,
             std::unique_ptr<tsdb::wal::Writer> writer)
    : dir_(std::move(dir)), options_(options), writer_(std::move(writer)) {}

Store::~Store() = default;

Status Store::LoadSpans() {
  ARGUS_ASSIGN_OR_RETURN(std::vector<int> segments, wal::ListSegments(dir_));
  for (int segment : segments) {
    Span& span = spans_[segment];
    if (segment == writer_->current_segment()) continue;
    // One reader a segment: a segment that ends inside a frame then reads as a torn tail, not
    // as damage to the next one.
    wal::Reader reader({wal::SegmentPath(dir_, segment)});
    while (reader.Next()) {
      if (TypeOf(reader.record()) != RecordType::kEvent) continue;  // From a later version.
      auto event = DecodeEventRecord(reader.record());
      if (!event.ok()) {
        log::Warn("Skipping an event record that does not decode",
                  {{"segment", reader.segment().string()},
                   {"offset", reader.offset()},
                   {"err", event.status().message()}});
        continue;
      }
      span.Add(event->time_ms);
    }
    ARGUS_RETURN_IF_ERROR(reader.status());
    for (const wal::Corruption& c : reader.corruptions()) {
      log::Warn("Skipping damaged events", {{"damage", c.ToString()}});
    }
  }
  return Status::Ok();
}

Status Store::Append(const Event& event) {
  ARGUS_RETURN_IF_ERROR(Validate(event));
  std::string record;
  AppendEventRecord(event, &record);
  absl::MutexLock lock(&mu_);
  int64_t now_ms = options_.clock->NowMillis();
  ARGUS_RETURN_IF_ERROR(CutIfOld(now_ms));
  ARGUS_RETURN_IF_ERROR(writer_->Log({record}));
  Span& span = spans_[writer_->current_segment()];
  if (span.events == 0) span.first_append_ms = now_ms;
  span.Add(event.time_ms);
  return writer_->Sync();
}

Status Store::CutIfOld(int64_t now_ms) {
  const Span& span = spans_[writer_->current_segment()];
  if (span.events == 0 || now_ms - span.first_append_ms < options_.segment_duration_ms) {
    return Status::Ok();
  }
  ARGUS_ASSIGN_OR_RETURN(int next, writer_->NextSegment());
  spans_[next];
  return Status::Ok();
}

Result<std::vector<Event>> Store::Query(
    int64_t start_ms, int64_t end_ms,
    const std::vector<std::vector<model::Matcher>>& selectors) const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<std::filesystem::path> paths;
  for (const auto& [segment, span] : spans_) {
    if (span.events > 0 && span.min_time_ms <= end_ms && span.max_time_ms >= start_ms) {
      paths.push_back(wal::SegmentPath(dir_, segment));
    }
  }
  std::vector<Event> events;
  // Damage was logged when the store opened; reads skip it.
  wal::Reader reader(std::move(paths));
  while (reader.Next()) {
    if (TypeOf(reader.record()) != RecordType::kEvent) continue;
    auto event = DecodeEventRecord(reader.record());
    if (!event.ok() || event->time_ms < start_ms || event->time_ms > end_ms ||
        !Matches(*event, selectors)) {
      continue;
    }
    events.push_back(std::move(*event));
  }
  ARGUS_RETURN_IF_ERROR(reader.status());
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.time_ms < b.time_ms; });
  return events;
}

Status Store::DropExpired() {
  if (options_.retention_ms <= 0) return Status::Ok();
  absl::MutexLock lock(&mu_);
  int64_t cutoff_ms = options_.clock->NowMillis() - options_.retention_ms;
  int current = writer_->current_segment();
  int last_expired = -1;
  for (const auto& [segment, span] : spans_) {
    if (segment == current || (span.events > 0 && span.max_time_ms >= cutoff_ms)) break;
    last_expired = segment;
  }
  if (last_expired < 0) return Status::Ok();
  ARGUS_RETURN_IF_ERROR(writer_->Truncate(last_expired));
  spans_.erase(spans_.begin(), spans_.upper_bound(last_expired));
  log::Info("Deleted events past retention", {{"through_segment", last_expired}});
  return Status::Ok();
}

uint64_t Store::SizeBytes() const { return wal::SizeBytes(dir_); }

}  // namespace argus::events
