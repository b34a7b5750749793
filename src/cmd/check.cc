#include "cmd/check.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "config/config.h"
#include "textparse/parser.h"

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
