#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "base/status.h"
#include "notify/notification.h"

namespace argus::notify {

// The records of the delivery queue's journal (docs/format/notify-queue.md), framed by the WAL's
// segment format. Internal to the delivery queue, but for DeliveryKey and DeliveryEntry, which
// DeliveryQueue::LastDelivery answers with. Encoders append one record to `*out`; Decode checks
// every field and returns kCorruption saying what was wrong.

inline constexpr uint64_t kQueueFormatVersion = 1;

enum class QueueRecordType : uint8_t {
  kHeader = 1,     // First in every segment: the format version.
  kMessage = 2,    // A message accepted for delivery, with its queue id.
  kDone = 3,       // A message that left the queue, and why.
  kDelivered = 4,  // A delivery log entry: what was last delivered for a group.
};

// Why a message left the queue.
enum class DoneReason : uint8_t {
  kDelivered = 1,  // The receiver accepted it.
  kFailed = 2,     // It failed for good (a 4xx, an HTML page, a redirect, an unknown receiver).
  kDuplicate = 3,  // Its group state had been delivered after it was made: not sent.
};

// Names what a delivery log entry is about: one integration of a receiver, for one group.
struct DeliveryKey {
  std::string receiver;
  std::string integration;
  int integration_index = 0;
  std::string group_key;
  auto operator<=>(const DeliveryKey&) const = default;
  bool operator==(const DeliveryKey&) const = default;
};

// What was last delivered for a DeliveryKey: Alertmanager's notification log entry.
struct DeliveryEntry {
  uint64_t group_state_hash = 0;
  int64_t delivered_ms = 0;
  bool operator==(const DeliveryEntry&) const = default;
};

struct HeaderRecord {
  uint64_t version = kQueueFormatVersion;
};
struct MessageRecord {
  uint64_t id = 0;
  Message message;
};
struct DoneRecord {
  uint64_t id = 0;
  DoneReason reason = DoneReason::kDelivered;
  int64_t at_ms = 0;
};
struct DeliveredRecord {
  DeliveryKey key;
  DeliveryEntry entry;
};
// A record of a type this version does not know: skipped, so that a later version may add types.
struct UnknownRecord {
  uint8_t type = 0;
};
using QueueRecord =
    std::variant<HeaderRecord, MessageRecord, DoneRecord, DeliveredRecord, UnknownRecord>;

DeliveryKey KeyOf(const Message& message);

void AppendHeaderRecord(std::string* out);
void AppendMessageRecord(uint64_t id, const Message& message, std::string* out);
void AppendDoneRecord(const DoneRecord& done, std::string* out);
void AppendDeliveredRecord(const DeliveryKey& key, const DeliveryEntry& entry, std::string* out);

Result<QueueRecord> DecodeQueueRecord(std::string_view record);

}  // namespace argus::notify
