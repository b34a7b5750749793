#include "notify/queue_record.h"

#include <limits>

#include "base/encoding.h"

namespace argus::notify {
namespace {

namespace enc = encoding;

void PutString(std::string_view s, std::string* out) {
  enc::PutUvarint(*out, s.size());
  out->append(s);
}

void PutKey(const DeliveryKey& key, std::string* out) {
  PutString(key.receiver, out);
  PutString(key.integration, out);
  enc::PutUvarint(*out, static_cast<uint64_t>(key.integration_index));
  PutString(key.group_key, out);
}

// Reads the fields of one record after its type byte; the first failure sticks.
class FieldReader {
 public:
  explicit FieldReader(std::string_view record) : record_(record), in_(record.substr(1)) {}

  uint64_t Uvarint() { return in_.Uvarint(); }
  int64_t Varint() { return in_.Varint(); }
  uint64_t Fixed64() {
    uint64_t low = in_.Fixed32();
    return low | uint64_t{in_.Fixed32()} << 32;
  }
  std::string String() {
    uint64_t n = in_.Uvarint();
    auto bytes = in_.Bytes(n);
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  int Index() {
    uint64_t v = in_.Uvarint();
    if (v > static_cast<uint64_t>(std::numeric_limits<int>::max())) bad_index_ = true;
    return static_cast<int>(v);
  }
  DeliveryKey Key() {
    DeliveryKey key;
    key.receiver = String();
    key.integration = String();
    key.integration_index = Index();
    key.group_key = String();
    return key;
  }

  // OK when every field was read and nothing is left over.
  Status Finish(std::string_view what) const {
    if (in_.failed()) return Corrupt(what, "ends inside a field");
    if (bad_index_) return Corrupt(what, "has an integration index out of range");
    if (in_.remaining() != 0) return Corrupt(what, "has bytes after its last field");
    return Status::Ok();
  }

 private:
  Status Corrupt(std::string_view what, std::string_view problem) const {
    return Status::Errorf(Status::Code::kCorruption, "notify queue {} record of {} bytes {}", what,
                          record_.size(), problem);
  }
  std::string_view record_;
  enc::Decoder in_;
  bool bad_index_ = false;
};

}  // namespace

DeliveryKey KeyOf(const Message& message) {
  return DeliveryKey{message.receiver, message.integration, message.integration_index,
                     message.group_key};
}

void AppendHeaderRecord(std::string* out) {
  out->push_back(static_cast<char>(QueueRecordType::kHeader));
  enc::PutUvarint(*out, kQueueFormatVersion);
}

void AppendMessageRecord(uint64_t id, const Message& message, std::string* out) {
  out->push_back(static_cast<char>(QueueRecordType::kMessage));
  enc::PutUvarint(*out, id);
  PutKey(KeyOf(message), out);
  enc::PutFixed64(*out, message.group_state_hash);
  enc::PutVarint(*out, message.created_ms);
  PutString(message.content_type, out);
  PutString(message.body, out);
}

void AppendDoneRecord(const DoneRecord& done, std::string* out) {
  out->push_back(static_cast<char>(QueueRecordType::kDone));
  enc::PutUvarint(*out, done.id);
  enc::PutUvarint(*out, static_cast<uint64_t>(done.reason));
  enc::PutVarint(*out, done.at_ms);
}

void AppendDeliveredRecord(const DeliveryKey& key, const DeliveryEntry& entry, std::string* out) {
  out->push_back(static_cast<char>(QueueRecordType::kDelivered));
  PutKey(key, out);
  enc::PutFixed64(*out, entry.group_state_hash);
  enc::PutVarint(*out, entry.delivered_ms);
}

Result<QueueRecord> DecodeQueueRecord(std::string_view record) {
  if (record.empty()) return Status::Error("empty notify queue record", Status::Code::kCorruption);
  FieldReader in(record);
  switch (static_cast<QueueRecordType>(record[0])) {
    case QueueRecordType::kHeader: {
      HeaderRecord header{in.Uvarint()};
      ARGUS_RETURN_IF_ERROR(in.Finish("header"));
      return QueueRecord(header);
    }
    case QueueRecordType::kMessage: {
      MessageRecord m;
      m.id = in.Uvarint();
      DeliveryKey key = in.Key();
      m.message.receiver = std::move(key.receiver);
      m.message.integration = std::move(key.integration);
      m.message.integration_index = key.integration_index;
      m.message.group_key = std::move(key.group_key);
      m.message.group_state_hash = in.Fixed64();
      m.message.created_ms = in.Varint();
      m.message.content_type = in.String();
      m.message.body = in.String();
      ARGUS_RETURN_IF_ERROR(in.Finish("message"));
      return QueueRecord(std::move(m));
    }
    case QueueRecordType::kDone: {
      DoneRecord done;
      done.id = in.Uvarint();
      uint64_t reason = in.Uvarint();
      done.at_ms = in.Varint();
      ARGUS_RETURN_IF_ERROR(in.Finish("done"));
      if (reason < 1 || reason > 3) {
        return Status::Errorf(Status::Code::kCorruption,
                              "notify queue done record has an unknown reason {}", reason);
      }
      done.reason = static_cast<DoneReason>(reason);
      return QueueRecord(done);
    }
    case QueueRecordType::kDelivered: {
      DeliveredRecord d;
      d.key = in.Key();
      d.entry.group_state_hash = in.Fixed64();
      d.entry.delivered_ms = in.Varint();
      ARGUS_RETURN_IF_ERROR(in.Finish("delivered"));
      return QueueRecord(std::move(d));
    }
  }
  return QueueRecord(UnknownRecord{static_cast<uint8_t>(record[0])});
}

}  // namespace argus::notify
