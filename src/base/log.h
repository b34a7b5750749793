#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace argus::log {

// Argus logs through spdlog's default logger, one logfmt-style line per event:
//   ts=2026-11-25T02:00:00.000Z level=info msg="..." key=value
// Call sites use spdlog directly (spdlog::info("msg=\"...\" target={}", url)).

// Sets up the default logger on stderr. `level` is one of debug, info, warn, error; returns false
// for anything else.
bool Init(std::string_view level);

}  // namespace argus::log
