#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "base/build_info.h"

namespace argus::cmd {

// The server's flags, named as Prometheus names them.
struct ServerFlags {
  std::string config_file;  // Empty: the embedded default configuration.
  std::string storage_path = "data";
  int64_t retention_ms = int64_t{15} * 24 * 3600 * 1000;  // --storage.tsdb.retention.time
  uint64_t retention_bytes = 0;                           // --storage.tsdb.retention.size
  std::string listen_address = "127.0.0.1:9090";
  std::string log_level = "info";     // debug, info, warn (or warning), error
  std::string log_format = "logfmt";  // logfmt or json
  std::string query_lookback_delta = "5m";
  int64_t query_max_samples = 50'000'000;
  std::string query_timeout = "2m";
  std::string external_url;  // Empty: http://<hostname>:<port>/.
  // Every flag with its value as given or defaulted, named without dashes, for
  // /api/v1/status/flags.
  std::map<std::string, std::string> all;
  BuildInfo build;  // What the binary is, for the log, the API and /metrics.
};

// Runs the server until SIGTERM or SIGINT, with flags that CheckServerFlags (cmd/flags.h) passed:
// builds the stages, starts them in order, reloads the configuration on SIGHUP and POST /-/reload,
// and stops the stages in reverse order. Returns the process exit code.
int RunServer(const ServerFlags& flags);

}  // namespace argus::cmd
