#pragma once

#include "base/status.h"
#include "cmd/server.h"

namespace argus::cmd {

// Checks every server flag whose value the command-line parser cannot judge (the log's level and
// format, the query durations, the listen address, the external URL) before anything is opened,
// so that a bad flag fails at once rather than after the WAL's replay. The error names the flag:
//   --web.listen-address: listen address "localhost" is not host:port
Status CheckServerFlags(const ServerFlags& flags);

}  // namespace argus::cmd
