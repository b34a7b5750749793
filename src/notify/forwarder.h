#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "base/timer.h"
#include "config/config.h"
#include "http/client.h"
#include "model/alert.h"
#include "notify/alertmanager_set.h"

namespace argus::notify {

// Forwards the rules' alerts to the external Alertmanagers of `alerting.alertmanagers`, as
// Prometheus 2.42's notifier does:
//   - Send labels each alert with the external labels it lacks, applies
//     alerting.alert_relabel_configs and queues what is kept. The queue holds at most
//     queue_capacity alerts; past that the oldest are dropped.
//   - One batch at a time, of at most max_batch_size alerts from the front of the queue, is
//     posted as a JSON array (Alertmanager's API v2 postable alerts) to every Alertmanager found,
//     each set with its own HTTP client settings, timeout and alert_relabel_configs. A batch that
//     no Alertmanager accepted (a 2xx answer) is dropped: alerts are not retried, a rule sends
//     them again at its next evaluation.
//   - Metrics with Prometheus' names: prometheus_notifications_sent_total and
//     prometheus_notifications_errors_total (per request) by alertmanager URL,
//     prometheus_notifications_dropped_total, prometheus_notifications_queue_length,
//     prometheus_notifications_queue_capacity, prometheus_notifications_alertmanagers_discovered.
// Unlike Prometheus, without any `alertmanagers` configured Send queues nothing, and counts
// nothing as dropped: the built-in Alertmanager has the alerts.
//
// Requests go out on `client`'s event loop, their timeouts kept by `timers`, on whose threads
// file service discovery runs too. `client`, `timers` and `registry` must outlive the forwarder.
// Thread-safe.
class AlertForwarder {
 public:
  struct Options {
    size_t queue_capacity = 10'000;
    size_t max_batch_size = 64;
  };

  AlertForwarder(http::Client& client, TimerSource& timers, MetricsRegistry& registry,
                 Options options);
  // Stops, and waits for the answers to a batch in flight (at most its timeout).
  ~AlertForwarder();

  // Makes `alerting` and `external_labels` those in force: discovery of the new sets has run
  // (static targets, files read) when it returns; the old sets stop. A batch in flight finishes
  // with the Alertmanagers it started with.
  void ApplyConfig(const config::AlertingConfig& alerting, const model::Labels& external_labels)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Queues `alerts` for every Alertmanager. After Stop, does nothing.
  void Send(std::span<const model::Alert> alerts) ABSL_LOCKS_EXCLUDED(mu_);

  // The URLs of the Alertmanagers found, set by set.
  std::vector<std::string> Alertmanagers() const ABSL_LOCKS_EXCLUDED(mu_);

  // Blocks until the queue is empty and no batch is in flight, or `timeout` passed (false then).
  bool WaitUntilIdle(absl::Duration timeout) const ABSL_LOCKS_EXCLUDED(mu_);

  // Stops discovery and sending; what is queued is dropped and counted. A batch in flight
  // completes on the event loop.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Batch;
  // A batch taken off the queue, with the sets in force then.
  struct Taken {
    std::vector<model::Alert> alerts;
    std::vector<std::shared_ptr<AlertmanagerSet>> sets;
  };
  // Takes the next batch off the queue, unless one is in flight (or the queue is empty, or the
  // forwarder stopped), and marks it in flight.
  std::optional<Taken> TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Posts a batch taken to every Alertmanager; one with nowhere to go is dropped at once and the
  // next one taken.
  void Dispatch(Taken taken) ABSL_LOCKS_EXCLUDED(mu_);
  void Post(std::shared_ptr<Batch> batch, const AlertmanagerSet& set,
            std::span<const model::Alert> alerts, const std::vector<std::string>& urls);
  // Counts the answer of one Alertmanager to `count` alerts; the last one of a batch takes the
  // next batch.
  void Done(const std::shared_ptr<Batch>& batch, const std::string& url, size_t count,
            const Status& status) ABSL_LOCKS_EXCLUDED(mu_);
  bool NoBatchInFlight() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Nothing in flight, and nothing queued that will be sent.
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes the per-Alertmanager counters follow the URLs discovered.
  void SyncCounters() ABSL_LOCKS_EXCLUDED(mu_);

  http::Client& client_;
  TimerSource& timers_;
  const Options options_;
  CounterFamily& sent_;
  CounterFamily& errors_;
  Counter& dropped_;

  mutable absl::Mutex mu_;
  std::vector<std::shared_ptr<AlertmanagerSet>> sets_ ABSL_GUARDED_BY(mu_);
  std::vector<model::RelabelConfig> alert_relabel_configs_ ABSL_GUARDED_BY(mu_);
  model::Labels external_labels_ ABSL_GUARDED_BY(mu_);
  std::deque<model::Alert> queue_ ABSL_GUARDED_BY(mu_);
  bool in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> counted_urls_ ABSL_GUARDED_BY(mu_);  // Those with counters.
};

}  // namespace argus::notify
