#include "collect/container_identity.h"

#include <algorithm>
#include <vector>

namespace argus::collect {
namespace {

bool IsContainerId(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// "<prefix><id>.scope" as systemd's cgroup driver names a container's scope.
bool ScopeId(std::string_view leaf, std::string_view prefix, std::string* id) {
  if (!leaf.starts_with(prefix) || !leaf.ends_with(".scope")) return false;
  std::string_view candidate = leaf.substr(prefix.size(), leaf.size() - prefix.size() - 6);
  if (!IsContainerId(candidate)) return false;
  *id = std::string(candidate);
  return true;
}

std::vector<std::string_view> Components(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.push_back(part);
    path.remove_prefix(slash == std::string_view::npos ? path.size() : slash + 1);
  }
  return out;
}

// Finds the pod and QoS class in one component: "pod<uid>", "burstable", "besteffort" with the
// cgroupfs driver; "kubepods-burstable-pod<uid_with_underscores>.slice" and the like with systemd.
void KubepodsComponent(std::string_view part, CgroupIdentity* id) {
  if (part == "burstable" || part == "besteffort") {
    id->qos_class = std::string(part);
    return;
  }
  if (part.starts_with("pod")) {
    id->pod_uid = std::string(part.substr(3));
    return;
  }
  if (!part.starts_with("kubepods-") || !part.ends_with(".slice")) return;
  part = part.substr(9, part.size() - 9 - 6);
  for (std::string_view qos : {"burstable", "besteffort"}) {
    if (part.starts_with(qos)) {
      id->qos_class = std::string(qos);
      part.remove_prefix(qos.size());
      if (part.starts_with('-')) part.remove_prefix(1);
    }
  }
  if (part.starts_with("pod")) {
    id->pod_uid = std::string(part.substr(3));
    std::replace(id->pod_uid.begin(), id->pod_uid.end(), '_', '-');
  }
}

}  // namespace

CgroupIdentity IdentifyCgroup(std::string_view path) {
  CgroupIdentity id;
  std::vector<std::string_view> parts = Components(path);
  if (parts.empty()) return id;
  bool kubepods = false;
  for (std::string_view part : parts) {
    if (part == "kubepods" || part.starts_with("kubepods.") || part.starts_with("kubepods-")) {
      kubepods = true;
    }
    if (kubepods) KubepodsComponent(part, &id);
  }
  if (!id.pod_uid.empty() && id.qos_class.empty()) id.qos_class = "guaranteed";

  std::string_view leaf = parts.back();
  if (ScopeId(leaf, "docker-", &id.container_id)) {
    id.runtime = Runtime::kDocker;
  } else if (ScopeId(leaf, "cri-containerd-", &id.container_id)) {
    id.runtime = Runtime::kContainerd;
  } else if (ScopeId(leaf, "crio-", &id.container_id)) {
    id.runtime = Runtime::kCrio;
  } else if (ScopeId(leaf, "libpod-", &id.container_id)) {
    id.runtime = Runtime::kPodman;
  } else if (IsContainerId(leaf)) {
    id.container_id = std::string(leaf);
    std::string_view parent = parts.size() > 1 ? parts[parts.size() - 2] : "";
    if (parent == "docker") {
      id.runtime = Runtime::kDocker;
    } else if (parent == "libpod_parent" || parent.starts_with("libpod-")) {
      id.runtime = Runtime::kPodman;
    } else {
      id.runtime = Runtime::kUnknown;
    }
  } else if (!kubepods &&
             (leaf.ends_with(".service") || leaf.ends_with(".slice") || leaf.ends_with(".scope"))) {
    id.systemd_unit = std::string(leaf);
  }
  return id;
}

}  // namespace argus::collect
