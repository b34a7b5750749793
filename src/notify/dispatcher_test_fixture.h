#pragma once

// The dispatcher's test fixture: a dispatcher on a manual clock whose notifications are
// collected, so that time moves only when a test says so.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "base/manual_timer_source.h"
#include "notify/dispatcher.h"

namespace argus::notify::testing {

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : timers_(clock_) {
    auto silences = SilenceStore::Open(clock_, "", std::chrono::hours(120));
    CHECK(silences.ok());
    silences_ = std::move(*silences);
  }

  // One receiver "team" (send_resolved as given), grouping by alertname, Alertmanager's
  // default timers.
  static config::NotifyConfig Config(bool send_resolved = true) {
    config::NotifyConfig config;
    config.route.receiver = "team";
    config.route.group_by = {"alertname"};
    config::Receiver team{.name = "team"};
    team.webhook_configs.push_back(config::WebhookConfig{.send_resolved = send_resolved});
    config.receivers.push_back(team);
    return config;
  }

  std::unique_ptr<Dispatcher> Make(const config::NotifyConfig& config) {
    auto d = Dispatcher::Make(config, DispatcherDeps{.timers = timers_,
                                                     .alerts = alerts_,
                                                     .silences = *silences_,
                                                     .notification_log = log_,
                                                     .notify = [this](const GroupNotification& n) {
                                                       if (!accept_.ok()) return accept_;
                                                       sent_.push_back(n);
                                                       return Status::Ok();
                                                     }});
    CHECK(d.ok());
    return std::move(*d);
  }

  int64_t now() const { return clock_.NowMillis(); }
  // Firing, as a rule sends it: started `ago` before now, ending a day later.
  model::Alert Firing(model::Labels labels, std::chrono::milliseconds ago = {}) {
    return model::Alert{.labels = std::move(labels),
                        .starts_at_ms = now() - ago.count(),
                        .ends_at_ms = now() + 86'400'000};
  }
  model::Alert ResolvedNow(model::Alert alert) {
    alert.ends_at_ms = now();
    return alert;
  }
  void Put(Dispatcher& d, std::vector<model::Alert> alerts) {
    ASSERT_TRUE(d.PutAlerts(std::move(alerts)).ok());
  }
  // The `instance` labels of a notification's firing and resolved alerts.
  static std::pair<std::vector<std::string>, std::vector<std::string>> Split(
      const GroupNotification& n) {
    std::pair<std::vector<std::string>, std::vector<std::string>> out;
    for (const model::Alert& a : n.alerts) {
      (ResolvedAt(a, n.now_ms) ? out.second : out.first)
          .push_back(std::string(a.labels.Get("instance")));
    }
    return out;
  }
  using Names = std::vector<std::string>;

  ManualClock clock_;
  ManualTimerSource timers_;
  AlertStore alerts_;
  std::unique_ptr<SilenceStore> silences_;
  MemoryNotificationLog log_;
  std::vector<GroupNotification> sent_;
  Status accept_;
};

}  // namespace argus::notify::testing
