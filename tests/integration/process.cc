#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <thread>
#include <utility>

namespace argus::testing {

std::optional<ChildProcess> ChildProcess::Start(const std::vector<std::string>& argv,
                                                const std::filesystem::path& log_path,
                                                const std::filesystem::path& stdin_path,
                                                const std::filesystem::path& cwd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int in = open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
  int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (in < 0 || out < 0) return std::nullopt;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The child dies with the test, even if the test
    // crashes, so that no server outlives it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in);
  close(out);
  if (pid < 0) return std::nullopt;
  return ChildProcess(pid, log_path);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), log_(std::move(other.log_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    ChildProcess old(std::move(*this));  // Killed as it goes.
    pid_ = std::exchange(other.pid_, -1);
    log_ = std::move(other.log_);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

void ChildProcess::Signal(int sig) const { kill(pid_, sig); }

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds deadline) {
  int status = 0;
  bool exited = WaitFor([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, deadline);
  if (!exited) return std::nullopt;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ChildProcess::Log() const {
  std::ifstream in(log_);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

uint16_t FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  auto end = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("argus-test-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::Write(const std::string& name, const std::string& content) const {
  auto p = path_ / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

std::optional<ChildProcess> StartArgus(const TempDir& dir, const std::filesystem::path& config,
                                       uint16_t port, const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {std::getenv("ARGUS_BINARY"), "--config.file=" + config.string(),
                                   "--storage.tsdb.path=" + (dir.path() / "data").string(),
                                   "--web.listen-address=127.0.0.1:" + std::to_string(port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ChildProcess::Start(argv, dir.path() / "argus.log");
}

::testing::AssertionResult BecomesReady(const ChildProcess& server, uint16_t port) {
  if (WaitFor([port] { return HttpGet(port, "/-/ready").status == 200; },
              std::chrono::seconds(30))) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "not ready within 30 s; its log:\n" << server.Log();
}

std::optional<std::filesystem::path> SharedFile(const std::string& relative) {
  const char* dir = std::getenv("ARGUS_SHARED_DIR");
  if (dir == nullptr) return std::nullopt;
  std::filesystem::path p = std::filesystem::path(dir) / relative;
  if (!std::filesystem::exists(p)) return std::nullopt;
  return p;
}

namespace {

// A socket connected to 127.0.0.1:port, or -1.
int ConnectLoopback(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

HttpReply Exchange(uint16_t port, const std::string& request) {
  HttpReply reply;
  int fd = ConnectLoopback(port);
  if (fd < 0) return reply;
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[65536];
  for (ssize_t n; (n = recv(fd, buf, sizeof(buf), 0)) > 0;) raw.append(buf, n);
  close(fd);
  std::istringstream status_line(raw);
  std::string version;
  status_line >> version >> reply.status;
  auto body = raw.find("\r\n\r\n");
  if (body != std::string::npos) reply.body = raw.substr(body + 4);
  return reply;
}

}  // namespace

bool Listening(uint16_t port) {
  int fd = ConnectLoopback(port);
  if (fd < 0) return false;
  close(fd);
  return true;
}

HttpReply HttpGet(uint16_t port, const std::string& target) {
  return Exchange(port, "GET " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
}

HttpReply HttpPost(uint16_t port, const std::string& target, const std::string& body,
                   const std::string& content_type) {
  return Exchange(
      port, "POST " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: " + content_type +
                "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
}

HttpReply HttpDelete(uint16_t port, const std::string& target) {
  return Exchange(port, "DELETE " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
}

std::optional<double> MetricValue(uint16_t port, const std::string& series) {
  std::istringstream lines(HttpGet(port, "/metrics").body);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::strtod(line.c_str() + series.size() + 1, nullptr);
    }
  }
  return std::nullopt;
}

namespace {
constexpr char kNodeExporterPath[] = "/usr/bin/prometheus-node-exporter";
}  // namespace

bool NodeExporterInstalled() { return std::filesystem::exists(kNodeExporterPath); }

std::optional<NodeExporter> StartNodeExporter(const std::filesystem::path& dir, std::string* why) {
  uint16_t port = FreePort();
  auto process = ChildProcess::Start(
      {kNodeExporterPath, "--web.listen-address=127.0.0.1:" + std::to_string(port)},
      dir / "node_exporter.log");
  if (!process) {
    *why = "cannot start node_exporter";
    return std::nullopt;
  }
  if (!WaitFor([&] { return HttpGet(port, "/metrics").status == 200; }, std::chrono::seconds(30))) {
    *why = "node_exporter does not serve /metrics: " + process->Log();
    return std::nullopt;
  }
  return NodeExporter{std::move(*process), port};
}

}  // namespace argus::testing
