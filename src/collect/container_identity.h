#pragma once

#include <string>
#include <string_view>

namespace argus::collect {

// Who runs the processes of a cgroup, as far as its path tells.
enum class Runtime {
  kNone,        // Not a container: the root, a systemd unit, a slice, a plain cgroup.
  kUnknown,     // A container under kubepods whose runtime the path does not name (cgroupfs).
  kDocker,      // /docker/<id>, docker-<id>.scope
  kContainerd,  // cri-containerd-<id>.scope
  kCrio,        // crio-<id>.scope
  kPodman,      // libpod-<id>.scope
};

// What a cgroup path says about what runs in it, for the labels of its series when no runtime
// API says more: the container ID, the Kubernetes pod UID and QoS class, the systemd unit.
struct CgroupIdentity {
  Runtime runtime = Runtime::kNone;
  std::string container_id;  // 64 hex digits; empty when not a container.
  std::string pod_uid;       // With dashes, as the API shows it; empty outside kubepods.
  std::string qos_class;     // "guaranteed", "burstable" or "besteffort"; with pod_uid.
  std::string systemd_unit;  // "ssh.service", "user.slice", ...; not kubepods' own slices.
};

// Recognises the layouts of Docker (cgroupfs and systemd drivers), containerd and CRI-O under
// Kubernetes' kubepods (both drivers, every QoS class), Podman, and systemd units and slices.
// `path` is a cgroup's path below the hierarchy's root ("/" for the root). Never fails: a path
// it does not recognise is no container.
CgroupIdentity IdentifyCgroup(std::string_view path);

}  // namespace argus::collect
