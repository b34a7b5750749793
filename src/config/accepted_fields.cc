#include "config/accepted_fields.h"

#include "config/model_readers.h"

namespace argus::config {
namespace {

using enum FieldKind;

// Prometheus 2.42's sections, field by field, but for service discovery and the HTTP client
// settings (discovery_fields.cc).

constexpr const Shape* kWithHttpClient[] = {&kHttpClient};

// remote_write: and remote_read:
constexpr Field kQueueFields[] = {{"capacity", kInt},
                                  {"max_shards", kInt},
                                  {"min_shards", kInt},
                                  {"max_samples_per_send", kInt},
                                  {"batch_send_deadline", kDuration},
                                  {"min_backoff", kDuration},
                                  {"max_backoff", kDuration},
                                  {"retry_on_http_429", kBool}};
constexpr Shape kQueue{kQueueFields};
constexpr Field kMetadataFields[] = {
    {"send", kBool}, {"send_interval", kDuration}, {"max_samples_per_send", kInt}};
constexpr Shape kMetadata{kMetadataFields};
constexpr Field kSigV4Fields[] = {{"region", kString},
                                  {"access_key", kString},
                                  {"secret_key", kString},
                                  {"profile", kString},
                                  {"role_arn", kString}};
constexpr Shape kSigV4{kSigV4Fields};
constexpr Field kRemoteWriteFields[] = {{"url", kString, nullptr, true},
                                        {"remote_timeout", kDuration},
                                        {"headers", kStringMap},
                                        {"write_relabel_configs", kRelabelConfigs},
                                        {"name", kString},
                                        {"send_exemplars", kBool},
                                        {"send_native_histograms", kBool},
                                        {"queue_config", kMapping, &kQueue},
                                        {"metadata_config", kMapping, &kMetadata},
                                        {"sigv4", kMapping, &kSigV4}};
constexpr Shape kRemoteWrite{kRemoteWriteFields, kWithHttpClient};
constexpr Field kRemoteReadFields[] = {{"url", kString, nullptr, true},
                                       {"remote_timeout", kDuration},
                                       {"headers", kStringMap},
                                       {"read_recent", kBool},
                                       {"name", kString},
                                       {"required_matchers", kLabels},
                                       {"filter_external_labels", kBool}};
constexpr Shape kRemoteRead{kRemoteReadFields, kWithHttpClient};

// tracing:
constexpr Field kTracingFields[] = {
    {"client_type", kString},        {"endpoint", kString, nullptr, true},
    {"sampling_fraction", kFloat},   {"insecure", kBool},
    {"tls_config", kMapping, &kTls}, {"headers", kStringMap},
    {"compression", kString},        {"timeout", kDuration}};
constexpr Shape kTracing{kTracingFields};

constexpr Field kRootNotActedOnFields[] = {{"remote_write", kMappings, &kRemoteWrite},
                                           {"remote_read", kMappings, &kRemoteRead},
                                           {"tracing", kMapping, &kTracing}};
constexpr Field kGlobalNotActedOnFields[] = {{"query_log_file", kString}};
constexpr Field kExemplarsFields[] = {{"max_exemplars", kInt}};
constexpr Shape kExemplars{kExemplarsFields};
constexpr Field kStorageNotActedOnFields[] = {{"exemplars", kMapping, &kExemplars}};
constexpr const Shape* kScrapeConfigNotActedOnInlined[] = {&kHttpClientNotActedOn,
                                                           &kOtherSdConfigs};

void Check(MapReader& r, const Field& field);

// Checks the mapping `node` against `shape`, including the shapes it inlines.
void CheckMapping(const YAML::Node& node, std::string path, const Shape& shape,
                  Diagnostics& diagnostics) {
  MapReader r(node, std::move(path), diagnostics);
  auto check_all = [&r](const Shape& s, auto& self) -> void {
    for (const Field& field : s.fields) Check(r, field);
    for (const Shape* inlined : s.inlined) self(*inlined, self);
  };
  check_all(shape, check_all);
  r.Finish();
}

// Checks the value of `field` in the mapping of `r`.
void Check(MapReader& r, const Field& field) {
  std::string key(field.key);
  const char* k = key.c_str();
  YAML::Node value = r.Child(k);
  if (!Present(value)) {
    if (field.required && r.node().IsMap()) {
      r.Fail(r.node(), r.path(), fmt::format("missing required field \"{}\"", key));
    }
    return;
  }
  switch (field.kind) {
    case kString: {
      std::string s;
      return r.Read(k, &s);
    }
    case kBool: {
      bool b;
      return r.Read(k, &b);
    }
    case kInt: {
      int64_t i;
      return r.Read(k, &i);
    }
    case kFloat: {
      double d;
      return r.Read(k, &d);
    }
    case kDuration: {
      model::Duration d;
      return r.Read(k, &d);
    }
    case kStrings: {
      std::vector<std::string> strings;
      return r.Read(k, &strings);
    }
    case kStringMap:
    case kStringListMap: {
      if (!value.IsMap()) return r.Fail(value, r.ChildPath(k), "expected a mapping");
      for (const auto& entry : value) {
        bool is_list = field.kind == kStringListMap;
        bool fits = is_list ? entry.second.IsSequence() : entry.second.IsScalar();
        if (!fits) {
          r.Fail(entry.second, r.ChildPath(k) + "." + entry.first.Scalar(),
                 is_list ? "expected a list of values" : "expected a single value");
        }
      }
      return;
    }
    case kLabels: {
      model::Labels labels;
      return ReadLabels(r, k, &labels);
    }
    case kRelabelConfigs: {
      std::vector<model::RelabelConfig> configs;
      return ReadRelabelConfigs(r, k, &configs);
    }
    case kMapping:
      return CheckMapping(value, r.ChildPath(k), *field.shape, r.diagnostics());
    case kMappings:
      if (!value.IsSequence()) return r.Fail(value, r.ChildPath(k), "expected a list");
      for (size_t i = 0; i < value.size(); ++i) {
        CheckMapping(value[i], r.ChildPath(k, i), *field.shape, r.diagnostics());
      }
      return;
  }
}

}  // namespace

const Shape kRootNotActedOn{kRootNotActedOnFields};
const Shape kGlobalNotActedOn{kGlobalNotActedOnFields};
const Shape kStorageNotActedOn{kStorageNotActedOnFields};
const Shape kScrapeConfigNotActedOn{{}, kScrapeConfigNotActedOnInlined};
const Shape kAlertmanagerNotActedOn{{}, kScrapeConfigNotActedOnInlined};

void AcceptNotActedOn(MapReader& r, const Shape& shape, std::string_view note) {
  auto accept_all = [&](const Shape& s, auto& self) -> void {
    for (const Field& field : s.fields) {
      std::string key(field.key);
      YAML::Node value = r.Child(key.c_str());
      if (!Present(value)) continue;
      Check(r, field);
      bool empty = (value.IsSequence() || value.IsMap()) && value.size() == 0;
      if (empty) continue;
      YAML::Node at = r.Key(key.c_str());
      r.diagnostics().Warning(
          at.IsDefined() ? at : value, r.ChildPath(key.c_str()),
          fmt::format("accepted, but this version of Argus does not act on it yet{}", note));
    }
    for (const Shape* inlined : s.inlined) self(*inlined, self);
  };
  accept_all(shape, accept_all);
}

}  // namespace argus::config
