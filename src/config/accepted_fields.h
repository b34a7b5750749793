#pragma once

#include <span>
#include <string_view>

#include "config/yaml_reader.h"

namespace argus::config {

// The parts of Prometheus 2.42's configuration file that Argus accepts but does not act on yet,
// described as data: for each mapping the keys it may hold and what each holds. Such a part is
// checked as strictly as the rest (an unknown key or a value of the wrong type is an error, so a
// typo is caught) and then left alone, with a warning that says so. As Argus learns to act on a
// part, its reading moves into config.cc and its entry leaves these tables.

// What a field holds.
enum class FieldKind {
  kString,
  kBool,
  kInt,
  kFloat,
  kDuration,
  kStrings,         // A list of strings.
  kStringMap,       // A mapping of any keys to strings (HTTP headers, endpoint parameters).
  kStringListMap,   // A mapping of any keys to lists of strings (proxy_connect_header).
  kLabels,          // A mapping of label names to values, checked as labels.
  kRelabelConfigs,  // A list of relabel steps, checked as Prometheus checks them.
  kMapping,         // One mapping of `shape`.
  kMappings,        // A list of mappings of `shape`.
};

struct Shape;

struct Field {
  std::string_view key;
  FieldKind kind;
  const Shape* shape = nullptr;  // For kMapping and kMappings.
  bool required = false;
};

// The keys one mapping may hold: its own fields and those of the shapes it inlines (as Go's
// `yaml:",inline"` does with the HTTP client settings).
struct Shape {
  std::span<const Field> fields;
  std::span<const Shape* const> inlined = {};
};

// The fields of each section that Argus reads that it does not act on yet.
extern const Shape kRootNotActedOn;          // remote_write, remote_read, tracing
extern const Shape kGlobalNotActedOn;        // query_log_file
extern const Shape kStorageNotActedOn;       // exemplars
extern const Shape kScrapeConfigNotActedOn;  // oauth2, proxy settings, every *_sd_configs but
                                             // static_configs and file_sd_configs, ...
extern const Shape kAlertmanagerNotActedOn;  // Likewise, in alerting.alertmanagers.
extern const Shape kTlsNotActedOn;           // min_version, max_version

// Shapes that several sections share (discovery_fields.cc).
extern const Shape kTls;                   // tls_config
extern const Shape kHttpClient;            // Go's config.HTTPClientConfig, inlined wherever
                                           // Prometheus makes HTTP requests.
extern const Shape kHttpClientNotActedOn;  // Its fields that scrape configs do not act on yet.
extern const Shape kOtherSdConfigs;        // Every *_sd_configs that scrape configs do not act on.

// Takes each field of `shape` that the mapping of `r` holds: checks it, marks it read (so that
// r.Finish() does not call it unknown) and warns once per field, located at its key:
//   prometheus.yml:12:1: tracing: accepted, but this version of Argus does not act on it yet
// followed by `note` (" (job \"pods\")").
void AcceptNotActedOn(MapReader& r, const Shape& shape, std::string_view note = {});

}  // namespace argus::config
