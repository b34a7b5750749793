#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/tsdb_stats.h"
#include "base/build_info.h"
#include "base/clock.h"
#include "base/status.h"
#include "config/config.h"
#include "events/event.h"
#include "http/server.h"
#include "model/matcher.h"
#include "promql/engine.h"
#include "scrape/metadata.h"
#include "scrape/scrape_loop.h"
#include "storage/querier.h"

namespace argus::api {

// Evaluates the query of /api/v1/query at `t_ms`, or of /api/v1/query_range from `start_ms` to
// `end_ms` by `step_ms`, within `timeout` (the request's, at most --query.timeout), gathering the
// statistics that the request's `stats` parameter asks for. Errors map onto error types as
// promql::Engine's contract says.
using InstantQueryFunc = std::function<Result<promql::QueryResult>(
    std::string_view query, int64_t t_ms, std::chrono::milliseconds timeout,
    promql::StatsLevel stats)>;
using RangeQueryFunc = std::function<Result<promql::QueryResult>(
    std::string_view query, int64_t start_ms, int64_t end_ms, int64_t step_ms,
    std::chrono::milliseconds timeout, promql::StatsLevel stats)>;

// Records the event of a POST /api/v1/events, as events::Recorder::Record does: kInvalidInput for
// an event that is not valid (a bad_data error), any other error for one that could not be stored.
using RecordEventFunc = std::function<Status(const events::Event&)>;
// The events of GET /api/v1/events: those from `start_ms` to `end_ms` that match one of
// `selectors` (every event when there are none), oldest first, as events::Store::Query.
using QueryEventsFunc = std::function<Result<std::vector<events::Event>>(
    int64_t start_ms, int64_t end_ms, const std::vector<std::vector<model::Matcher>>& selectors)>;

// The configuration in force and the text it was read from, for /api/v1/status/config and the
// external labels of /federate.
struct LoadedConfig {
  config::Config config;
  std::string yaml;  // The file as /api/v1/status/config shows it: config::ShownConfig.
};

// What /api/v1/status/runtimeinfo reports about the running server.
struct RuntimeInfo {
  int64_t start_time_ms = 0;
  std::string cwd;
  bool reload_config_success = false;
  int64_t last_config_time_ms = 0;
  int64_t corruption_count = 0;
  std::string storage_retention;  // Empty while the storage deletes nothing.
};

// How a target on this machine is reached from elsewhere, for the globalUrl of /api/v1/targets
// (Prometheus' GlobalURLOptions): the listen address and the external URL's scheme and host.
struct GlobalUrlOptions {
  std::string listen_address;  // host:port
  std::string scheme = "http";
  std::string host;  // host[:port]
};

// Everything the API reads. The functions are called on event-loop threads, concurrently, for
// as long as the routes are registered: each must be thread-safe, and what they refer to must
// outlive the router. An unset function makes the endpoints that need it answer "unavailable"
// (/federate then goes without external labels).
struct Sources {
  storage::Queryable* storage = nullptr;  // Required.
  const Clock* clock = &SystemClock::Instance();
  InstantQueryFunc instant_query;
  RangeQueryFunc range_query;
  std::chrono::milliseconds query_timeout = std::chrono::minutes(2);  // --query.timeout
  int64_t lookback_delta_ms = 5 * 60 * 1000;  // --query.lookback-delta, for /federate.
  std::function<std::vector<scrape::JobTargets>()> targets;
  std::function<std::vector<scrape::TargetMetadata>()> metadata;
  std::function<std::shared_ptr<const LoadedConfig>()> config;
  std::function<RuntimeInfo()> runtime_info;
  TsdbStatsFunc tsdb_stats;
  RecordEventFunc record_event;
  QueryEventsFunc query_events;
  std::map<std::string, std::string> flags;  // Name without dashes: value, as given or default.
  GlobalUrlOptions global_url;
  argus::BuildInfo build;  // For /api/v1/status/buildinfo.
};

// Registers Prometheus' HTTP API v1 under /api/v1/ (query, query_range, query_exemplars, series,
// labels, label/<name>/values, metadata, targets, targets/metadata, status/*, format_query,
// parse_query) and /federate on `router`, answering as Prometheus 3.x does: the same JSON
// shapes, error types, status codes and messages; and Argus' own /api/v1/events (handlers.h), in
// the same envelope. Any other path under /api/v1/ gets a 404 with the API's JSON error
// (errorType "not_found") rather than a plain-text page.
void RegisterRoutes(Sources sources, http::Router* router);

}  // namespace argus::api
