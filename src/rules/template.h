#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "model/labels.h"
#include "rules/rule.h"

namespace argus::rules {

// The one place where rules meet the template language of their labels and annotations
// (`{{ $labels.instance }}`, `{{ $value | humanize }}`): what a template of an alert sees.
struct AlertTemplateData {
  const model::Labels& labels;           // $labels: the labels of the alert's sample.
  const model::Labels& external_labels;  // $externalLabels
  std::string_view external_url;         // $externalURL
  double value = 0;                      // $value
};

// Expands the template `text` of the alerting rule `alert_name` for one alert evaluated at
// `t_ms`, with Prometheus' template functions (src/tmpl); the `query` function runs through
// `query` at `t_ms`. A template that fails to expand gives "<error expanding template: ...>", as
// in Prometheus, so that the alert still goes out.
std::string ExpandAlertTemplate(std::string_view alert_name, std::string_view text,
                                const AlertTemplateData& data, int64_t t_ms,
                                const QueryFunc& query);

// Whether `text` parses as a template of the alerting rule `alert_name` (with $labels, $value,
// $externalLabels and $externalURL defined); kInvalidInput with the parser's message otherwise:
// `template: __alert_X:1: undefined variable "$label"`.
Status CheckAlertTemplate(std::string_view alert_name, std::string_view text);

}  // namespace argus::rules
