#pragma once

#include <cstdint>
#include <string>

namespace argus::cmd {

// The server's flags, named as Prometheus names them.
struct ServerFlags {
  std::string config_file;  // Empty: the embedded default configuration.
  std::string storage_path = "data";
  int64_t retention_ms = int64_t{15} * 24 * 3600 * 1000;  // --storage.tsdb.retention.time
  uint64_t retention_bytes = 0;                           // --storage.tsdb.retention.size
  std::string listen_address = "127.0.0.1:9090";
  std::string log_level = "info";
};

// Runs the server until SIGTERM or SIGINT: builds the stages, starts them in order, reloads the
// configuration on SIGHUP and POST /-/reload, and stops the stages in reverse order. Returns the
// process exit code.
int RunServer(const ServerFlags& flags);

}  // namespace argus::cmd
