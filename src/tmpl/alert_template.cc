#include "tmpl/alert_template.h"

#include "tmpl/template.h"

namespace argus::tmpl {
namespace {

constexpr std::string_view kDefinitions =
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
    "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

// Go's name for the anonymous struct Prometheus passes, as execution errors show it.
constexpr std::string_view kDataType =
    "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; "
    "Value interface {} }";

std::string TemplateName(std::string_view rule_name) {
  return fmt::format("__alert_{}", rule_name);
}

// Prometheus' functions, those that read the environment as placeholders replaced at each
// execution; made once and shared by every expansion.
const std::shared_ptr<const FuncMap>& AlertFuncs() {
  static const std::shared_ptr<const FuncMap> funcs =
      TemplateSet::WithBuiltins(PrometheusFuncs({}));
  return funcs;
}

std::string WithDefinitions(std::string_view text) {
  std::string full(kDefinitions);
  full += text;
  return full;
}

}  // namespace

Result<std::string> ExpandAlertTemplate(std::string_view rule_name, std::string_view text,
                                        const AlertTemplateData& data,
                                        const PrometheusTemplateEnv& env) {
  std::string name = TemplateName(rule_name);
  TemplateSet set(AlertFuncs());
  Status parsed = set.Parse(name, WithDefinitions(text));
  if (!parsed.ok()) {
    return Status::Errorf(Status::Code::kInvalidInput,
                          "<error expanding template: error parsing template {}: {}>", name,
                          parsed.message());
  }
  Value dot = Value::Object(std::string(kDataType),
                            Map{{"Labels", Value::FromLabels(data.labels)},
                                {"ExternalLabels", Value::FromLabels(data.external_labels)},
                                {"ExternalURL", data.external_url},
                                {"Value", data.value}});
  Result<std::string> out = set.Execute(name, dot, PrometheusEnvFuncs(env));
  if (!out.ok()) {
    return Status::Errorf(out.status().code(),
                          "<error expanding template: error executing template {}: {}>", name,
                          out.status().message());
  }
  return out;
}

Status CheckAlertTemplate(std::string_view rule_name, std::string_view text) {
  return TemplateSet(AlertFuncs()).Check(TemplateName(rule_name), WithDefinitions(text));
}

}  // namespace argus::tmpl
