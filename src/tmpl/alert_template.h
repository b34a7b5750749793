#pragma once

// The templates of an alerting rule's labels and annotations, expanded as Prometheus expands
// them (rules/alerting.go): the text gets
//
//   {{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL :=
//   .ExternalURL}}{{$value := .Value}}
//
// in front, is parsed as template "__alert_<rule name>" with Prometheus' functions
// (funcs_prometheus.h), and executed against AlertTemplateData. Each call parses the text again,
// as Prometheus does (the table of functions is made once); callers that expand one text often
// may keep a TemplateSet themselves.
//
// Thread-safe: the functions share nothing.

#include <string>
#include <string_view>

#include "base/status.h"
#include "model/labels.h"
#include "tmpl/funcs_prometheus.h"

namespace argus::tmpl {

// What `.` holds in a rule's templates.
struct AlertTemplateData {
  model::Labels labels;           // The alert's labels: the series' labels without __name__.
  model::Labels external_labels;  // global.external_labels.
  std::string external_url;       // --web.external-url.
  double value = 0;               // The sample value that made the alert.
};

// Expands `text` for the rule named `rule_name`. On failure the Status' message is exactly what
// Prometheus puts in place of the label or annotation:
//   "<error expanding template: error executing template __alert_X: template: ...>"
// Bounds of ExecLimits apply (a hostile template fails, it does not hang).
Result<std::string> ExpandAlertTemplate(std::string_view rule_name, std::string_view text,
                                        const AlertTemplateData& data,
                                        const PrometheusTemplateEnv& env);

// Parses `text` as ExpandAlertTemplate would, without executing it: the check `promtool check
// rules` makes. The error is Go's parse error, e.g.
//   template: __alert_X:1: undefined variable "$this_is_wrong"
// (kInvalidInput); rule validation prefixes it with `label "name": ` or `annotation "name": `.
Status CheckAlertTemplate(std::string_view rule_name, std::string_view text);

}  // namespace argus::tmpl
