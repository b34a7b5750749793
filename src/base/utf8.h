#pragma once

#include <cstddef>
#include <string_view>

namespace argus {

// The length of the valid UTF-8 sequence at the start of `s`: 1 for ASCII, 2 to 4 for longer
// sequences, 0 when `s` is empty or starts with a byte that begins no valid sequence (a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate half, or a code point
// beyond U+10FFFF), as Go's utf8.DecodeRune judges them.
size_t Utf8SequenceLength(std::string_view s);

}  // namespace argus
