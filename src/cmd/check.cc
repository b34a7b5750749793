#include "cmd/check.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "cmd/server_stages.h"
#include "config/config.h"
#include "discovery/file_discoverer.h"
#include "scrape/manager.h"
#include "scrape/target.h"

namespace argus::cmd {
namespace {

// As promtool: the targets in the file_sd files that exist get the labels the server would give
// them, so that a target it could not scrape fails here; a file that does not exist is a warning.
void CheckFileSdTargets(const config::Config& config, std::vector<std::string>* errors,
                        std::vector<std::string>* warnings) {
  for (const config::ScrapeConfig& job : config.scrape_configs) {
    for (const config::FileSdConfig& file_sd : job.file_sd_configs) {
      for (const std::string& pattern : file_sd.files) {
        std::vector<std::string> files = discovery::MatchingFiles(pattern);
        if (files.empty()) {
          warnings->push_back(
              fmt::format("file \"{}\" for file_sd in scrape job \"{}\" does not exist", pattern,
                          job.job_name));
        }
        for (const std::string& file : files) {
          std::ifstream in(file, std::ios::binary);
          auto groups =
              discovery::ParseTargetFile(file, std::string(std::istreambuf_iterator<char>(in), {}));
          if (!groups.ok()) {
            errors->push_back(groups.status().message());
            continue;
          }
          for (const discovery::TargetGroup& group : *groups) {
            for (size_t i = 0; i < group.targets.size(); ++i) {
              auto target =
                  scrape::PopulateLabels(discovery::DiscoveredLabels(group, group.targets[i]), job);
              if (!target.ok()) {
                errors->push_back(fmt::format("scrape job \"{}\": target {} of group {}: {}",
                                              job.job_name, i, group.source,
                                              target.status().message()));
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace

int CheckConfig(const std::string& path) {
  // As promtool: what is checked, warnings and the verdict indented beneath it on standard output,
  // failures on standard error, a blank line after each file.
  std::printf("Checking %s\n", path.c_str());
  std::fflush(stdout);
  auto config = config::LoadFile(path);
  std::vector<std::string> errors, warnings;
  if (!config.ok()) {
    errors.push_back(config.status().message());
  } else {
    warnings = config->warnings;
    // What the server checks beyond parsing before it starts with a file.
    if (Status usable = scrape::ScrapeManager::CheckConfig(*config); !usable.ok()) {
      errors.push_back(usable.message());
    }
    CheckFileSdTargets(*config, &errors, &warnings);
    // As promtool, the rule files too.
    if (auto rules = LoadRuleFiles(*config); !rules.ok()) {
      errors.push_back(rules.status().message());
    }
  }
  if (!errors.empty()) {
    std::vector<std::string> lines;
    for (const std::string& error : errors) {
      std::istringstream in(error);
      for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
    if (lines.size() == 1) {
      std::fprintf(stderr, "  FAILED: %s\n", lines[0].c_str());
    } else {
      std::fprintf(stderr, "  FAILED:\n");
      for (const std::string& line : lines) std::fprintf(stderr, "    %s\n", line.c_str());
    }
    std::printf("\n");
    return 1;
  }
  for (const std::string& warning : warnings) {
    std::printf("  WARNING: %s\n", warning.c_str());
  }
  std::printf(" SUCCESS: %s is valid prometheus config file syntax\n\n", path.c_str());
  return 0;
}

}  // namespace argus::cmd
