#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "config/config.h"

namespace argus::http {
class EventLoop;
}

namespace argus::scrape {

// What one scrape fetched: the (decompressed) body and its Content-Type.
struct Fetched {
  std::string body;
  std::string content_type;
};

// Gets a target's exposition document. The seam between a scrape loop and the network: the HTTP
// fetcher below in production, anything that produces a body in tests.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Calls `done` exactly once, on any thread, with the document or the reason there is none (a
  // non-2xx status is an error naming it).
  virtual void Fetch(const std::string& url, std::chrono::milliseconds timeout,
                     std::function<void(Result<Fetched>)> done) = 0;
};

// Fetches over HTTP(S) with the job's client settings (authentication, TLS, redirects,
// body_size_limit) and the request headers Prometheus sends. Credential files are read at every
// scrape, so that rotated tokens are picked up.
std::unique_ptr<Fetcher> NewHttpFetcher(http::EventLoop& loop, const config::ScrapeConfig& config);

}  // namespace argus::scrape
