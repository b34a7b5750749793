#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>

#include <memory>
#include <string>
#include <vector>

#include "api/alertmanager_api.h"
#include "base/build_info.h"
#include "base/clock.h"
#include "base/metrics.h"
#include "base/timer.h"
#include "cmd/server.h"
#include "cmd/stage.h"
#include "config/notify_config.h"
#include "events/bus.h"
#include "http/client.h"
#include "model/alert.h"
#include "notify/alert_store.h"
#include "notify/delivery_queue.h"
#include "notify/dispatch_dedup.h"
#include "notify/dispatcher.h"
#include "notify/forwarder.h"
#include "notify/render_template.h"
#include "notify/silence_store.h"

namespace argus::cmd {

// Argus' built-in Alertmanager, configured by `notify:`, and the forwarder to the external
// Alertmanagers of `alerting.alertmanagers`. The alerts of the rules, of clients of
// /api/v2/alerts and the events of the bus pass the dispatcher (routes, groups, inhibition,
// silences, deduplication), are rendered per receiver and queued durably for delivery. Without
// a `notify:` section every alert goes to one receiver with nothing to send to, so that the
// API still lists them. The rules' alerts are also posted to the external Alertmanagers, as
// Prometheus posts them (notify/forwarder.h); events and alerts posted to Argus are not.
//
// What survives a reload: the alerts, the silences, the queued notifications and what was told
// (a reload makes a new dispatcher over the same stores). What survives a restart: the silences
// (<data>/notify/silences), the queue and the delivery log (<data>/notify/queue).
//
// Time: everything follows `clock` and `timers`: group timers, retries and request deadlines,
// silences, the templates' `now`.
//
// On /metrics, besides the queue's (delivery_metrics.h) and the API's (AlertmanagerApiMetrics):
// alertmanager_dispatcher_aggregation_groups and alertmanager_alerts{state="active"|"suppressed"}.
class NotifyStage final : public Stage {
 public:
  // Opens the silences and the queue in the data directory. The arguments must outlive the
  // stage.
  static Result<std::unique_ptr<NotifyStage>> Open(const ServerFlags& flags, const Clock& clock,
                                                   TimerSource& timers, http::EventLoop& loop,
                                                   MetricsRegistry& registry, events::Bus& bus);
  ~NotifyStage() override;

  std::string_view name() const override { return "notify"; }
  // Loads the section's templates.
  Status CheckConfig(const config::Config& config) const override;
  // The first call starts delivering what the queue holds.
  Status ApplyConfig(const config::Config& config) override;
  // Alertmanager's API v2.
  void AddRoutes(http::Router& router) override;
  void Stop() override;

  // Takes alerts from a rule group, as Prometheus' notifier hands them to Alertmanager: to the
  // dispatcher and to the external Alertmanagers. Thread-safe; after Stop, drops them.
  void Send(std::vector<model::Alert> alerts);

  // The delivery queue, for its metrics and for tests that wait for its requests. Thread-safe.
  const notify::DeliveryQueue& queue() const { return *queue_; }

 private:
  NotifyStage(const ServerFlags& flags, const Clock& clock, TimerSource& timers,
              http::EventLoop& loop, MetricsRegistry& registry,
              std::unique_ptr<notify::SilenceStore> silences);
  std::shared_ptr<notify::Dispatcher> dispatcher() const;
  std::shared_ptr<const config::NotifyConfig> config() const;
  // Renders a group for its receiver and queues the messages.
  Status Tell(const notify::GroupNotification& notification);
  // Hands alerts to the dispatcher in force, if any.
  void Dispatch(std::vector<model::Alert> alerts);
  void OnEvent(const events::Event& event);

  const Clock& clock_;
  TimerSource& timers_;
  const std::string external_url_;
  const BuildInfo build_;
  const int64_t start_time_ms_;
  http::Client client_;
  notify::AlertForwarder forwarder_;
  notify::AlertStore alerts_;
  std::unique_ptr<notify::SilenceStore> silences_;
  notify::MemoryNotificationLog log_;
  std::unique_ptr<notify::DeliveryQueue> queue_;  // Made by Open.
  std::optional<events::Subscription> events_;
  api::AlertmanagerApiMetrics api_metrics_;

  mutable absl::Mutex mu_;
  std::shared_ptr<const config::NotifyConfig> config_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const notify::NotificationTemplates> templates_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<notify::Dispatcher> dispatcher_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace argus::cmd
