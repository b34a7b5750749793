#include "base/build_info.h"

#include <fmt/format.h>

namespace argus {

std::string VersionText(std::string_view program, const BuildInfo& build) {
  return fmt::format(
      "{}, version {} (branch: {}, revision: {})\n"
      "  build user:       {}\n"
      "  build date:       {}\n"
      "  compiler:         {}\n"
      "  platform:         {}",
      program, build.version, build.branch, build.revision, build.build_user, build.build_date,
      build.toolchain, build.platform);
}

}  // namespace argus
