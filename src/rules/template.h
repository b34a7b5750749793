#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "model/labels.h"

namespace argus::rules {

// The one place where rules meet the template language of their labels and annotations
// (`{{ $labels.instance }}`, `{{ $value | humanize }}`): what a template of an alert sees.
struct AlertTemplateData {
  const model::Labels& labels;           // $labels: the alert's series, without __name__.
  const model::Labels& external_labels;  // $externalLabels
  std::string_view external_url;         // $externalURL
  double value = 0;                      // $value
};

// Expands the template `text` of the alerting rule `alert_name` for one alert at time `t_ms`.
// A template that fails to expand gives "<error expanding template: ...>", as in Prometheus, so
// that the alert still goes out.
//
// Until the template engine is part of Argus, returns `text` as it is.
std::string ExpandAlertTemplate(std::string_view alert_name, std::string_view text,
                                const AlertTemplateData& data, int64_t t_ms);

// Whether `text` parses as a template of the alerting rule `alert_name` (with $labels, $value,
// $externalLabels and $externalURL defined); kInvalidInput with the parser's message otherwise.
//
// Until the template engine is part of Argus, every text passes.
Status CheckAlertTemplate(std::string_view alert_name, std::string_view text);

}  // namespace argus::rules
