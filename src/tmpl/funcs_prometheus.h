#pragma once

// Prometheus' template functions, as alerting rules' labels and annotations and console
// templates use them (Prometheus' template/template.go):
//
//   query first label value strvalue sortByLabel args     (query results, through QueryFunc)
//   humanize humanize1024 humanizeDuration humanizePercentage humanizeTimestamp
//   toTime toDuration now parseDuration
//   title toUpper toLower match reReplaceAll safeHtml urlQueryEscape
//   stripPort stripDomain graphLink tableLink externalURL pathPrefix
//
// Numbers may be given as ints, floats, durations or numeric strings ("1.5", "+Inf"), as in
// Prometheus. A query result is a list of samples; each sample has .Labels (a string map, with
// __name__) and .Value (a float).

#include <absl/time/time.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/labels.h"
#include "tmpl/value.h"

namespace argus::tmpl {

struct QuerySample {
  model::Labels labels;
  double value = 0;
};

// Runs a PromQL instant query at the time the template is evaluated.
using QueryFunc = std::function<Result<std::vector<QuerySample>>(std::string_view query)>;

// What the functions need from their surroundings. Copied into the functions.
struct PrometheusTemplateEnv {
  QueryFunc query;           // Null: `query` fails.
  absl::Time eval_time;      // What `now` returns.
  std::string external_url;  // --web.external-url, for externalURL and pathPrefix.
};

FuncMap PrometheusFuncs(const PrometheusTemplateEnv& env);
// Only the functions that read `env` (query, now, externalURL, pathPrefix): with a set made once
// from PrometheusFuncs({}), pass them to TemplateSet::Execute as overrides per evaluation.
FuncMap PrometheusEnvFuncs(const PrometheusTemplateEnv& env);

}  // namespace argus::tmpl
