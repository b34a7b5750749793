#include "collect/docker_client.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

#include "collect/collect_test_util.h"
#include "collect/container_collector.h"
#include "storage/querier.h"

namespace argus::collect {
namespace {

constexpr char kD2[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// Shaped like Docker Engine API 1.43's answer to GET /containers/<id>/json, cut to what matters.
std::string InspectJson(std::string_view id, std::string_view name, std::string_view image, int pid,
                        std::string_view labels = "{}") {
  return fmt::format(
      R"({{"Id":"{}","Created":"2024-05-06T07:08:09.5Z","Path":"/docker-entrypoint.sh",)"
      R"("Args":["nginx","-g","daemon off;"],"State":{{"Status":"running","Running":true,)"
      R"("Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":{},)"
      R"("ExitCode":0,"Error":"","StartedAt":"2024-05-06T07:08:10.1Z",)"
      R"("FinishedAt":"0001-01-01T00:00:00Z"}},"Image":"sha256:a8758716bb6a",)"
      R"("Name":"/{}","RestartCount":0,"Driver":"overlay2","HostConfig":{{"CpuShares":0,)"
      R"("Memory":0,"CgroupParent":""}},"Config":{{"Hostname":"4a9f6c1e2b3d","Env":["PATH=/usr/bin"],)"
      R"("Cmd":["nginx","-g","daemon off;"],"Image":"{}","Labels":{}}},)"
      R"("NetworkSettings":{{"Networks":{{"bridge":{{"IPAddress":"172.17.0.2"}}}}}}}})",
      id, pid, name, image, labels);
}

// A stand-in for dockerd on a unix socket: answers GET /containers/<id>/json from `containers`
// and 404 for the rest, one request per connection, on a thread of its own until destroyed.
class FakeDocker {
 public:
  FakeDocker(std::string path, std::map<std::string, std::string> containers)
      : path_(std::move(path)), containers_(std::move(containers)) {
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << path_;
    EXPECT_EQ(listen(fd_, 16), 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeDocker() {
    stop_ = true;
    thread_.join();
    close(fd_);
    unlink(path_.c_str());
  }
  int requests() const { return requests_; }

 private:
  void Serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int conn = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(conn, buf, sizeof(buf));
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      ++requests_;
      std::string target = request.substr(4, request.find(' ', 4) - 4);  // "GET <target> ...".
      std::string body = R"({"message":"No such container"})";
      std::string status = "404 Not Found";
      for (const auto& [id, json] : containers_) {
        if (target == "/containers/" + id + "/json") {
          body = json;
          status = "200 OK";
        }
      }
      std::string response = "HTTP/1.1 " + status +
                             "\r\nApi-Version: 1.43\r\nContent-Type: application/json\r\n"
                             "Server: Docker/24.0.7 (linux)\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body;
      EXPECT_EQ(write(conn, response.data(), response.size()),
                static_cast<ssize_t>(response.size()));
      close(conn);
    }
  }

  std::string path_;
  std::map<std::string, std::string> containers_;
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

TEST(DockerClientTest, ParsesInspectionWithKubernetesLabels) {
  auto c = ParseDockerInspect(
      InspectJson(kD2, "k8s_app_web-7d4b9c_shop_6e1f7a5c_0", "registry.example/shop/web:2.1", 77,
                  R"({"io.kubernetes.container.name":"app","io.kubernetes.pod.name":"web-7d4b9c",)"
                  R"("io.kubernetes.pod.namespace":"shop","io.kubernetes.pod.uid":"6e1f7a5c"})"));
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->name, "k8s_app_web-7d4b9c_shop_6e1f7a5c_0");
  EXPECT_EQ(c->image, "registry.example/shop/web:2.1");
  EXPECT_EQ(c->kube_container, "app");
  EXPECT_EQ(c->kube_pod, "web-7d4b9c");
  EXPECT_EQ(c->kube_namespace, "shop");
  EXPECT_EQ(c->pid, 77);
  EXPECT_DOUBLE_EQ(c->created_seconds, 1714979289.5);
}

TEST(DockerClientTest, RejectsWhatIsNotTheApisJson) {
  auto bad = ParseDockerInspect("{\"Name\": ");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidInput);
  EXPECT_FALSE(ParseDockerInspect("[1, 2]").ok());
}

TEST(DockerClientTest, InspectsOverItsSocket) {
  FixtureCopy dir("containers");
  std::string socket = (dir.path() / "docker.sock").string();
  FakeDocker docker(socket, {{kD2, InspectJson(kD2, "web", "nginx:1.25", 4242)}});
  DockerClient client(socket, std::chrono::seconds(5));
  auto found = client.Inspect(kD2);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "web");
  auto missing = client.Inspect("feedface");
  ASSERT_TRUE(missing.ok()) << missing.status().message();
  EXPECT_FALSE(missing->has_value());

