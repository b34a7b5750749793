#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/node_hash_map.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "collect/cgroup.h"
#include "collect/collector.h"
#include "collect/container_identity.h"
#include "collect/docker_client.h"
#include "collect/kept_file.h"
#include "collect/pod_logs.h"
#include "collect/text_file.h"

namespace argus::collect {

// Where the container collector reads, as cAdvisor's flags and a DaemonSet's host mounts name
// them.
struct ContainerPaths {
  std::string cgroup = "/sys/fs/cgroup";
  std::string proc = "/proc";  // For /proc/<pid>/net/dev, each container's network namespace.
  std::string sys = "/sys";    // For the names of block devices.
  std::string docker_socket = "/var/run/docker.sock";  // Empty: never ask Docker.
  std::string pod_logs = "/var/log";  // The kubelet's pods/ and containers/; empty: not read.
};

// Every cgroup's metrics with cAdvisor's names, help texts and labels: `id` (the cgroup path),
// `name` (the container's name from Docker, else its ID or systemd unit from the path), `image`,
// and for Kubernetes `container`, `pod` and `namespace` (from Docker's io.kubernetes.* labels,
// else from the kubelet's log directories) plus `pod_uid` and `qos_class` from the kubepods
// path. cgroup v1 or v2 is detected on the first
// collection (and again while none is found). Docker is asked about each container once, when it
// first appears; without its socket the labels come from the path alone. A cgroup that goes away
// takes its series with it (they go stale). Each cgroup's files, and its network namespace's
// /proc/<pid>/net/dev, stay open from one collection to the next (as far as half the limit on open
// files allows), and its directories are watched with inotify, so that a collection is about one
// pread per file; a cgroup that is removed is noticed by the walk or by its files answering
// ENODEV, and its files are closed in that same collection. `clock` (for container_last_seen) must
// outlive the collector. Used by one thread at a time.
class ContainerCollector final : public Collector {
 public:
  ContainerCollector(ContainerPaths paths, const Clock& clock);
  Status Collect(SampleWriter& out) override;

 private:
  // How many collections look for a pod's or container's names in the kubelet's logs before
  // giving up (its log directory is made as it starts, perhaps after its cgroup).
  static constexpr int kKubeLookups = 8;
  struct Container {
    CgroupIdentity identity;
    DockerContainer docker;       // What Docker said; empty when it does not know it.
    bool docker_pending = false;  // Docker should be asked and has not answered yet.
    int kube_lookups_left = 0;
    KubeNames kube_from_logs;  // Where Docker does not name its pod.
    std::vector<std::pair<std::string, std::string>> labels;
    bool own_network = false;  // A runtime's container, or the root: it has interfaces to show.
    // From Docker, else the cgroup directory's time when first seen (it moves as children come
    // and go).
    std::optional<double> created_seconds;
    int64_t pid = 0;          // From Docker.
    uint64_t generation = 0;  // The last collection that found it.
    CgroupFiles files;
    KeptFd net_dev;  // /proc/<net_dev_pid>/net/dev.
    int64_t net_dev_pid = 0;
  };
  // What the path tells, on first sight.
  void Identify(std::string_view path, Container* c);
  // Asks Docker and the kubelet's logs what is still pending, and sets the labels.
  void Resolve(std::string_view path, Container* c);
  // Reads the cgroup's statistics into stats_; false when it is gone.
  bool ReadStats(std::string_view path, Container& c);
  void Emit(SampleWriter& out, std::string_view path, Container& c);
  void EmitNetwork(SampleWriter& out, std::string_view path, Container& c);
  // Out of descriptors: closes every file kept open, so that what follows has them.
  void CloseKeptFiles();
  const std::string& DeviceName(uint32_t major, uint32_t minor);

  const ContainerPaths paths_;
  const Clock& clock_;
  FdBudget budget_;  // Before what keeps descriptors, which is destroyed first.
  std::unique_ptr<CgroupFs> cgroups_;
  std::optional<DockerClient> docker_;
  bool docker_reachable_ = false;  // For the collection that is running.
  std::optional<PodLogIndex> pod_logs_;
  bool pod_logs_fresh_ = false;  // Read in the collection that is running.
  // Nodes, so that a walk may hold a container's CgroupFiles while it finds others.
  absl::node_hash_map<std::string, Container> containers_;
  absl::flat_hash_map<uint64_t, std::string> device_names_;
  uint64_t generation_ = 0;
  CgroupStats stats_;
  std::vector<LabelPair> scope_;
  TextFile file_;
  std::string path_;
};

}  // namespace argus::collect
