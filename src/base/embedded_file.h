#pragma once

#include <string_view>

namespace argus {

// A file compiled into the binary (see cmake/embed_files.cmake): its name and its bytes, both
// static, so that views of them live as long as the process.
struct EmbeddedFile {
  std::string_view name;  // Relative, with '/' between folders: "rules/host.yml".
  std::string_view content;
};

}  // namespace argus
