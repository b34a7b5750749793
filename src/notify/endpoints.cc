#include "notify/endpoints.h"

#include <optional>
#include <string>
#include <vector>

#include "config/http_client_auth.h"

namespace argus::notify {
namespace {

// The element `index` of `list`, or nullptr.
template <typename T>
const T* At(const std::vector<T>& list, int index) {
  if (index < 0 || static_cast<size_t>(index) >= list.size()) return nullptr;
  return &list[index];
}

Result<Endpoint> MakeEndpoint(const config::Secret& url, const std::string& url_file,
                              const config::HttpClientConfig& http) {
  Endpoint endpoint;
  if (!url.empty()) {
    endpoint.url = url.value;
  } else {
    ARGUS_ASSIGN_OR_RETURN(endpoint.url, config::ReadSecretFile(url_file));
  }
  ARGUS_ASSIGN_OR_RETURN(std::optional<std::string> authorization,
                         config::AuthorizationHeader(http));
  if (authorization) endpoint.headers["Authorization"] = std::move(*authorization);
  const config::TlsConfig& tls = http.tls_config;
  endpoint.tls = {tls.ca_file, tls.cert_file, tls.key_file, tls.server_name,
                  tls.insecure_skip_verify};
  endpoint.follow_redirects = http.follow_redirects;
  return endpoint;
}

}  // namespace

Result<Endpoint> ResolveEndpoint(const config::NotifyConfig& config, std::string_view receiver,
                                 std::string_view integration, int index) {
  for (const config::Receiver& r : config.receivers) {
    if (r.name != receiver) continue;
    if (integration == "slack") {
      if (const config::SlackConfig* slack = At(r.slack_configs, index)) {
        return MakeEndpoint(slack->api_url, slack->api_url_file, slack->http_config);
      }
    } else if (integration == "webhook") {
      if (const config::WebhookConfig* webhook = At(r.webhook_configs, index)) {
        return MakeEndpoint(webhook->url, webhook->url_file, webhook->http_config);
      }
    }
    break;
  }
  return Status::Errorf(Status::Code::kNotFound, "receiver {} has no {} integration {}", receiver,
                        integration, index);
}

}  // namespace argus::notify
