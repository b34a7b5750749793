#pragma once

#include <string_view>

namespace argus::model {

// The metric types of Prometheus text 0.0.4 and OpenMetrics 1.0.
enum class MetricType {
  kUnknown,  // "untyped" in the text format.
  kCounter,
  kGauge,
  kHistogram,
  kGaugeHistogram,
  kSummary,
  kInfo,
  kStateset,
};

// The name used in the Prometheus HTTP API's metadata ("counter", "gaugehistogram", ...).
std::string_view MetricTypeName(MetricType type);

}  // namespace argus::model
