#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "base/build_info.h"
#include "base/clock.h"
#include "base/metrics.h"
#include "config/notify_config.h"
#include "http/server.h"
#include "notify/dispatcher.h"

namespace argus::api {

// What Alertmanager's API v2 counts on /metrics, under its names:
//   alertmanager_alerts_received_total{status="firing"|"resolved",version="v2"}  posted alerts,
//       by their state on receipt
//   alertmanager_alerts_invalid_total{version="v2"}  posted alerts refused as invalid
// Registers on `registry`, which must outlive this object. Thread-safe.
class AlertmanagerApiMetrics {
 public:
  explicit AlertmanagerApiMetrics(MetricsRegistry& registry);

  void CountReceived(bool resolved) { (resolved ? resolved_ : firing_).Inc(); }
  void CountInvalid(size_t n) { invalid_.Inc(static_cast<double>(n)); }

 private:
  AlertmanagerApiMetrics(CounterFamily& received, CounterFamily& invalid);

  Counter& firing_;
  Counter& resolved_;
  Counter& invalid_;
};

// Everything Alertmanager's API v2 reads and changes. The functions are called on the server's
// handler threads, concurrently: each must be thread-safe, and what they refer to must outlive
// the router. `dispatcher` and `config` return the ones in force (a reload replaces them);
// nullptr makes the endpoints that need them answer 503.
struct AlertmanagerSources {
  const Clock* clock = &SystemClock::Instance();
  std::function<std::shared_ptr<notify::Dispatcher>()> dispatcher;
  std::function<std::shared_ptr<const config::NotifyConfig>()> config;
  notify::AlertStore* alerts = nullptr;      // Required.
  notify::SilenceStore* silences = nullptr;  // Required.
  argus::BuildInfo build;
  int64_t start_time_ms = 0;                  // The status' uptime: when the server started.
  AlertmanagerApiMetrics* metrics = nullptr;  // Null: not counted.
};

// Registers Alertmanager 0.25's API v2 on `router`, with its JSON shapes (api/v2/openapi.yaml),
// status codes and messages, so that amtool and Prometheus' alerting work against Argus:
//   GET  /api/v2/alerts          ?active&silenced&inhibited&filter&receiver
//   POST /api/v2/alerts          a JSON array of postable alerts
//   GET  /api/v2/alerts/groups   ?active&silenced&inhibited&filter&receiver
//   GET  /api/v2/silences        ?filter
//   POST /api/v2/silences        a postable silence; answers {"silenceID": ...}
//   GET, DELETE /api/v2/silence/{id}
//   GET  /api/v2/status, /api/v2/receivers
void RegisterAlertmanagerRoutes(AlertmanagerSources sources, http::Router* router);

// The handlers that RegisterAlertmanagerRoutes binds.
void GetAlerts(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void PostAlerts(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void GetAlertGroups(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void GetSilences(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void PostSilences(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
// The id is the path's last segment.
void GetSilence(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void DeleteSilence(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void GetStatus(const AlertmanagerSources& s, const http::Request& req, http::Response* r);
void GetReceivers(const AlertmanagerSources& s, const http::Request& req, http::Response* r);

}  // namespace argus::api
