#pragma once

#include <absl/container/flat_hash_map.h>

#include <string>
#include <string_view>

namespace argus::collect {

// Kubernetes' names of a pod or a container.
struct KubeNames {
  std::string pod;
  std::string pod_namespace;
  std::string container;  // Empty for a pod.
};

// What the kubelet's log directories tell about the pods and containers of a node, whatever
// runtime runs them: it keeps /var/log/pods/<namespace>_<pod>_<uid>/ for every pod and the link
// /var/log/containers/<pod>_<namespace>_<container>-<id>.log for every container. Names of pods,
// namespaces and containers cannot hold '_', so the names split without ambiguity. This is how
// containers of containerd (whose API is gRPC only) and CRI-O get their Kubernetes labels.
// Not thread-safe.
class PodLogIndex {
 public:
  // `root` holds pods/ and containers/ (/var/log on a node).
  explicit PodLogIndex(std::string root) : root_(std::move(root)) {}

  // Reads both directories again; entries that do not parse are skipped.
  void Refresh();

  // The names of the container with this 64-hex ID, or of the pod with this UID; null when the
  // last Refresh did not find them.
  const KubeNames* Container(std::string_view id) const;
  const KubeNames* Pod(std::string_view uid) const;

 private:
  const std::string root_;
  absl::flat_hash_map<std::string, KubeNames> containers_;  // By container ID.
  absl::flat_hash_map<std::string, KubeNames> pods_;        // By pod UID.
};

}  // namespace argus::collect
