#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace argus::notify {

// Text helpers shared by the message renderers. All of them return valid UTF-8.

// `s` with each byte that starts no valid UTF-8 sequence replaced by U+FFFD, as Go's
// encoding/json does: label values and annotations from outside may hold anything.
std::string ToValidUtf8(std::string_view s);

// `s` cut to at most `max_runes` code points, the last of them "…" when something was cut
// (Alertmanager's TruncateInRunes). Cuts only between code points; `s` must be valid UTF-8.
std::string TruncateRunes(std::string_view s, size_t max_runes);

// The number of code points in valid UTF-8 `s`.
size_t CountRunes(std::string_view s);

// A duration for people, to the unit that matters: "45s", "12m", "3h20m", "2d4h".
std::string HumanDuration(int64_t ms);

// A time for people, in UTC to the second: "2026-06-26 10:20:00 UTC".
std::string HumanTime(int64_t t_ms);

}  // namespace argus::notify
