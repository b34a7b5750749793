#include "rules/template.h"

#include <absl/time/time.h>

#include "tmpl/alert_template.h"

namespace argus::rules {

std::string ExpandAlertTemplate(std::string_view alert_name, std::string_view text,
                                const AlertTemplateData& data, int64_t t_ms,
                                const QueryFunc& query) {
  tmpl::AlertTemplateData template_data{.labels = data.labels,
                                        .external_labels = data.external_labels,
                                        .external_url = std::string(data.external_url),
                                        .value = data.value};
  tmpl::PrometheusTemplateEnv env;
  env.query = [&query, t_ms](std::string_view q) -> Result<std::vector<tmpl::QuerySample>> {
    ARGUS_ASSIGN_OR_RETURN(promql::Vector vector, query(q, t_ms));
    std::vector<tmpl::QuerySample> samples;
    for (promql::Sample& sample : vector) samples.push_back({std::move(sample.metric), sample.v});
    return samples;
  };
  env.eval_time = absl::FromUnixMillis(t_ms);
  env.external_url = std::string(data.external_url);
  auto expanded = tmpl::ExpandAlertTemplate(alert_name, text, template_data, env);
  return expanded.ok() ? std::move(*expanded) : expanded.status().message();
}

Status CheckAlertTemplate(std::string_view alert_name, std::string_view text) {
  return tmpl::CheckAlertTemplate(alert_name, text);
}

}  // namespace argus::rules
