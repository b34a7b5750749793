// libFuzzer target for what the collectors parse: /proc and /sys files of the host, the files of
// a cgroup v2 and a cgroup v1 tree, and Docker's inspection JSON. The input is cut at NUL bytes
// into the contents of those files, which are written into a temporary tree that the collectors
// then read, as they read the real ones. Seeds: the fixture trees.

#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "base/clock.h"
#include "collect/container_collector.h"
#include "collect/docker_client.h"
#include "collect/host_collector.h"
#include "collect/sample_writer.h"

namespace {

namespace fs = std::filesystem;
using namespace argus;

class NullAppender final : public storage::Appender {
 public:
  Result<storage::SeriesRef> Append(storage::SeriesRef ref, const model::Labels&, int64_t,
                                    double) override {
    return ref != 0 ? ref : ++next_;
  }
  Status Commit() override { return Status::Ok(); }
  void Rollback() override {}

 private:
  storage::SeriesRef next_ = 0;
};

// The files that the input's parts become, in order.
constexpr std::array<const char*, 22> kFiles = {
    "proc/stat",
    "proc/meminfo",
    "proc/loadavg",
    "proc/net/dev",
    "proc/diskstats",
    "proc/1/mounts",
    "proc/pressure/io",
    "proc/sys/kernel/osrelease",
    "sys/class/net/eth0/mtu",
    "v2/c/cpu.stat",
    "v2/c/cpu.max",
    "v2/c/cpu.weight",
    "v2/c/memory.stat",
    "v2/c/memory.events",
    "v2/c/memory.max",
    "v2/c/io.stat",
    "v2/c/cgroup.procs",
    "v1/cpu,cpuacct/docker/c/cpuacct.stat",
    "v1/cpu,cpuacct/docker/c/cpu.stat",
    "v1/memory/docker/c/memory.stat",
    "v1/memory/docker/c/memory.oom_control",
    "v1/blkio/docker/c/blkio.throttle.io_service_bytes_recursive",
};

struct Tree {
  Tree() {
    std::string pattern = (fs::temp_directory_path() / "argus-collect-fuzz-XXXXXX").string();
    root = mkdtemp(pattern.data());
    for (const char* file : kFiles) fs::create_directories((root / file).parent_path());
    std::ofstream(root / "v2/cgroup.controllers") << "cpu memory io pids\n";
    std::ofstream(root / "proc/1/net/dev") << "";
  }
  ~Tree() { fs::remove_all(root); }
  fs::path root;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Tree tree;
  static collect::HostCollector host(
      collect::HostPaths{(tree.root / "proc").string(), (tree.root / "sys").string(),
                         tree.root.string()},
      SystemClock::Instance());
  static collect::ContainerCollector v2(
      collect::ContainerPaths{(tree.root / "v2").string(), (tree.root / "proc").string(),
                              (tree.root / "sys").string(), "", ""},
      SystemClock::Instance());
  static collect::ContainerCollector v1(
      collect::ContainerPaths{(tree.root / "v1").string(), (tree.root / "proc").string(),
                              (tree.root / "sys").string(), "", ""},
      SystemClock::Instance());
  static collect::SampleWriter writer(model::Labels{{"job", "fuzz"}});
  static int64_t t = 0;

  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)collect::ParseDockerInspect(input);
  for (const char* file : kFiles) {
    size_t end = input.find('\0');
    std::ofstream(tree.root / file, std::ios::trunc) << input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  }
  NullAppender app;
  writer.Begin(app, ++t);
  for (collect::Collector* c : std::initializer_list<collect::Collector*>{&host, &v2, &v1}) {
    (void)c->Collect(writer);
  }
  writer.End();
  return 0;
}
