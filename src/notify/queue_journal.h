#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>

#include "base/status.h"
#include "notify/notification.h"
#include "notify/queue_record.h"
#include "tsdb/wal/writer.h"

namespace argus::notify {

struct JournalOptions {
  // The journal is compacted when what was written since the last compaction passes both this
  // and the size of that compaction's snapshot, so that the files stay within a small multiple
  // of the live state.
  uint64_t compact_after_bytes = uint64_t{1} << 20;
  // Delivery log entries older than this are dropped at compaction (Alertmanager's
  // --data.retention, 120h).
  std::chrono::milliseconds delivery_log_retention = std::chrono::hours(120);
};

// The durable state of the delivery queue in one directory (docs/format/notify-queue.md): the
// messages accepted and not yet done, in the order they were accepted, and the delivery log (what
// was last delivered per receiver, integration and group). Every change is written (one write(2))
// before the call returns, so a kill -9 after it loses nothing. Messages are fsynced too, so a
// power loss loses none either; what left the queue is not, since Finish runs on the event loop
// that scrapes share: a power loss may bring back a message delivered just before, to be sent
// again, never lose one.
//
// Open replays the directory: a torn tail (the write a crash cut short) is cut off and logged;
// damaged records are logged and skipped. Then it compacts, as it does later whenever the files
// have grown enough: the live state is written to a new segment and the older segments deleted.
// A crash in the middle of a compaction leaves old and new segments, which replay to the same
// state.
//
// Not thread-safe: the owner serializes the calls. One journal per directory at a time.
class QueueJournal {
 public:
  // kIOError when the directory cannot be created, read or written; kInvalidInput when it was
  // written by a later format version.
  static Result<std::unique_ptr<QueueJournal>> Open(const std::filesystem::path& dir,
                                                    JournalOptions options, int64_t now_ms);

  // The messages accepted and not done, by id: ids grow in the order of acceptance.
  const std::map<uint64_t, Message>& pending() const { return pending_; }
  // The delivery log entry of `key`; nullptr when nothing was delivered for it (or long ago).
  const DeliveryEntry* LastDelivery(const DeliveryKey& key) const;

  // Writes `message` and fsyncs; returns its id. On kIOError the message was not accepted.
  Result<uint64_t> Add(Message message);
  // Takes pending message `id` out of the queue, writing why (and for kDelivered the delivery log
  // entry), without fsync; compacts when due (a compaction that fails is logged and tried again
  // later). The message leaves the pending set even when the write fails (kIOError): a restart
  // then finds it pending again.
  Status Finish(uint64_t id, DoneReason reason, int64_t now_ms);

 private:
  QueueJournal(JournalOptions options, std::unique_ptr<tsdb::wal::Writer> writer);
  Status Replay(const std::filesystem::path& dir);
  void Apply(QueueRecord record);
  Status Write(std::span<const std::string_view> records, bool sync);
  Status Compact(int64_t now_ms);

  const JournalOptions options_;
  std::unique_ptr<tsdb::wal::Writer> writer_;
  std::map<uint64_t, Message> pending_;
  std::map<DeliveryKey, DeliveryEntry> delivery_log_;
  uint64_t next_id_ = 1;
  uint64_t bytes_since_compaction_ = 0;  // Frames included.
  uint64_t snapshot_bytes_ = 0;          // What the last compaction wrote.
};

}  // namespace argus::notify
