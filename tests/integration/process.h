#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace argus::testing {

// A child process started by a test (argus itself, Prometheus, node_exporter), with its standard
// output and error captured in files. The destructor kills it if it is still running.
class ChildProcess {
 public:
  // Starts `argv[0]` (searched in PATH when it has no slash) in `cwd` (empty: this process's).
  // Output goes to `log_path`; input comes from `stdin_path`.
  static std::optional<ChildProcess> Start(const std::vector<std::string>& argv,
                                           const std::filesystem::path& log_path,
                                           const std::filesystem::path& stdin_path = "/dev/null",
                                           const std::filesystem::path& cwd = "");
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  void Signal(int sig) const;
  // Waits for the process to exit and returns its exit status (128+signal if killed), or
  // nullopt if it is still running at the deadline.
  std::optional<int> Wait(std::chrono::milliseconds deadline);
  // What it has written to standard output and error so far.
  std::string Log() const;

 private:
  ChildProcess(pid_t pid, std::filesystem::path log) : pid_(pid), log_(std::move(log)) {}
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
uint16_t FreePort();

// Polls `condition` until it holds or `deadline` passes; for waiting on other processes, which
// cannot take an injected clock. Returns whether it held.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline);

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path Write(const std::string& name, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// Starts the argus binary under test (ARGUS_BINARY) on `config`, with its data in `dir`/data,
// listening on 127.0.0.1:`port`, and `extra` flags after those; its output goes to `dir`/argus.log.
std::optional<ChildProcess> StartArgus(const TempDir& dir, const std::filesystem::path& config,
                                       uint16_t port, const std::vector<std::string>& extra = {});

// Whether `server` (argus, or a peer with Prometheus' /-/ready) listening on `port` answers
// /-/ready within 30 s; its log is the failure's message.
::testing::AssertionResult BecomesReady(const ChildProcess& server, uint16_t port);

// The path of a file in the shared conformance data, or nullopt when ARGUS_SHARED_DIR is unset
// or the file is missing.
std::optional<std::filesystem::path> SharedFile(const std::string& relative);

// Whether something accepts TCP connections on 127.0.0.1:port.
bool Listening(uint16_t port);

// A blocking GET or POST to 127.0.0.1:port for tests; returns status and body, or status 0.
struct HttpReply {
  int status = 0;
  std::string body;
};
HttpReply HttpGet(uint16_t port, const std::string& target);
HttpReply HttpPost(uint16_t port, const std::string& target, const std::string& body,
                   const std::string& content_type = "application/x-www-form-urlencoded");
HttpReply HttpDelete(uint16_t port, const std::string& target);

// The value of `series` (a name and its labels exactly as the server writes them, such as
// `up{job="a"}`) on 127.0.0.1:port/metrics; nullopt when it is not there.
std::optional<double> MetricValue(uint16_t port, const std::string& series);

// Debian's node_exporter, serving /metrics on 127.0.0.1:port.
struct NodeExporter {
  ChildProcess process;
  uint16_t port;
};

// Whether Debian's prometheus-node-exporter is installed.
bool NodeExporterInstalled();

// Starts node_exporter on a free port, with its log in `dir`, and waits up to 30 s for it to serve
// /metrics. nullopt, with what went wrong in `*why`, if it does not.
std::optional<NodeExporter> StartNodeExporter(const std::filesystem::path& dir, std::string* why);

}  // namespace argus::testing
