#include "ui/ui.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <array>
#include <map>
#include <memory>
#include <string>

namespace argus::ui {
namespace {

constexpr std::string_view kIndexPath = "/index.html";
constexpr std::string_view kAssetsFolder = "assets/";
// Paths that, with what is under them, are not the UI's: a mistyped API call should get a 404,
// not a page of HTML.
constexpr std::array<std::string_view, 5> kNotUiPaths = {"/assets", "/api", "/-", "/metrics",
                                                         "/federate"};

std::string_view ContentType(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".txt", "text/plain; charset=utf-8"},
      {".ico", "image/x-icon"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (name.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

struct ServedFile {
  std::string_view content;
  std::string_view content_type;
  std::string etag;
  bool immutable;  // Its name changes with its content.
};

using Files = std::map<std::string, ServedFile, std::less<>>;

Files Index(std::span<const EmbeddedFile> files) {
  Files index;
  for (const EmbeddedFile& f : files) {
    index["/" + std::string(f.name)] = {
        .content = f.content,
        .content_type = ContentType(f.name),
        .etag = fmt::format("\"{:016x}\"", XXH3_64bits(f.content.data(), f.content.size())),
        .immutable = f.name.starts_with(kAssetsFolder),
    };
  }
  return index;
}

bool IsUiPath(std::string_view path) {
  for (std::string_view other : kNotUiPaths) {
    if (path.starts_with(other) && (path.size() == other.size() || path[other.size()] == '/')) {
      return false;
    }
  }
  return true;
}

void Serve(const ServedFile& file, const http::Request& req, http::Response* r) {
  r->headers["ETag"] = file.etag;
  r->headers["Cache-Control"] = file.immutable ? "public, max-age=31536000, immutable" : "no-cache";
  r->headers["Vary"] = "Accept-Encoding";
  r->content_type = std::string(file.content_type);
  auto if_none_match = req.headers.find("if-none-match");
  if (if_none_match != req.headers.end() && if_none_match->second == file.etag) {
    r->status = 304;
    return;
  }
  r->body = std::string(file.content);
}

}  // namespace

void AddRoutes(std::span<const EmbeddedFile> files, http::Router* router) {
  auto index = std::make_shared<const Files>(Index(files));
  router->HandleNotFound("/", [index](const http::Request& req, http::Response* r) {
    auto file = index->find(req.path);
    if (file == index->end() && IsUiPath(req.path)) file = index->find(kIndexPath);
    if (file == index->end()) {
      r->status = 404;
      r->body = "Not Found\n";
    } else if (req.method != "GET" && req.method != "HEAD") {
      r->status = 405;
      r->body = "Method Not Allowed\n";
    } else {
      Serve(file->second, req, r);
    }
  });
}

}  // namespace argus::ui
