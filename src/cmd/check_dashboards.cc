#include <cstdio>
#include <string>
#include <vector>

#include "cmd/check.h"
#include "dashboards/catalog.h"

namespace argus::cmd {

int CheckDashboards(const std::vector<std::string>& paths) {
  dashboards::Catalog catalog;
  bool failed = false;
  for (const std::string& path : paths) {
    std::printf("Checking %s\n", path.c_str());
    std::fflush(stdout);
    size_t errors_before = catalog.errors().size();
    size_t dashboards_before = catalog.dashboards().size();
    catalog.AddFile(path);
    if (catalog.errors().size() > errors_before) {
      failed = true;
      std::fprintf(stderr, "  FAILED:\n");
      for (size_t i = errors_before; i < catalog.errors().size(); ++i) {
        std::fprintf(stderr, "%s\n", catalog.errors()[i].ToString().c_str());
      }
      std::fflush(stderr);
    } else if (catalog.dashboards().size() > dashboards_before) {
      const dashboards::Dashboard& d = catalog.dashboards().back().dashboard;
      size_t panels = 0;
      for (const dashboards::Row& row : d.rows) panels += row.panels.size();
      std::printf("  SUCCESS: dashboard \"%s\" (uid %s), %zu panels\n", d.title.c_str(),
                  d.uid.c_str(), panels);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  return failed ? 1 : 0;
}

}  // namespace argus::cmd
