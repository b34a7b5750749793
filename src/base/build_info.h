#pragma once

#include <string>
#include <string_view>

namespace argus {

// What the binary says about itself in `argus --version`, /api/v1/status/buildinfo and the
// argus_build_info metric: the fields Prometheus reports about its own build. The build fills
// them in from git (see src/cmd/build_info.cmake); "unknown" where it could not tell.
struct BuildInfo {
  std::string version;     // The project's version, e.g. 0.1.0.
  std::string revision;    // The git commit the binary was built from.
  std::string branch;      // The git branch it was on.
  std::string build_user;  // user@host of the build.
  std::string
      build_date;  // The commit's date in UTC, as Prometheus writes dates: 20261207-21:04:05.
  std::string toolchain;  // The compiler and its version, where Prometheus names its Go version.
  std::string platform;   // os/architecture, e.g. linux/amd64.
};

// The text `argus --version` prints (without a final newline), laid out as `prometheus --version`
// lays out its own:
//   argus, version 0.1.0 (branch: main, revision: 1a2b3c…)
//     build user:       …
std::string VersionText(std::string_view program, const BuildInfo& build);

}  // namespace argus
