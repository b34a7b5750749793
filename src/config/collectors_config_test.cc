// The collectors: section of the configuration.

#include <gtest/gtest.h>

#include "config/config.h"

namespace argus::config {
namespace {

using std::chrono::seconds;

TEST(CollectorsConfigTest, OffWithoutTheSectionOnInTheEmbeddedDefault) {
  auto plain = Parse("global: {scrape_interval: 30s}\n", "prometheus.yml");
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_FALSE(plain->collectors.host.enabled);
  EXPECT_FALSE(plain->collectors.containers.enabled);
  EXPECT_FALSE(plain->collectors.self.enabled);
  EXPECT_EQ(plain->collectors.host.scrape_interval, seconds(30));
  EXPECT_EQ(plain->collectors.self.scrape_interval, seconds(30));

  auto embedded = Parse(EmbeddedDefault(), "<embedded>");
  ASSERT_TRUE(embedded.ok()) << embedded.status().message();
  const CollectorsConfig& c = embedded->collectors;
  EXPECT_TRUE(c.host.enabled);
  EXPECT_TRUE(c.containers.enabled);
  EXPECT_TRUE(c.self.enabled);
  EXPECT_EQ(c.host.job_name, "node");
  EXPECT_EQ(c.containers.job_name, "cadvisor");
  EXPECT_EQ(c.self.job_name, "argus");
  EXPECT_EQ(c.self.instance, "");
  EXPECT_EQ(c.host.scrape_interval, embedded->global.scrape_interval);
  EXPECT_EQ(c.host.proc_path, "/proc");
  EXPECT_EQ(c.host.sys_path, "/sys");
  EXPECT_EQ(c.host.rootfs_path, "/");
  EXPECT_EQ(c.containers.cgroup_path, "/sys/fs/cgroup");
  EXPECT_EQ(c.containers.docker_socket, "/var/run/docker.sock");
  EXPECT_EQ(c.containers.pod_logs_path, "/var/log");
}

TEST(CollectorsConfigTest, EveryField) {
  auto c = Parse(R"(
collectors:
  host:
    enabled: true
    job_name: host
    scrape_interval: 5s
    instance: node-1
    proc_path: /host/proc
    sys_path: /host/sys
    rootfs_path: /host/root
  containers:
    enabled: true
    job_name: kubelet-cadvisor
    scrape_interval: 10s
    instance: node-1
    cgroup_path: /host/sys/fs/cgroup
    proc_path: /host/proc
    sys_path: /host/sys
    docker_socket: ''
    pod_logs_path: /host/var/log
  self:
    enabled: true
    job_name: prometheus
    scrape_interval: 20s
    instance: argus-1
)",
                 "test.yml");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const HostCollectorConfig& h = c->collectors.host;
  EXPECT_EQ(h.job_name, "host");
  EXPECT_EQ(h.scrape_interval, seconds(5));
  EXPECT_EQ(h.instance, "node-1");
  EXPECT_EQ(h.proc_path, "/host/proc");
  EXPECT_EQ(h.sys_path, "/host/sys");
  EXPECT_EQ(h.rootfs_path, "/host/root");
  const ContainerCollectorConfig& k = c->collectors.containers;
  EXPECT_EQ(k.job_name, "kubelet-cadvisor");
  EXPECT_EQ(k.scrape_interval, seconds(10));
  EXPECT_EQ(k.cgroup_path, "/host/sys/fs/cgroup");
  EXPECT_EQ(k.proc_path, "/host/proc");
  EXPECT_EQ(k.sys_path, "/host/sys");
  EXPECT_EQ(k.docker_socket, "");
  EXPECT_EQ(k.pod_logs_path, "/host/var/log");
  const SelfCollectorConfig& s = c->collectors.self;
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.job_name, "prometheus");
  EXPECT_EQ(s.scrape_interval, seconds(20));
  EXPECT_EQ(s.instance, "argus-1");
}

TEST(CollectorsConfigTest, ErrorsSayWhere) {
  auto unknown = Parse("collectors:\n  host:\n    procfs: /proc\n", "test.yml");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "test.yml:3:5: collectors.host.procfs: unknown field \"procfs\"");

  auto interval = Parse("collectors:\n  containers: {scrape_interval: 5x}\n", "test.yml");
  ASSERT_FALSE(interval.ok());
  EXPECT_NE(interval.status().message().find("test.yml:2:33: collectors.containers."
                                             "scrape_interval"),
            std::string::npos)
      << interval.status().message();

  auto taken = Parse(R"(
scrape_configs:
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:9100']}]
collectors:
  host: {enabled: true}
)",
                     "test.yml");
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.status().message(),
            "test.yml:6:9: collectors.host.job_name: job name \"node\" is already taken by a "
            "scrape config or another collector");

  // A configuration that still scrapes Argus as job "argus" cannot also collect it so.
  auto self = Parse(R"(
scrape_configs:
  - job_name: argus
    static_configs: [{targets: ['127.0.0.1:9090']}]
collectors:
  self: {enabled: true}
)",
                    "test.yml");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.status().message(),
            "test.yml:6:9: collectors.self.job_name: job name \"argus\" is already taken by a "
            "scrape config or another collector");
  auto unknown_self = Parse("collectors:\n  self: {proc_path: /proc}\n", "test.yml");
  ASSERT_FALSE(unknown_self.ok());
  EXPECT_EQ(unknown_self.status().message(),
            "test.yml:2:10: collectors.self.proc_path: unknown field \"proc_path\"");

  auto empty = Parse("collectors:\n  containers: {job_name: ''}\n", "test.yml");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("collectors.containers: job_name is empty"),
            std::string::npos)
      << empty.status().message();

  auto flag = Parse("collectors:\n  host: {enabled: yes please}\n", "test.yml");
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.status().message().find("collectors.host.enabled: expected true or false"),
            std::string::npos)
      << flag.status().message();
}

}  // namespace
}  // namespace argus::config
