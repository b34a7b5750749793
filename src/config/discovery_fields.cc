#include "config/accepted_fields.h"

namespace argus::config {
namespace {

using enum FieldKind;

// Prometheus 2.42's service discovery, field by field, and the HTTP client settings (of
// prometheus/common 0.39) that most kinds inline.

constexpr Field kTlsNotActedOnFields[] = {{"min_version", kString}, {"max_version", kString}};

}  // namespace

const Shape kTlsNotActedOn{kTlsNotActedOnFields};

namespace {

constexpr const Shape* kTlsInlined[] = {&kTlsNotActedOn};
constexpr Field kTlsFields[] = {{"ca_file", kString},
                                {"cert_file", kString},
                                {"key_file", kString},
                                {"server_name", kString},
                                {"insecure_skip_verify", kBool}};
}  // namespace

const Shape kTls{kTlsFields, kTlsInlined};

namespace {

constexpr Field kBasicAuthFields[] = {
    {"username", kString}, {"password", kString}, {"password_file", kString}};
constexpr Shape kBasicAuth{kBasicAuthFields};

constexpr Field kAuthorizationFields[] = {
    {"type", kString}, {"credentials", kString}, {"credentials_file", kString}};
constexpr Shape kAuthorization{kAuthorizationFields};

constexpr Field kOAuth2Fields[] = {
    {"client_id", kString}, {"client_secret", kString},     {"client_secret_file", kString},
    {"scopes", kStrings},   {"token_url", kString},         {"endpoint_params", kStringMap},
    {"proxy_url", kString}, {"tls_config", kMapping, &kTls}};
constexpr Shape kOAuth2{kOAuth2Fields};

// The HTTP client settings that scrape configs read but do not act on yet.
constexpr Field kHttpClientNotActedOnFields[] = {{"oauth2", kMapping, &kOAuth2},
                                                 {"proxy_url", kString},
                                                 {"proxy_connect_header", kStringListMap},
                                                 {"enable_http2", kBool}};
}  // namespace

const Shape kHttpClientNotActedOn{kHttpClientNotActedOnFields};

namespace {

constexpr const Shape* kHttpClientInlined[] = {&kHttpClientNotActedOn};
constexpr Field kHttpClientFields[] = {{"basic_auth", kMapping, &kBasicAuth},
                                       {"authorization", kMapping, &kAuthorization},
                                       {"bearer_token", kString},
                                       {"bearer_token_file", kString},
                                       {"tls_config", kMapping, &kTls},
                                       {"follow_redirects", kBool}};
}  // namespace

const Shape kHttpClient{kHttpClientFields, kHttpClientInlined};

namespace {

constexpr const Shape* kWithHttpClient[] = {&kHttpClient};

// Service discovery, one shape per kind.

constexpr Field kFilterFields[] = {{"name", kString}, {"values", kStrings}};
constexpr Shape kFilter{kFilterFields};

constexpr Field kAzureFields[] = {{"environment", kString},
                                  {"port", kInt},
                                  {"subscription_id", kString, nullptr, true},
                                  {"tenant_id", kString},
                                  {"client_id", kString},
                                  {"client_secret", kString},
                                  {"refresh_interval", kDuration},
                                  {"authentication_method", kString},
                                  {"resource_group", kString}};
constexpr Field kConsulFields[] = {{"server", kString},
                                   {"token", kString},
                                   {"datacenter", kString},
                                   {"namespace", kString},
                                   {"partition", kString},
                                   {"tag_separator", kString},
                                   {"scheme", kString},
                                   {"username", kString},
                                   {"password", kString},
                                   {"allow_stale", kBool},
                                   {"refresh_interval", kDuration},
                                   {"services", kStrings},
                                   {"tags", kStrings},
                                   {"node_meta", kStringMap}};
constexpr Field kRefreshAndPortFields[] = {{"refresh_interval", kDuration}, {"port", kInt}};
constexpr Field kDnsFields[] = {{"names", kStrings, nullptr, true},
                                {"refresh_interval", kDuration},
                                {"type", kString},
                                {"port", kInt}};
constexpr Field kDockerFields[] = {{"host", kString, nullptr, true},
                                   {"port", kInt},
                                   {"filters", kMappings, &kFilter},
                                   {"host_networking_host", kString},
                                   {"refresh_interval", kDuration}};
constexpr Field kDockerSwarmFields[] = {{"host", kString, nullptr, true},
                                        {"role", kString, nullptr, true},
                                        {"port", kInt},
                                        {"filters", kMappings, &kFilter},
                                        {"refresh_interval", kDuration}};
constexpr Field kEc2Fields[] = {
    {"endpoint", kString},           {"region", kString},  {"access_key", kString},
    {"secret_key", kString},         {"profile", kString}, {"role_arn", kString},
    {"refresh_interval", kDuration}, {"port", kInt},       {"filters", kMappings, &kFilter}};
constexpr Field kLightsailFields[] = {
    {"endpoint", kString},           {"region", kString},  {"access_key", kString},
    {"secret_key", kString},         {"profile", kString}, {"role_arn", kString},
    {"refresh_interval", kDuration}, {"port", kInt}};
constexpr Field kEurekaFields[] = {{"server", kString, nullptr, true},
                                   {"refresh_interval", kDuration}};
constexpr Field kGceFields[] = {{"project", kString, nullptr, true},
                                {"zone", kString, nullptr, true},
                                {"filter", kString},
                                {"refresh_interval", kDuration},
                                {"port", kInt},
                                {"tag_separator", kString}};
constexpr Field kHetznerFields[] = {
    {"refresh_interval", kDuration}, {"port", kInt}, {"role", kString, nullptr, true}};
constexpr Field kHttpSdFields[] = {{"refresh_interval", kDuration},
                                   {"url", kString, nullptr, true}};
constexpr Field kIonosFields[] = {
    {"datacenter_id", kString, nullptr, true}, {"refresh_interval", kDuration}, {"port", kInt}};

constexpr Field kNamespacesFields[] = {{"own_namespace", kBool}, {"names", kStrings}};
constexpr Shape kNamespaces{kNamespacesFields};
constexpr Field kSelectorFields[] = {{"role", kString}, {"label", kString}, {"field", kString}};
constexpr Shape kSelector{kSelectorFields};
constexpr Field kAttachMetadataFields[] = {{"node", kBool}};
constexpr Shape kAttachMetadata{kAttachMetadataFields};
constexpr Field kKubernetesFields[] = {{"api_server", kString},
                                       {"role", kString, nullptr, true},
                                       {"kubeconfig_file", kString},
                                       {"namespaces", kMapping, &kNamespaces},
                                       {"selectors", kMappings, &kSelector},
                                       {"attach_metadata", kMapping, &kAttachMetadata}};

constexpr Field kKumaFields[] = {{"refresh_interval", kDuration},
                                 {"fetch_timeout", kDuration},
                                 {"server", kString, nullptr, true}};
constexpr Field kLinodeFields[] = {
    {"refresh_interval", kDuration}, {"port", kInt}, {"tag_separator", kString}};
constexpr Field kMarathonFields[] = {{"servers", kStrings, nullptr, true},
                                     {"refresh_interval", kDuration},
                                     {"auth_token", kString},
                                     {"auth_token_file", kString}};
constexpr Field kZookeeperFields[] = {{"servers", kStrings, nullptr, true},
                                      {"paths", kStrings, nullptr, true},
                                      {"timeout", kDuration}};
constexpr Field kNomadFields[] = {
    {"allow_stale", kBool}, {"namespace", kString}, {"refresh_interval", kDuration},
    {"region", kString},    {"server", kString},    {"tag_separator", kString}};
constexpr Field kOpenStackFields[] = {{"identity_endpoint", kString},
                                      {"username", kString},
                                      {"userid", kString},
                                      {"password", kString},
                                      {"project_name", kString},
                                      {"project_id", kString},
                                      {"domain_name", kString},
                                      {"domain_id", kString},
                                      {"application_credential_name", kString},
                                      {"application_credential_id", kString},
                                      {"application_credential_secret", kString},
                                      {"role", kString, nullptr, true},
                                      {"region", kString, nullptr, true},
                                      {"refresh_interval", kDuration},
                                      {"port", kInt},
                                      {"all_tenants", kBool},
                                      {"tls_config", kMapping, &kTls},
                                      {"availability", kString}};
constexpr Field kOvhCloudFields[] = {{"endpoint", kString},
                                     {"application_key", kString, nullptr, true},
                                     {"application_secret", kString, nullptr, true},
                                     {"consumer_key", kString, nullptr, true},
                                     {"refresh_interval", kDuration},
                                     {"service", kString, nullptr, true}};
constexpr Field kPuppetDbFields[] = {{"refresh_interval", kDuration},
                                     {"url", kString, nullptr, true},
                                     {"query", kString, nullptr, true},
                                     {"include_parameters", kBool},
                                     {"port", kInt}};
constexpr Field kScalewayFields[] = {{"project_id", kString, nullptr, true},
                                     {"api_url", kString},
                                     {"zone", kString},
                                     {"access_key", kString, nullptr, true},
                                     {"secret_key", kString},
                                     {"secret_key_file", kString},
                                     {"name_filter", kString},
                                     {"tags_filter", kStrings},
                                     {"refresh_interval", kDuration},
                                     {"port", kInt},
                                     {"role", kString, nullptr, true}};
constexpr Field kTritonFields[] = {{"account", kString, nullptr, true},
                                   {"role", kString},
                                   {"dns_suffix", kString, nullptr, true},
                                   {"endpoint", kString, nullptr, true},
                                   {"groups", kStrings},
                                   {"port", kInt},
                                   {"refresh_interval", kDuration},
                                   {"tls_config", kMapping, &kTls},
                                   {"version", kInt}};
constexpr Field kUyuniFields[] = {{"server", kString, nullptr, true},
                                  {"username", kString, nullptr, true},
                                  {"password", kString, nullptr, true},
                                  {"entitlement", kString},
                                  {"separator", kString},
                                  {"refresh_interval", kDuration}};

constexpr Shape kAzure{kAzureFields, kWithHttpClient};
constexpr Shape kConsul{kConsulFields, kWithHttpClient};
constexpr Shape kDigitalOcean{kRefreshAndPortFields, kWithHttpClient};
constexpr Shape kDns{kDnsFields};
constexpr Shape kDocker{kDockerFields, kWithHttpClient};
constexpr Shape kDockerSwarm{kDockerSwarmFields, kWithHttpClient};
constexpr Shape kEc2{kEc2Fields, kWithHttpClient};
constexpr Shape kEureka{kEurekaFields, kWithHttpClient};
constexpr Shape kGce{kGceFields};
constexpr Shape kHetzner{kHetznerFields, kWithHttpClient};
constexpr Shape kHttpSd{kHttpSdFields, kWithHttpClient};
constexpr Shape kIonos{kIonosFields, kWithHttpClient};
constexpr Shape kKubernetes{kKubernetesFields, kWithHttpClient};
constexpr Shape kKuma{kKumaFields, kWithHttpClient};
constexpr Shape kLightsail{kLightsailFields, kWithHttpClient};
constexpr Shape kLinode{kLinodeFields, kWithHttpClient};
constexpr Shape kMarathon{kMarathonFields, kWithHttpClient};
constexpr Shape kZookeeper{kZookeeperFields};
constexpr Shape kNomad{kNomadFields, kWithHttpClient};
constexpr Shape kOpenStack{kOpenStackFields};
constexpr Shape kOvhCloud{kOvhCloudFields};
constexpr Shape kPuppetDb{kPuppetDbFields, kWithHttpClient};
constexpr Shape kScaleway{kScalewayFields, kWithHttpClient};
constexpr Shape kTriton{kTritonFields};
constexpr Shape kUyuni{kUyuniFields, kWithHttpClient};
constexpr Shape kVultr{kRefreshAndPortFields, kWithHttpClient};

constexpr Field kOtherSdConfigsFields[] = {{"azure_sd_configs", kMappings, &kAzure},
                                           {"consul_sd_configs", kMappings, &kConsul},
                                           {"digitalocean_sd_configs", kMappings, &kDigitalOcean},
                                           {"dns_sd_configs", kMappings, &kDns},
                                           {"docker_sd_configs", kMappings, &kDocker},
                                           {"dockerswarm_sd_configs", kMappings, &kDockerSwarm},
                                           {"ec2_sd_configs", kMappings, &kEc2},
                                           {"eureka_sd_configs", kMappings, &kEureka},
                                           {"gce_sd_configs", kMappings, &kGce},
                                           {"hetzner_sd_configs", kMappings, &kHetzner},
                                           {"http_sd_configs", kMappings, &kHttpSd},
                                           {"ionos_sd_configs", kMappings, &kIonos},
                                           {"kubernetes_sd_configs", kMappings, &kKubernetes},
                                           {"kuma_sd_configs", kMappings, &kKuma},
                                           {"lightsail_sd_configs", kMappings, &kLightsail},
                                           {"linode_sd_configs", kMappings, &kLinode},
                                           {"marathon_sd_configs", kMappings, &kMarathon},
                                           {"nerve_sd_configs", kMappings, &kZookeeper},
                                           {"nomad_sd_configs", kMappings, &kNomad},
                                           {"openstack_sd_configs", kMappings, &kOpenStack},
                                           {"ovhcloud_sd_configs", kMappings, &kOvhCloud},
                                           {"puppetdb_sd_configs", kMappings, &kPuppetDb},
                                           {"scaleway_sd_configs", kMappings, &kScaleway},
                                           {"serverset_sd_configs", kMappings, &kZookeeper},
                                           {"triton_sd_configs", kMappings, &kTriton},
                                           {"uyuni_sd_configs", kMappings, &kUyuni},
                                           {"vultr_sd_configs", kMappings, &kVultr}};
}  // namespace

const Shape kOtherSdConfigs{kOtherSdConfigsFields};

}  // namespace argus::config
