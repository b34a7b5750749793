#include "notify/queue_journal.h"

#include <string>
#include <system_error>
#include <vector>

#include "base/log.h"
#include "tsdb/wal/frame.h"
#include "tsdb/wal/reader.h"

namespace argus::notify {
namespace {

// Segments are cut by compactions only, so that each one starts with a header record.
constexpr uint64_t kNeverCut = uint64_t{1} << 62;

}  // namespace

Result<std::unique_ptr<QueueJournal>> QueueJournal::Open(const std::filesystem::path& dir,
                                                         JournalOptions options, int64_t now_ms) {
  // The writer repairs the last segment (cuts a torn tail) before anything is read.
  ARGUS_ASSIGN_OR_RETURN(auto writer, tsdb::wal::Writer::Open(dir, {.segment_size = kNeverCut}));
  std::unique_ptr<QueueJournal> journal(new QueueJournal(options, std::move(writer)));
  ARGUS_RETURN_IF_ERROR(journal->Replay(dir));
  ARGUS_RETURN_IF_ERROR(journal->Compact(now_ms));
  return journal;
}

QueueJournal::QueueJournal(JournalOptions options, std::unique_ptr<tsdb::wal::Writer> writer)
    : options_(options), writer_(std::move(writer)) {}

Status QueueJournal::Replay(const std::filesystem::path& dir) {
  ARGUS_ASSIGN_OR_RETURN(auto reader, tsdb::wal::Reader::ForReplay(dir));
  while (reader.Next()) {
    auto record = DecodeQueueRecord(reader.record());
    if (!record.ok()) {
      log::Warn("Skipping a damaged notify queue record", {{"segment", reader.segment().string()},
                                                           {"offset", reader.offset()},
                                                           {"err", record.status().message()}});
      continue;
    }
    if (auto* header = std::get_if<HeaderRecord>(&*record);
        header != nullptr && header->version > kQueueFormatVersion) {
      return Status::Errorf(Status::Code::kInvalidInput,
                            "notify queue segment {} has format version {}, but this version of "
                            "Argus reads up to {}",
                            reader.segment().string(), header->version, kQueueFormatVersion);
    }
    Apply(std::move(*record));
  }
  ARGUS_RETURN_IF_ERROR(reader.status());
  for (const auto& corruption : reader.corruptions()) {
    log::Warn("Notify queue damaged; messages in the lost bytes are gone",
              {{"corruption", corruption.ToString()}});
  }
  return Status::Ok();
}

void QueueJournal::Apply(QueueRecord record) {
  if (auto* m = std::get_if<MessageRecord>(&record)) {
    next_id_ = std::max(next_id_, m->id + 1);
    // A compaction cut short leaves a message twice: once before and once in its snapshot.
    pending_.try_emplace(m->id, std::move(m->message));
  } else if (auto* done = std::get_if<DoneRecord>(&record)) {
    next_id_ = std::max(next_id_, done->id + 1);
    pending_.erase(done->id);
  } else if (auto* delivered = std::get_if<DeliveredRecord>(&record)) {
    delivery_log_[std::move(delivered->key)] = delivered->entry;
  } else if (auto* unknown = std::get_if<UnknownRecord>(&record)) {
    log::Debug("Skipping a notify queue record of an unknown type", {{"type", unknown->type}});
  }
}

const DeliveryEntry* QueueJournal::LastDelivery(const DeliveryKey& key) const {
  auto it = delivery_log_.find(key);
  return it == delivery_log_.end() ? nullptr : &it->second;
}

Status QueueJournal::Write(std::span<const std::string_view> records, bool sync) {
  ARGUS_RETURN_IF_ERROR(writer_->Log(records));
  for (std::string_view r : records) {
    bytes_since_compaction_ += tsdb::wal::kFrameHeaderSize + r.size();
  }
  return sync ? writer_->Sync() : Status::Ok();
}

Result<uint64_t> QueueJournal::Add(Message message) {
  uint64_t id = next_id_;
  std::string record;
  AppendMessageRecord(id, message, &record);
  std::string_view records[] = {record};
  ARGUS_RETURN_IF_ERROR(Write(records, /*sync=*/true));
  ++next_id_;
  pending_.emplace(id, std::move(message));
  return id;
}

Status QueueJournal::Finish(uint64_t id, DoneReason reason, int64_t now_ms) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return Status::Errorf(Status::Code::kNotFound, "no message {}", id);
  std::string done, delivered;
  AppendDoneRecord({.id = id, .reason = reason, .at_ms = now_ms}, &done);
  std::vector<std::string_view> records = {done};
  if (reason == DoneReason::kDelivered) {
    DeliveryKey key = KeyOf(it->second);
    DeliveryEntry entry{it->second.group_state_hash, now_ms};
    AppendDeliveredRecord(key, entry, &delivered);
    records.push_back(delivered);
    delivery_log_[std::move(key)] = entry;
  }
  pending_.erase(it);
  ARGUS_RETURN_IF_ERROR(Write(records, /*sync=*/false));
  if (bytes_since_compaction_ > std::max(options_.compact_after_bytes, snapshot_bytes_)) {
    // Nothing is lost when it fails: the segments written so far stay, and it is tried again.
    if (Status compacted = Compact(now_ms); !compacted.ok()) {
      log::Error("Compacting the notify queue failed", {{"err", compacted.message()}});
    }
  }
  return Status::Ok();
}

Status QueueJournal::Compact(int64_t now_ms) {
  int64_t oldest_kept_ms = now_ms - options_.delivery_log_retention.count();
  std::erase_if(delivery_log_,
                [&](const auto& kv) { return kv.second.delivered_ms < oldest_kept_ms; });
  ARGUS_ASSIGN_OR_RETURN(int segment, writer_->NextSegment());
  std::vector<std::string> records(1 + pending_.size() + delivery_log_.size());
  auto out = records.begin();
  AppendHeaderRecord(&*out++);
  for (const auto& [id, message] : pending_) AppendMessageRecord(id, message, &*out++);
  for (const auto& [key, entry] : delivery_log_) AppendDeliveredRecord(key, entry, &*out++);
  std::vector<std::string_view> views(records.begin(), records.end());
  bytes_since_compaction_ = 0;
  ARGUS_RETURN_IF_ERROR(Write(views, /*sync=*/true));
  snapshot_bytes_ = bytes_since_compaction_;
  bytes_since_compaction_ = 0;
  return writer_->Truncate(segment - 1);
}

}  // namespace argus::notify
