// An OOM kill reaches Slack, against the binary: with Argus' default rules (config/rules/) and a
// Slack webhook set, a process in a cgroup with a tiny memory limit that the kernel OOM-kills
// produces exactly one Slack message, which names the cgroup. The container collector reads a
// cgroup root that holds only the test's cgroups (as a DaemonSet's mount would hold the host's),
// so that the machine's own cgroups, and the OOM kills they had, stay out of it. cgroup v2 (the
// unified hierarchy with the memory controller) and v1 (its memory hierarchy) are both exercised;
// without either, or where cgroups cannot be written (not root, a read-only mount), the test
// skips and says which.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fake_slack_fixture.h"
#include "http/url.h"
#include "process.h"

namespace argus::testing {
namespace {

namespace fs = std::filesystem;
using notify::FakeSlack;
using std::chrono::seconds;

constexpr char kVictim[] = "argus-oom-victim";
constexpr uint64_t kMemoryLimit = 32 << 20;
constexpr auto kGroupInterval = seconds(1);

// Where the kernel accounts memory: a cgroup v2 mount whose controllers include memory, or v1's
// memory hierarchy.
struct MemoryHierarchy {
  fs::path mount;
  bool v2 = false;
};

std::optional<MemoryHierarchy> FindMemoryHierarchy() {
  for (const char* mount : {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"}) {
    std::ifstream in(fs::path(mount) / "cgroup.controllers");
    std::string controllers;
    std::getline(in, controllers);
    if (in && (" " + controllers + " ").find(" memory ") != std::string::npos) {
      return MemoryHierarchy{mount, true};
    }
  }
  if (fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
    return MemoryHierarchy{"/sys/fs/cgroup/memory", false};
  }
  return std::nullopt;
}

// Writes `value` to the cgroup file `path`; "" on success, else why not.
std::string WriteCgroupFile(const fs::path& path, const std::string& value) {
  std::ofstream out(path);
  out << value << std::flush;
  return out ? ""
             : fmt::format("cannot write {} to {}: {}", value, path.string(), std::strerror(errno));
}

// The value of `key` in a cgroup file of "key value" lines (memory.events, memory.oom_control).
std::optional<uint64_t> KeyedValue(const fs::path& path, const std::string& key) {
  std::ifstream in(path);
  std::string name;
  uint64_t value = 0;
  while (in >> name >> value) {
    if (name == key) return value;
  }
  return std::nullopt;
}

// Two cgroups made for the test, removed at its end: `root`, which the collector reads as its
// whole hierarchy, and `victim` below it with a memory limit of kMemoryLimit and no swap.
class TestCgroups {
 public:
  // nullptr, with the reason in `*why`, when the machine does not allow it.
  static std::unique_ptr<TestCgroups> Make(const TempDir& dir, std::string* why) {
    std::optional<MemoryHierarchy> hierarchy = FindMemoryHierarchy();
    if (!hierarchy) {
      *why =
          "no cgroup memory controller: neither a cgroup v2 mount at /sys/fs/cgroup or "
          "/sys/fs/cgroup/unified with memory in cgroup.controllers, nor cgroup v1's "
          "/sys/fs/cgroup/memory";
      return nullptr;
    }
    std::unique_ptr<TestCgroups> made(new TestCgroups(*hierarchy));
    made->root_ = hierarchy->mount / ("argus-oom-test-" + std::to_string(getpid()));
    made->victim_ = made->root_ / kVictim;
    for (const fs::path& cgroup : {made->root_, made->victim_}) {
      if (mkdir(cgroup.c_str(), 0755) != 0) {
        *why = fmt::format(
            "cannot create a cgroup at {}: {} (needs root and a writable cgroup "
            "file system)",
            cgroup.string(), std::strerror(errno));
        return nullptr;
      }
      made->made_.push_back(cgroup);
      if (cgroup == made->root_ && hierarchy->v2) {
        // The victim's memory files exist only where its parent hands the controller down.
        *why = WriteCgroupFile(cgroup / "cgroup.subtree_control", "+memory");
        if (!why->empty()) return nullptr;
      }
    }
    *why = made->Limit();
    if (!why->empty()) return nullptr;
    if (!KeyedValue(made->oom_counter(), "oom_kill")) {
      *why = fmt::format("the kernel does not count OOM kills in {}", made->oom_counter().string());
      return nullptr;
    }
    // On v1 the collector's root holds one directory per controller: a link to the test's own.
    made->collector_root_ = made->root_;
    if (!hierarchy->v2) {
      made->collector_root_ = dir.path() / "cgroup";
      fs::create_directories(made->collector_root_);
      fs::create_directory_symlink(made->root_, made->collector_root_ / "memory");
    }
    return made;
  }

  // After every process in them is gone: a cgroup with processes cannot be removed.
  ~TestCgroups() {
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) rmdir(it->c_str());
  }

  const fs::path& collector_root() const { return collector_root_; }
  const fs::path& victim() const { return victim_; }
  fs::path oom_counter() const {
    return victim_ / (hierarchy_.v2 ? "memory.events" : "memory.oom_control");
  }
  std::string version() const { return hierarchy_.v2 ? "cgroup v2" : "cgroup v1"; }

 private:
  explicit TestCgroups(MemoryHierarchy hierarchy) : hierarchy_(std::move(hierarchy)) {}

  // Sets the victim's limits; "" on success.
  std::string Limit() {
    std::string limit = std::to_string(kMemoryLimit);
    if (hierarchy_.v2) {
      std::string why = WriteCgroupFile(victim_ / "memory.max", limit);
      // Without swap the limit is reached at once; where the kernel has no swap, no file.
      if (why.empty() && fs::exists(victim_ / "memory.swap.max")) {
        why = WriteCgroupFile(victim_ / "memory.swap.max", "0");
      }
      return why;
    }
    std::string why = WriteCgroupFile(victim_ / "memory.limit_in_bytes", limit);
    if (why.empty() && fs::exists(victim_ / "memory.memsw.limit_in_bytes")) {
      why = WriteCgroupFile(victim_ / "memory.memsw.limit_in_bytes", limit);
    }
    return why;
  }

  MemoryHierarchy hierarchy_;
  fs::path root_, victim_, collector_root_;
  std::vector<fs::path> made_;
};

class OomKillTest : public FakeSlackTest {
 protected:
  void SetUp() override {
    std::string why;
    cgroups_ = TestCgroups::Make(dir_, &why);
    if (!cgroups_) GTEST_SKIP() << why;
    FakeSlackTest::SetUp();
  }

