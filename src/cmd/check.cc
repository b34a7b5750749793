#include "cmd/check.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "config/config.h"
#include "scrape/manager.h"
#include "textparse/parser.h"

namespace argus::cmd {

int CheckConfig(const std::string& path) {
  // As promtool: what is checked, warnings and the verdict indented beneath it on standard output,
  // failures on standard error, a blank line after each file.
  std::printf("Checking %s\n", path.c_str());
  std::fflush(stdout);
  auto config = config::LoadFile(path);
  // What the server checks beyond parsing before it starts with a file.
  Status usable = config.ok() ? scrape::ScrapeManager::CheckConfig(*config) : config.status();
  if (!usable.ok()) {
    const std::string& errors = usable.message();
    if (errors.find('\n') == std::string::npos) {
      std::fprintf(stderr, "  FAILED: %s\n", errors.c_str());
    } else {
      std::fprintf(stderr, "  FAILED:\n");
      std::istringstream lines(errors);
      for (std::string line; std::getline(lines, line);) {
        std::fprintf(stderr, "    %s\n", line.c_str());
      }
    }
    std::printf("\n");
    return 1;
  }
  for (const std::string& warning : config->warnings) {
    std::printf("  WARNING: %s\n", warning.c_str());
  }
  std::printf(" SUCCESS: %s is valid prometheus config file syntax\n\n", path.c_str());
  return 0;
}

int CheckMetrics(const std::string& format, const std::string& path) {
  std::string document;
  if (path.empty()) {
    document.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open file\n", path.c_str());
      return 2;
    }
    document.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto parsed_format = format == "openmetrics" ? textparse::Format::kOpenMetrics
                                               : textparse::Format::kPrometheusText;
  Status status = textparse::Validate(parsed_format, document);
  if (!status.ok()) {
    std::fprintf(stderr, "%s%s\n", path.empty() ? "" : (path + ":").c_str(),
                 status.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace argus::cmd
