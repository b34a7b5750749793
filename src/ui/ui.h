#pragma once

#include <span>

#include "base/embedded_file.h"
#include "http/server.h"

// The web UI as the server hands it out: the files that web/ builds (an index.html and content-
// hashed bundles under assets/), compiled into the binary, served under / beside the HTTP API.
namespace argus::ui {

// The built UI, as esbuild wrote it: "index.html", "assets/main-3F2A1B.js", ...
std::span<const EmbeddedFile> EmbeddedUi();

// Serves `files` (which must outlive the router) for the GET and HEAD requests whose paths no
// other route takes:
//   - a file's path ("/index.html", "/assets/main-3F2A1B.js") answers with the file, its
//     Content-Type, an ETag (a hash of its content; If-None-Match with it gets 304) and a
//     Cache-Control that lets browsers keep files under assets/ forever (their names change
//     with their content) and makes them ask again for every other one;
//   - any other path answers with index.html, so that the UI's own paths (/explore?expr=up)
//     load the UI, which then reads the path — except /assets, /api, /-, /metrics, /federate
//     and the paths under them, which keep their 404.
// Other methods get 405. The server compresses what the client accepts gzip for.
void AddRoutes(std::span<const EmbeddedFile> files, http::Router* router);

}  // namespace argus::ui
