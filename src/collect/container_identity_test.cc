#include "collect/container_identity.h"

#include <gtest/gtest.h>

namespace argus::collect {
namespace {

constexpr char kId[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

struct Case {
  std::string path;
  Runtime runtime;
  std::string container_id;
  std::string pod_uid;
  std::string qos_class;
  std::string systemd_unit;
};

TEST(ContainerIdentityTest, RecognisesLayouts) {
  const std::string id = kId;
  const Case cases[] = {
      {"/", Runtime::kNone, "", "", "", ""},
      {"/docker/" + id, Runtime::kDocker, id, "", "", ""},
      {"/system.slice/docker-" + id + ".scope", Runtime::kDocker, id, "", "", ""},
      {"/machine.slice/libpod-" + id + ".scope", Runtime::kPodman, id, "", "", ""},
      // Podman's monitor of a container: a scope of its own, no container.
      {"/machine.slice/libpod-conmon-" + id + ".scope", Runtime::kNone, "", "", "",
       "libpod-conmon-" + id + ".scope"},
      {"/system.slice/ssh.service", Runtime::kNone, "", "", "", "ssh.service"},
      {"/user.slice", Runtime::kNone, "", "", "", "user.slice"},
      {"/process_api/10d76d99", Runtime::kNone, "", "", "", ""},
      // Kubernetes with the cgroupfs driver: the runtime is not in the path.
      {"/kubepods/burstable/pod6e1f7a5c-2b9d-4c3e-8f10-a2b3c4d5e6f7/" + id, Runtime::kUnknown, id,
       "6e1f7a5c-2b9d-4c3e-8f10-a2b3c4d5e6f7", "burstable", ""},
      {"/kubepods/besteffort/pod11111111-2222-3333-4444-555555555555", Runtime::kNone, "",
       "11111111-2222-3333-4444-555555555555", "besteffort", ""},
      {"/kubepods/podaaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Runtime::kNone, "",
       "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "guaranteed", ""},
      {"/kubepods", Runtime::kNone, "", "", "", ""},
      // With the systemd driver: underscores in the slice name, the runtime in the scope's.
      {"/kubepods.slice/kubepods-burstable.slice/"
       "kubepods-burstable-pod6e1f7a5c_2b9d_4c3e_8f10_a2b3c4d5e6f7.slice/cri-containerd-" +
           id + ".scope",
       Runtime::kContainerd, id, "6e1f7a5c-2b9d-4c3e-8f10-a2b3c4d5e6f7", "burstable", ""},
      {"/kubepods.slice/kubepods-besteffort.slice/"
       "kubepods-besteffort-pod11111111_2222_3333_4444_555555555555.slice/crio-" +
           id + ".scope",
       Runtime::kCrio, id, "11111111-2222-3333-4444-555555555555", "besteffort", ""},
      {"/kubepods.slice/kubepods-podaaaaaaaa_bbbb_cccc_dddd_eeeeeeeeeeee.slice", Runtime::kNone, "",
       "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "guaranteed", ""},
      {"/kubepods.slice/kubepods-burstable.slice", Runtime::kNone, "", "", "burstable", ""},
      // Not quite an ID: too short, upper case.
      {"/docker/0123456789abcdef", Runtime::kNone, "", "", "", ""},
      {"/docker/0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", Runtime::kNone,
       "", "", "", ""},
  };
  for (const Case& c : cases) {
    CgroupIdentity got = IdentifyCgroup(c.path);
    EXPECT_EQ(got.runtime, c.runtime) << c.path;
    EXPECT_EQ(got.container_id, c.container_id) << c.path;
    EXPECT_EQ(got.pod_uid, c.pod_uid) << c.path;
    EXPECT_EQ(got.qos_class, c.qos_class) << c.path;
    EXPECT_EQ(got.systemd_unit, c.systemd_unit) << c.path;
  }
}

}  // namespace
}  // namespace argus::collect
