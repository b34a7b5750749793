#include "cmd/test_rules.h"

#include <cstdio>

#include "base/log.h"

namespace argus::cmd {

int TestRules(const std::vector<std::string>& paths, const rules::UnitTestOptions& options) {
  // A rule that fails is one of the failures reported; the rules' own warnings would repeat it.
  log::Init(log::Level::kError, log::Format::kLogfmt);
  bool failed = false;
  for (const std::string& path : paths) {
    std::printf("Unit Testing:  %s\n", path.c_str());
    std::fflush(stdout);
    rules::UnitTestFileResult result = rules::RunUnitTestFile(path, options);
    for (const std::string& warning : result.warnings) {
      std::fprintf(stderr, "  WARNING: %s\n", warning.c_str());
    }
    if (result.errors.empty()) {
      std::printf("  SUCCESS\n");
    } else {
      failed = true;
      std::fprintf(stderr, "  FAILED:\n");
      for (const std::string& error : result.errors) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::fflush(stderr);
        std::printf("\n");
        std::fflush(stdout);
      }
    }
    std::printf("\n");
    std::fflush(stdout);
    std::fflush(stderr);
  }
  return failed ? 1 : 0;
}

}  // namespace argus::cmd
