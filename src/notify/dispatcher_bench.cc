// Taking in alerts: 100,000 alerts in 5,000 groups (the ingestion benchmark, without
// HTTP), first as new alerts, then as the same alerts sent again, as a rule re-sends what still
// fires. Routing goes through a tree of a few routes with an inhibit rule, as a real one has.

#include <benchmark/benchmark.h>

#include "base/manual_timer_source.h"
#include "notify/dispatcher.h"

namespace argus::notify {
namespace {

constexpr int kAlerts = 100'000, kGroups = 5'000;

model::Matcher Equal(std::string name, std::string value) {
  return model::Matcher::Make(model::Matcher::Type::kEqual, std::move(name), std::move(value))
      .value();
}

config::NotifyConfig Config() {
  config::NotifyConfig config;
  config.route.receiver = "default";
  config.route.group_by = {"alertname", "namespace"};
  for (const char* team : {"db", "web", "infra"}) {
    config::Route child = config.route;
    child.receiver = team;
    child.matchers = {Equal("team", team)};
    config.route.routes.push_back(child);
  }
  config.inhibit_rules.push_back(config::InhibitRule{.source_matchers = {Equal("severity", "page")},
                                                     .target_matchers = {Equal("severity", "warn")},
                                                     .equal = {"namespace"}});
  return config;
}

std::vector<model::Alert> Alerts(int64_t now_ms) {
  static const char* kTeams[] = {"db", "web", "infra", "none"};
  std::vector<model::Alert> alerts;
  alerts.reserve(kAlerts);
  for (int i = 0; i < kAlerts; ++i) {
    const int group = i % kGroups;
    alerts.push_back(model::Alert{
        .labels = {{"alertname", "Alert" + std::to_string(group % 100)},
                   {"namespace", "ns" + std::to_string(group / 100)},
                   {"pod", "pod-" + std::to_string(i)},
                   {"severity", i % 10 == 0 ? "page" : "warn"},
                   {"team", kTeams[group % 4]}},
        .annotations = {{"summary", "something is wrong with pod-" + std::to_string(i)}},
        .starts_at_ms = now_ms - 60'000,
        .ends_at_ms = now_ms + 240'000});
  }
  return alerts;
}

void BM_PutAlerts(benchmark::State& state) {
  const bool again = state.range(0) != 0;
  for (auto _ : state) {
    state.PauseTiming();
    ManualClock clock;
    ManualTimerSource timers(clock);
    AlertStore alerts;
    auto silences = SilenceStore::Open(clock, "", std::chrono::hours(120)).value();
    MemoryNotificationLog log;
    auto d = Dispatcher::Make(
                 Config(),
                 DispatcherDeps{.timers = timers,
                                .alerts = alerts,
                                .silences = *silences,
                                .notification_log = log,
                                .notify = [](const GroupNotification&) { return Status::Ok(); }})
                 .value();
    std::vector<model::Alert> batch = Alerts(clock.NowMillis());
    if (again) CHECK(d->PutAlerts(batch).ok());
    state.ResumeTiming();
    CHECK(d->PutAlerts(std::move(batch)).ok());
    state.PauseTiming();
    d.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kAlerts);
}
BENCHMARK(BM_PutAlerts)->Arg(0)->Arg(1)->ArgNames({"again"})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::notify

BENCHMARK_MAIN();
