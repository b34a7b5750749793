#pragma once

// RapidJSON 1.1's stack does arithmetic on its null start pointer, which is harmless but trips
// UBSan's pointer-overflow check.
#pragma clang attribute push(__attribute__((no_sanitize("pointer-overflow"))), apply_to = function)
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#pragma clang attribute pop

#include <string_view>

#include "model/labels.h"

namespace argus::notify {

// Message bodies are written with RapidJSON's writer: compact, keys in the order written.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes `s` as a JSON string; bytes that are not valid UTF-8 become U+FFFD, as in Go.
void WriteJsonString(JsonWriter& writer, std::string_view s);

// Writes `key` and then `value` as strings.
void WriteJsonField(JsonWriter& writer, std::string_view key, std::string_view value);

// Writes labels (or annotations) as an object of name: value, sorted by name.
void WriteJsonLabels(JsonWriter& writer, const model::Labels& labels);

}  // namespace argus::notify
