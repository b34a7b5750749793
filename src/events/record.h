#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "events/event.h"

namespace argus::events {

// How an event is laid out as a record of the event store's segments (docs/format/events.md).
// Internal to the events folder: the store frames these records, the tests pin their bytes.
//
// The first byte of a record is its type, which is also the version of its encoding: a later
// encoding of events gets a type of its own, and readers skip types they do not know.
enum class RecordType : uint8_t {
  kInvalid = 0,  // Never written.
  kEvent = 1,    // One event, in the first encoding.
};

// Appends the record of `event` to `*out`.
void AppendEventRecord(const Event& event, std::string* out);

// The type byte of `record`, kInvalid for an empty one. Bytes that name no type above come back as
// they are.
RecordType TypeOf(std::string_view record);

// Decodes a kEvent record. kCorruption, saying which field does not decode, when the record is
// truncated, has bytes after its last field, or has another type.
Result<Event> DecodeEventRecord(std::string_view record);

}  // namespace argus::events
