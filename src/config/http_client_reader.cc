#include "config/http_client_reader.h"

#include <filesystem>

#include "config/accepted_fields.h"

namespace argus::config {

std::string ResolvePath(const MapReader& r, const std::string& file) {
  if (file.empty() || std::filesystem::path(file).is_absolute()) return file;
  return (std::filesystem::path(std::string(r.diagnostics().source())).parent_path() / file)
      .string();
}

namespace {

void ReadTls(MapReader& r, TlsConfig* tls) {
  YAML::Node node = r.Child("tls_config");
  if (!Present(node)) return;
  MapReader t(node, r.ChildPath("tls_config"), r.diagnostics());
  t.Read("ca_file", &tls->ca_file);
  t.Read("cert_file", &tls->cert_file);
  t.Read("key_file", &tls->key_file);
  t.Read("server_name", &tls->server_name);
  t.Read("insecure_skip_verify", &tls->insecure_skip_verify);
  AcceptNotActedOn(t, kTlsNotActedOn);
  t.Finish();
  if (tls->cert_file.empty() != tls->key_file.empty()) {
    t.Fail(node, t.path(),
           "exactly one of key or cert file specified: both are needed for a client certificate");
  }
  for (std::string* f : {&tls->ca_file, &tls->cert_file, &tls->key_file}) *f = ResolvePath(r, *f);
}

}  // namespace

void ReadHttpClient(MapReader& r, HttpClientConfig* h) {
  r.Read("follow_redirects", &h->follow_redirects);
  YAML::Node basic = r.Child("basic_auth");
  if (Present(basic)) {
    MapReader b(basic, r.ChildPath("basic_auth"), r.diagnostics());
    HttpClientConfig::BasicAuth auth;
    b.Read("username", &auth.username);
    b.Read("password", &auth.password);
    b.Read("password_file", &auth.password_file);
    b.Finish();
    if (!auth.password.empty() && !auth.password_file.empty()) {
      b.Fail(basic, b.path(),
             "at most one of basic_auth password & password_file must be configured");
    }
    auth.password_file = ResolvePath(r, auth.password_file);
    h->basic_auth = auth;
  }
  YAML::Node authorization = r.Child("authorization");
  if (Present(authorization)) {
    MapReader a(authorization, r.ChildPath("authorization"), r.diagnostics());
    HttpClientConfig::Authorization auth;
    a.Read("type", &auth.type);
    a.Read("credentials", &auth.credentials);
    a.Read("credentials_file", &auth.credentials_file);
    a.Finish();
    if (!auth.credentials.empty() && !auth.credentials_file.empty()) {
      a.Fail(authorization, a.path(),
             "at most one of authorization credentials & credentials_file must be configured");
    }
    if (auth.type == "Basic" || auth.type == "basic") {
      a.Fail(authorization, a.ChildPath("type"),
             "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    auth.credentials_file = ResolvePath(r, auth.credentials_file);
    h->authorization = auth;
  }
  std::string bearer, bearer_file;
  r.Read("bearer_token", &bearer);
  r.Read("bearer_token_file", &bearer_file);
  YAML::Node oauth2 = r.Child("oauth2");
  int auth_methods = h->basic_auth.has_value() + h->authorization.has_value() +
                     (!bearer.empty() || !bearer_file.empty()) + Present(oauth2);
  if (!bearer.empty() && !bearer_file.empty()) {
    r.Fail(r.Child("bearer_token"), r.ChildPath("bearer_token"),
           "at most one of bearer_token & bearer_token_file must be configured");
  } else if (auth_methods > 1) {
    r.Fail(r.node(), r.path(),
           "at most one of basic_auth, oauth2, bearer_token & bearer_token_file, or "
           "authorization must be configured");
  } else if (!bearer.empty() || !bearer_file.empty()) {
    h->authorization =
        HttpClientConfig::Authorization{"Bearer", bearer, ResolvePath(r, bearer_file)};
  }
  ReadTls(r, &h->tls_config);
}

}  // namespace argus::config
