#include <optional>
#include <string>

#include "config/http_client_auth.h"
#include "http/client.h"
#include "scrape/fetcher.h"

namespace argus::scrape {
namespace {

constexpr const char* kAcceptHeader =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

class HttpFetcher final : public Fetcher {
 public:
  HttpFetcher(http::EventLoop& loop, const config::ScrapeConfig& config)
      : client_(loop), config_(config.http_client), body_size_limit_(config.body_size_limit) {}

  void Fetch(const std::string& url, std::chrono::milliseconds timeout,
             std::function<void(Result<Fetched>)> done) override {
    http::ClientRequest req;
    req.url = url;
    req.timeout = timeout;
    req.body_size_limit = body_size_limit_;
    req.follow_redirects = config_.follow_redirects;
    req.headers["Accept"] = kAcceptHeader;
    req.headers["Accept-Encoding"] = "gzip";
    req.headers["User-Agent"] = "Argus/" ARGUS_VERSION;
    req.headers["X-Prometheus-Scrape-Timeout-Seconds"] =
        fmt::format("{}", std::chrono::duration<double>(timeout).count());
    Status auth = Authorize(&req);
    if (!auth.ok()) return done(auth);
    const config::TlsConfig& tls = config_.tls_config;
    req.tls = {tls.ca_file, tls.cert_file, tls.key_file, tls.server_name, tls.insecure_skip_verify};
    client_.Send(std::move(req), [done = std::move(done)](Result<http::ClientResponse> r) {
      if (!r.ok()) return done(r.status());
      if (r->status / 100 != 2) {
        return done(
            Status::Errorf(Status::Code::kIOError, "server returned HTTP status {}", r->status));
      }
      done(Fetched{std::move(r->body), std::move(r->content_type)});
    });
  }

 private:
  Status Authorize(http::ClientRequest* req) const {
    ARGUS_ASSIGN_OR_RETURN(std::optional<std::string> header, config::AuthorizationHeader(config_));
    if (header) req->headers["Authorization"] = std::move(*header);
    return Status::Ok();
  }

  http::Client client_;
  config::HttpClientConfig config_;
  uint64_t body_size_limit_;
};

}  // namespace

std::unique_ptr<Fetcher> NewHttpFetcher(http::EventLoop& loop, const config::ScrapeConfig& config) {
  return std::make_unique<HttpFetcher>(loop, config);
}

}  // namespace argus::scrape
