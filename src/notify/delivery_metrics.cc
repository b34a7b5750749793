#include "notify/delivery_metrics.h"

#include <iterator>
#include <string>
#include <vector>

namespace argus::notify {
namespace {

// Alertmanager's buckets for notification latency, in seconds.
constexpr double kLatencyBuckets[] = {1, 5, 10, 15, 20};

MetricsRegistry& RegistryOr(MetricsRegistry* registry, std::unique_ptr<MetricsRegistry>* own) {
  if (registry != nullptr) return *registry;
  *own = std::make_unique<MetricsRegistry>();
  return **own;
}

double ValueOf(const CounterFamily& family, const std::vector<std::string>& values) {
  double found = 0;
  family.ForEach([&](const std::vector<std::string>& labels, double v) {
    if (labels == values) found = v;
  });
  return found;
}

}  // namespace

DeliveryMetrics::DeliveryMetrics(MetricsRegistry* registry, const Clock& clock)
    : registry_(RegistryOr(registry, &own_registry_)),
      notifications_(registry_.AddCounterFamily("alertmanager_notifications_total",
                                                "The total number of attempted notifications.",
                                                {"integration"})),
      notifications_failed_(registry_.AddCounterFamily(
          "alertmanager_notifications_failed_total",
          "The total number of notifications that failed for good.", {"integration", "reason"})),
      requests_(registry_.AddCounterFamily("alertmanager_notification_requests_total",
                                           "The total number of attempted notification requests.",
                                           {"integration"})),
      requests_failed_(registry_.AddCounterFamily(
          "alertmanager_notification_requests_failed_total",
          "The total number of failed notification requests.", {"integration"})),
      latency_(registry_.AddHistogramFamily(
          "alertmanager_notification_latency_seconds", "The latency of notifications in seconds.",
          {"integration"}, {std::begin(kLatencyBuckets), std::end(kLatencyBuckets)})),
      queue_length_(registry_.AddGauge("argus_notify_queue_length",
                                       "Notifications in the delivery queue, not yet delivered.")),
      oldest_created_ms_(std::make_shared<std::atomic<int64_t>>(-1)) {
  registry_.AddGaugeFunc(
      "argus_notify_queue_oldest_age_seconds",
      "Age of the oldest notification in the delivery queue; 0 when it is empty.",
      [oldest = oldest_created_ms_, &clock] {
        int64_t created = oldest->load(std::memory_order_relaxed);
        return created < 0 ? 0.0 : std::max(0.0, (clock.NowMillis() - created) / 1000.0);
      });
}

void DeliveryMetrics::CountNotification(std::string_view integration) {
  notifications_.WithLabels({std::string(integration)}).Inc();
}

void DeliveryMetrics::CountRequest(std::string_view integration, double seconds, bool failed) {
  std::vector<std::string> labels = {std::string(integration)};
  requests_.WithLabels(labels).Inc();
  if (failed) requests_failed_.WithLabels(labels).Inc();
  latency_.WithLabels(labels).Observe(seconds);
}

void DeliveryMetrics::CountFailed(std::string_view integration, FailureReason reason) {
  notifications_failed_.WithLabels({std::string(integration), std::string(ReasonLabel(reason))})
      .Inc();
}

void DeliveryMetrics::SetQueue(size_t length, std::optional<int64_t> oldest_created_ms) {
  queue_length_.Set(static_cast<double>(length));
  oldest_created_ms_->store(oldest_created_ms.value_or(-1), std::memory_order_relaxed);
}

double DeliveryMetrics::notifications(std::string_view integration) const {
  return ValueOf(notifications_, {std::string(integration)});
}
double DeliveryMetrics::notifications_failed(std::string_view integration,
                                             FailureReason reason) const {
  return ValueOf(notifications_failed_,
                 {std::string(integration), std::string(ReasonLabel(reason))});
}
double DeliveryMetrics::requests(std::string_view integration) const {
  return ValueOf(requests_, {std::string(integration)});
}
double DeliveryMetrics::requests_failed(std::string_view integration) const {
  return ValueOf(requests_failed_, {std::string(integration)});
}

}  // namespace argus::notify
