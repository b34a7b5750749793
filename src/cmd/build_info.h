#pragma once

#include "base/build_info.h"

namespace argus::cmd {

// This binary's build: defined in build_info.cc, which the build writes from build_info.cc.in
// on every build and compiles into the argus executable alone, so that a new commit relinks
// nothing else.
BuildInfo ThisBuild();

}  // namespace argus::cmd
