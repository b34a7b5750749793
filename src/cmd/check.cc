#include "cmd/check.h"

#include <cstdio>

#include "config/config.h"

namespace argus::cmd {

int CheckConfig(const std::string& path) {
  auto config = config::LoadFile(path);
  if (!config.ok()) {
    std::fprintf(stderr, "FAILED: %s\n", config.status().message().c_str());
    return 1;
  }
  std::printf("SUCCESS: %s is valid\n", path.c_str());
  return 0;
}

}  // namespace argus::cmd
