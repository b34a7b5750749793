#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "base/clock.h"
#include "base/metrics.h"
#include "notify/sender_outcome.h"

namespace argus::notify {

// The delivery queue's metrics, under Alertmanager's names where it has them:
//   alertmanager_notifications_total{integration}             messages, counted at their first
//                                                               attempt
//   alertmanager_notifications_failed_total{integration,reason} messages that failed for good
//   alertmanager_notification_requests_total{integration}      HTTP attempts, retries included
//   alertmanager_notification_requests_failed_total{integration} attempts that failed
//   alertmanager_notification_latency_seconds{integration}    time of each attempt, by the
//                                                               clock; a histogram with
//                                                               Alertmanager's buckets
//   argus_notify_queue_length                                  messages waiting to be delivered
//   argus_notify_queue_oldest_age_seconds                      age of the oldest of them, 0 if none
//
// Registers on `registry`, which must outlive this object (nullptr: counted, not exposed). The
// age is read from `clock` when the registry renders, so `clock` must outlive the registry's use.
// One instance per registry. Thread-safe.
class DeliveryMetrics {
 public:
  DeliveryMetrics(MetricsRegistry* registry, const Clock& clock);

  // A message's first attempt (or its refusal by a full queue).
  void CountNotification(std::string_view integration);
  // One HTTP request that took `seconds`.
  void CountRequest(std::string_view integration, double seconds, bool failed);
  // A message that failed for good.
  void CountFailed(std::string_view integration, FailureReason reason);
  // The queue's length and the creation time of its oldest message (nullopt when empty).
  void SetQueue(size_t length, std::optional<int64_t> oldest_created_ms);

  // For tests: the counters by their label values.
  double notifications(std::string_view integration) const;
  double notifications_failed(std::string_view integration, FailureReason reason) const;
  double requests(std::string_view integration) const;
  double requests_failed(std::string_view integration) const;
  double queue_length() const { return queue_length_.Value(); }

 private:
  std::unique_ptr<MetricsRegistry> own_registry_;  // Before the references into it.
  MetricsRegistry& registry_;
  CounterFamily& notifications_;
  CounterFamily& notifications_failed_;
  CounterFamily& requests_;
  CounterFamily& requests_failed_;
  HistogramFamily& latency_;
  Gauge& queue_length_;
  // Milliseconds since the epoch; -1 when the queue is empty. Shared with the registry's reader.
  std::shared_ptr<std::atomic<int64_t>> oldest_created_ms_;
};

}  // namespace argus::notify