  DockerClient nobody((dir.path() / "nobody.sock").string(), std::chrono::seconds(5));
  auto down = nobody.Inspect(kD2);
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().code(), Status::Code::kIOError);
  EXPECT_NE(down.status().message().find("nobody.sock"), std::string::npos);
}

TEST(DockerClientTest, CollectorLabelsContainersFromDocker) {
  FixtureCopy cgroups("cgroup_v2");
  FixtureCopy processes("containers");
  std::string socket = (processes.path() / "docker.sock").string();
  FakeDocker docker(socket, {{kD2, InspectJson(kD2, "web", "nginx:1.25", 4242)}});
  ManualClock clock;
  CollectHarness harness(std::make_unique<ContainerCollector>(
      ContainerPaths{cgroups.path().string(), (processes.path() / "proc").string(),
                     (processes.path() / "sys").string(), socket, ""},
      clock));
  auto s = harness.Collect();
  const std::string id = std::string("/system.slice/docker-") + kD2 + ".scope";
  auto web = [&](std::string_view metric,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> extra = {}) {
    model::LabelsBuilder b(Series(metric, extra));
    b.Set("id", id);
    b.Set("name", "web");
    b.Set("image", "nginx:1.25");
    return b.Build();
  };
  EXPECT_SAMPLE(s, web("container_cpu_usage_seconds_total", {{"cpu", "total"}}), 3);
  EXPECT_SAMPLE(s, web("container_start_time_seconds"), 1714979289.5);
  // The network namespace of Docker's main process (4242), not of the first one listed (5151).
  EXPECT_SAMPLE(s, web("container_network_receive_bytes_total", {{"interface", "eth0"}}), 3000);
  // Only Docker's container was asked about: containerd's under kubepods was not.
  EXPECT_EQ(docker.requests(), 1);
  harness.clock().Advance(std::chrono::seconds(15));
  harness.Collect();
  EXPECT_EQ(docker.requests(), 1);  // Asked once, remembered after.
}

TEST(DockerClientTest, DockerStartedLaterNamesItsContainers) {
  FixtureCopy cgroups("cgroup_v2");
  FixtureCopy processes("containers");
  std::string socket = (processes.path() / "docker.sock").string();
  ManualClock clock;
  CollectHarness harness(std::make_unique<ContainerCollector>(
      ContainerPaths{cgroups.path().string(), (processes.path() / "proc").string(),
                     (processes.path() / "sys").string(), socket, ""},
      clock));
  const std::string id = std::string("/system.slice/docker-") + kD2 + ".scope";
  auto usage = [&](std::string_view name, std::string_view image) {
    model::LabelsBuilder b(Series("container_cpu_usage_seconds_total", {{"cpu", "total"}}));
    b.Set("id", id);
    b.Set("name", name);
    b.Set("image", image);
    return b.Build();
  };
  auto s = harness.Collect();  // No socket yet: named from the path.
  EXPECT_SAMPLE(s, usage(kD2, ""), 3);

  FakeDocker docker(socket, {{kD2, InspectJson(kD2, "web", "nginx:1.25", 4242)}});
  harness.clock().Advance(std::chrono::seconds(15));
  s = harness.Collect();
  EXPECT_SAMPLE(s, usage("web", "nginx:1.25"), 3);
  ASSERT_EQ(s.count(usage(kD2, "")), 1u);
  EXPECT_TRUE(storage::IsStaleNaN(s.at(usage(kD2, ""))));  // The path-named series went stale.
}

}  // namespace
}  // namespace argus::collect
