#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "notify/silence.h"

namespace argus::notify {

// The silences file of the data directory, format version 1 (docs/format/silences.md): a
// header, then one record per silence, each with its length and CRC32C.

// Appends the file's bytes for `silences`, in the order given.
void EncodeSilences(const std::vector<Silence>& silences, std::string* out);

// Reads a whole file. kCorruption naming the byte offset and what was wrong when the magic, the
// version, a length or a checksum fails, or a record does not decode.
Result<std::vector<Silence>> DecodeSilences(std::string_view bytes);

}  // namespace argus::notify
