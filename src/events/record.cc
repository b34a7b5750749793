#include "events/record.h"

#include <vector>

#include "base/encoding.h"

namespace argus::events {
namespace {

void PutString(std::string_view s, std::string* out) {
  encoding::PutUvarint(*out, s.size());
  out->append(s);
}

// Reads a length-prefixed string; false when the decoder failed on it.
bool GetString(encoding::Decoder& d, std::string* s) {
  uint64_t size = d.Uvarint();
  auto bytes = d.Bytes(size);
  if (d.failed()) return false;
  s->assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return true;
}

Status Corrupt(std::string_view field) {
  return Status::Errorf(Status::Code::kCorruption, "event record: {} does not decode", field);
}

}  // namespace

void AppendEventRecord(const Event& event, std::string* out) {
  out->push_back(static_cast<char>(RecordType::kEvent));
  encoding::PutVarint(*out, event.time_ms);
  PutString(event.kind, out);
  encoding::PutUvarint(*out, event.labels.size());
  for (const model::Label& label : event.labels) {
    PutString(label.name, out);
    PutString(label.value, out);
  }
  PutString(event.text, out);
  PutString(event.link, out);
}

RecordType TypeOf(std::string_view record) {
  return record.empty() ? RecordType::kInvalid : static_cast<RecordType>(record.front());
}

Result<Event> DecodeEventRecord(std::string_view record) {
  if (TypeOf(record) != RecordType::kEvent) {
    return Status::Errorf(Status::Code::kCorruption, "event record: type {} is not an event",
                          static_cast<int>(TypeOf(record)));
  }
  encoding::Decoder d(record.substr(1));
  Event event;
  event.time_ms = d.Varint();
  if (d.failed()) return Corrupt("time");
  if (!GetString(d, &event.kind)) return Corrupt("kind");
  uint64_t label_count = d.Uvarint();
  // Each label takes at least two bytes, so a damaged count cannot make us reserve much.
  if (d.failed() || label_count > d.remaining() / 2) return Corrupt("label count");
  std::vector<model::Label> labels(label_count);
  for (model::Label& label : labels) {
    if (!GetString(d, &label.name) || !GetString(d, &label.value)) return Corrupt("label");
  }
  event.labels = model::Labels::FromUnsorted(std::move(labels));
  if (!GetString(d, &event.text)) return Corrupt("text");
  if (!GetString(d, &event.link)) return Corrupt("link");
  if (d.remaining() != 0) {
    return Status::Errorf(Status::Code::kCorruption, "event record: {} bytes after the link",
                          d.remaining());
  }
  return event;
}

}  // namespace argus::events
