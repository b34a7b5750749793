#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace argus::model {

using Duration = std::chrono::milliseconds;

// Parses a Prometheus duration: one or more of <n>y <n>w <n>d <n>h <n>m <n>s <n>ms, largest unit
// first, each at most once ("1h30m", "15s", "0"). A year is 365 days. Fails with kInvalidInput.
Result<Duration> ParseDuration(std::string_view text);

// The shortest Prometheus notation of `d` ("1h30m", "15s", "0s").
std::string FormatDuration(Duration d);

}  // namespace argus::model
