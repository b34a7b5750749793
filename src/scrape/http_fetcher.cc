#include <fstream>
#include <iterator>

#include "http/client.h"
#include "scrape/fetcher.h"

namespace argus::scrape {
namespace {

constexpr const char* kAcceptHeader =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s : {18, 12, 6, 0}) out += kAlphabet[(n >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// The first line of a credentials file, without its line ending, as Prometheus reads them.
Result<std::string> ReadSecret(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Errorf(Status::Code::kIOError, "cannot read credentials file {}", path);
  std::string text(std::istreambuf_iterator<char>(in), {});
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

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
    if (config_.basic_auth) {
      std::string password = config_.basic_auth->password;
      if (!config_.basic_auth->password_file.empty()) {
        auto secret = ReadSecret(config_.basic_auth->password_file);
        if (!secret.ok()) return secret.status();
        password = *secret;
      }
      req->headers["Authorization"] =
          "Basic " + Base64(config_.basic_auth->username + ":" + password);
    } else if (config_.authorization) {
      std::string credentials = config_.authorization->credentials;
      if (!config_.authorization->credentials_file.empty()) {
        auto secret = ReadSecret(config_.authorization->credentials_file);
        if (!secret.ok()) return secret.status();
        credentials = *secret;
      }
      req->headers["Authorization"] = config_.authorization->type + " " + credentials;
    }
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