  void TearDown() override {
    if (server_) server_->Signal(SIGKILL);
    FakeSlackTest::TearDown();
  }

  // The default rules, every interval short, the container collector on the test's cgroups, and
  // the default config's commented notify: example with a Slack URL and short timings.
  fs::path WriteConfig() {
    return dir_.Write("argus.yml", fmt::format(R"(
global: {{scrape_interval: 1s, evaluation_interval: 1s}}
rule_files: ['{}/config/rules/*.yml']
scrape_configs: []
collectors:
  containers:
    enabled: true
    cgroup_path: '{}'
    docker_socket: ''
    pod_logs_path: ''
notify:
  route:
    receiver: slack
    group_by: [alertname, namespace]
    group_wait: 1s
    group_interval: {}s
    repeat_interval: 4h
  receivers:
    - name: slack
      slack_configs: [{{api_url: '{}', channel: '#alerts', send_resolved: true}}]
)",
                                               std::getenv("ARGUS_SOURCE_DIR"),
                                               cgroups_->collector_root().string(),
                                               kGroupInterval.count(), slack_->url()));
  }

  // The value of the victim's container_oom_events_total as Argus answers an instant query.
  std::optional<std::string> OomEvents() {
    std::string body =
        HttpGet(port_,
                "/api/v1/query?query=" + http::QueryEscape(fmt::format(
                                             R"(container_oom_events_total{{id="/{}"}})", kVictim)))
            .body;
    simdjson::dom::parser parser;
    std::string_view value;
    if (parser.parse(body).at_pointer("/data/result/0/value/1").get(value) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    return std::string(value);
  }

  // The messages Slack received that name the victim's cgroup.
  std::vector<std::string> VictimMessages() {
    std::vector<std::string> bodies;
    for (const FakeSlack::Request& request : slack_->requests()) {
      if (request.body.find(kVictim) != std::string::npos) bodies.push_back(request.body);
    }
    return bodies;
  }

  TempDir dir_;
  std::unique_ptr<TestCgroups> cgroups_;
  uint16_t port_ = 0;
  std::optional<ChildProcess> server_;
};

TEST_F(OomKillTest, OneSlackMessageNamesTheKilledCgroup) {
  SCOPED_TRACE(cgroups_->version());
  port_ = FreePort();
  server_ = StartArgus(dir_, WriteConfig(), port_);
  ASSERT_TRUE(server_.has_value());
  // The container is known, with no OOM kill yet, before it runs out of memory.
  ASSERT_TRUE(WaitFor([&] { return OomEvents() == "0"; }, seconds(30))) << server_->Log();

  // `tail` keeps the last lines of its input, and /dev/zero has no line end: it grows until the
  // kernel kills it. The shell moves itself into the victim's cgroup first.
  std::string procs = (cgroups_->victim() / "cgroup.procs").string();
  auto hog = ChildProcess::Start({"sh", "-c", "echo $$ > '" + procs + "' && exec tail /dev/zero"},
                                 dir_.path() / "hog.log");
  ASSERT_TRUE(hog.has_value());
  std::optional<int> status = hog->Wait(seconds(60));
  if (status != 128 + SIGKILL && hog->Log().find("cgroup.procs") != std::string::npos) {
    GTEST_SKIP() << "cannot move a process into " << procs << ": " << hog->Log();
  }
  ASSERT_EQ(status, 128 + SIGKILL) << hog->Log();
  ASSERT_EQ(KeyedValue(cgroups_->oom_counter(), "oom_kill"), 1u);

  ASSERT_TRUE(WaitFor([&] { return !VictimMessages().empty(); }, seconds(60))) << server_->Log();
  std::string message = VictimMessages()[0];
  EXPECT_NE(message.find("ContainerOOMKilled"), std::string::npos) << message;
  EXPECT_NE(message.find(fmt::format("Container /{} was OOM-killed", kVictim)), std::string::npos)
      << message;

  // Exactly one: the alert stays firing, and its group is not told again at the next flushes.
  EXPECT_FALSE(WaitFor([&] { return VictimMessages().size() > 1; }, 3 * kGroupInterval))
      << VictimMessages().back();
  EXPECT_EQ(OomEvents(), "1");
}

}  // namespace
}  // namespace argus::testing
