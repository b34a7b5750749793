// Parses arbitrary input as a template with Prometheus' and Alertmanager's functions and, when it
// parses, executes it against a small notification: neither may crash, hang or grow without
// bound (a failed execution is fine).
#include <cstdint>
#include <string_view>

#include "base/clock.h"
#include "tmpl/alertmanager_data.h"
#include "tmpl/funcs_alertmanager.h"
#include "tmpl/funcs_prometheus.h"
#include "tmpl/template.h"

namespace {

argus::tmpl::Value Notification() {
  std::vector<argus::model::Alert> alerts(2);
  alerts[0].labels = {{"alertname", "Down"}, {"instance", "a:9100"}};
  alerts[0].annotations = {{"summary", "a is down"}};
  alerts[0].starts_at_ms = 1'700'000'000'000;
  alerts[1].labels = {{"alertname", "Down"}, {"instance", "b:9100"}};
  alerts[1].ends_at_ms = 1'700'000'000'000;
  return argus::tmpl::AlertmanagerDataValue(argus::tmpl::MakeAlertmanagerData(
      "team", {{"alertname", "Down"}}, alerts, 1'700'000'100'000, "http://argus"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const argus::ManualClock clock;
  static const argus::tmpl::Value notification = Notification();
  argus::tmpl::FuncMap funcs = argus::tmpl::AlertmanagerFuncs(clock);
  for (auto& [name, function] : argus::tmpl::PrometheusFuncs({})) funcs.emplace(name, function);
  argus::tmpl::TemplateSet set(std::move(funcs));
  set.set_limits({.max_depth = 200, .max_steps = 100'000, .max_output_bytes = 1 << 16});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (!set.Parse("fuzz", input).ok()) return 0;
  (void)set.Execute("fuzz", notification);
  return 0;
}
