// What templates cost on the two hot paths: expanding an alerting rule's annotation (once per
// alert per evaluation) and rendering a notification's title from a parsed set.
#include <benchmark/benchmark.h>

#include "base/clock.h"
#include "tmpl/alert_template.h"
#include "tmpl/alertmanager_data.h"
#include "tmpl/funcs_alertmanager.h"
#include "tmpl/template.h"

namespace argus::tmpl {
namespace {

void BM_ExpandAlertAnnotation(benchmark::State& state) {
  AlertTemplateData data;
  data.labels = {{"alertname", "HighLatency"}, {"instance", "web-1:9090"}, {"job", "web"}};
  data.value = 0.734;
  for (auto _ : state) {
    Result<std::string> out = ExpandAlertTemplate(
        "HighLatency",
        "{{ $labels.instance }} of {{ $labels.job }}: {{ $value | humanizePercentage }}", data, {});
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ExpandAlertAnnotation);

void BM_RenderNotificationTitle(benchmark::State& state) {
  ManualClock clock;
  TemplateSet set(AlertmanagerFuncs(clock));
  Status parsed = set.Parse(
      "default",
      "{{ define \"__subject\" }}[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ "
      ".Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join \" \" }} {{ if "
      "gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove "
      ".GroupLabels.Names }}{{ .Values | join \" \" }}{{ end }}){{ end }}{{ end }}");
  if (!parsed.ok()) state.SkipWithError(parsed.message().c_str());
  std::vector<model::Alert> alerts(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < alerts.size(); ++i) {
    alerts[i].labels = {{"alertname", "Down"}, {"instance", std::to_string(i)}, {"job", "node"}};
  }
  Value data = AlertmanagerDataValue(
      MakeAlertmanagerData("slack", {{"alertname", "Down"}}, alerts, 0, "http://argus"));
  for (auto _ : state) {
    Result<std::string> out = set.Execute("__subject", data);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_RenderNotificationTitle)->Arg(2)->Arg(100);

}  // namespace
}  // namespace argus::tmpl

BENCHMARK_MAIN();
