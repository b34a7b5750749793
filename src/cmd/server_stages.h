#pragma once

// The stages the server runs, each a thin Stage over its folder's own type.

#include <atomic>
#include <cstdint>
#include <memory>

#include "api/api.h"
#include "base/clock.h"
#include "base/metrics.h"
#include "base/periodic_task.h"
#include "base/worker_pool.h"
#include "cmd/server.h"
#include "cmd/stage.h"
#include "collect/manager.h"
#include "events/bus.h"
#include "events/recorder.h"
#include "events/store.h"
#include "promql/engine.h"
#include "rules/manager.h"
#include "scrape/manager.h"
#include "tsdb/db.h"

namespace argus::cmd {

// The time-series database in --storage.tsdb.path. Retention comes from flags; the configuration
// file's `storage.tsdb` sets the out-of-order window, on every load.
class StorageStage final : public Stage {
 public:
  // Opens the database (see tsdb::Db::Open). `registry` and `clock` must outlive the stage.
  static Result<std::unique_ptr<StorageStage>> Open(const ServerFlags& flags,
                                                    MetricsRegistry& registry, const Clock& clock);

  std::string_view name() const override { return "storage"; }
  Status CheckConfig(const config::Config&) const override { return Status::Ok(); }
  Status ApplyConfig(const config::Config& config) override;
  // Nothing to stop here: the stages above may still write stale markers while they are
  // destroyed, so the database closes when this stage is destroyed, after them.
  void Stop() override {}

  tsdb::Db& db() { return *db_; }

 private:
  explicit StorageStage(std::unique_ptr<tsdb::Db> db) : db_(std::move(db)) {}
  std::unique_ptr<tsdb::Db> db_;
};

// The events (deploys, restarts, OOM kills, probe failures) in `<storage.tsdb.path>/events/`,
// kept as long as the samples (--storage.tsdb.retention.time), and the bus on which the stages
// that act on events (the notifier) get each one recorded. Stages that observe events record them
// through recorder(). Exposes argus_events_total{kind} and argus_events_store_size_bytes.
class EventsStage final : public Stage {
 public:
  // Opens the store (see events::Store::Open); the data directory must be the storage stage's,
  // whose lock covers it. `registry` and `timers` must outlive the stage.
  static Result<std::unique_ptr<EventsStage>> Open(const ServerFlags& flags,
                                                   MetricsRegistry& registry, TimerSource& timers);

  std::string_view name() const override { return "events"; }
  Status CheckConfig(const config::Config&) const override { return Status::Ok(); }
  // The first call starts deleting events past retention, once a minute.
  Status ApplyConfig(const config::Config&) override;
  void Stop() override { retention_.Stop(); }

  // Thread-safe, for as long as the stage lives.
  events::Recorder& recorder() { return recorder_; }
  events::Bus& bus() { return bus_; }
  const events::Store& store() const { return *store_; }

 private:
  EventsStage(std::unique_ptr<events::Store> store, MetricsRegistry& registry, TimerSource& timers);

  std::unique_ptr<events::Store> store_;
  events::Bus bus_;
  events::Recorder recorder_;
  PeriodicTask retention_;
  bool started_ = false;
};

// The scrape pools of `scrape_configs`.
class ScrapeStage final : public Stage {
 public:
  // The arguments must outlive the stage.
  ScrapeStage(http::EventLoop& loop, TimerSource& timers, storage::Appendable& storage,
              MetricsRegistry& registry)
      : manager_(loop, timers, storage, registry) {}

  std::string_view name() const override { return "scrape"; }
  Status CheckConfig(const config::Config& config) const override {
    return scrape::ScrapeManager::CheckConfig(config);
  }
  Status ApplyConfig(const config::Config& config) override { return manager_.ApplyConfig(config); }
  void Stop() override { manager_.Stop(); }

  // For the API's targets and metadata. Thread-safe.
  const scrape::ScrapeManager& manager() const { return manager_; }

 private:
  scrape::ScrapeManager manager_;
};

// The host, container and self collectors of `collectors:`.
class CollectStage final : public Stage {
 public:
  // `timers`, `storage` and `registry` must outlive the stage; see collect::CollectManager.
  CollectStage(TimerSource& timers, storage::Appendable& storage, const MetricsRegistry& registry,
               std::string listen_address)
      : manager_(timers, storage, registry, std::move(listen_address)) {}

  std::string_view name() const override { return "collect"; }
  // Nothing to check: an unreadable /proc or cgroup tree shows as up == 0, not as an error.
  Status CheckConfig(const config::Config&) const override { return Status::Ok(); }
  Status ApplyConfig(const config::Config& config) override { return manager_.ApplyConfig(config); }
  void Stop() override { manager_.Stop(); }

  // For the API's targets and metadata. Thread-safe.
  const collect::CollectManager& manager() const { return manager_; }

 private:
  collect::CollectManager manager_;
};

// The groups of the rule files that the configuration's rule_files match, each file read once,
// or every error found in them, one per line; a pattern that matches no file is no error. The
// embedded configuration's patterns match the embedded rule files (config::EmbeddedRuleFiles).
Result<std::vector<rules::RuleGroupSpec>> LoadRuleFiles(const config::Config& config);

// The recording and alerting rules of `rule_files`, evaluated with a PromQL engine of their own
// over the storage, writing to it, and handing alerts to a NotifyFunc. Every rule file is read
// and checked by CheckConfig, so that a reload with a bad file changes nothing; ApplyConfig keeps
// the state of the groups and rules that stay (see rules::Manager::Update). Subqueries written
// without a step take the applied global.evaluation_interval, as in the API.
class RulesStage final : public Stage {
 public:
  // The references must outlive the stage; `engine` is the query engine's options (limits,
  // timeout, clock), `external_url` what templates and generator URLs show, `notify` what takes
  // the alerts.
  RulesStage(TimerSource& timers, storage::Storage& storage, MetricsRegistry& registry,
             const promql::EngineOptions& engine, std::string external_url,
             rules::NotifyFunc notify);

  std::string_view name() const override { return "rules"; }
  Status CheckConfig(const config::Config& config) const override;
  Status ApplyConfig(const config::Config& config) override;
  void Stop() override { manager_.Stop(); }

  // For the API's rules and alerts. Thread-safe.
  const rules::Manager& manager() const { return manager_; }

 private:
  // The groups of every file `config` names, or every error found in them.
  Result<rules::RulesConfig> Load(const config::Config& config) const;

  const promql::EngineOptions engine_;
  // Of the configuration applied: global.evaluation_interval, the step of subqueries written
  // without one. Atomic: the groups' threads read it as a reload sets it.
  std::atomic<int64_t> subquery_step_ms_;
  const std::string external_url_;
  rules::RuleMetrics metrics_;
  rules::Manager manager_;
};

// Prometheus' HTTP API v1 and /federate, evaluating queries with a PromQL engine whose decoding
// workers the stage owns. It reads the configuration in force through `sources.config`; of the
// configuration it applies, it takes global.evaluation_interval, the step of subqueries written
// without one.
class ApiStage final : public Stage {
 public:
  // `sources` without the query functions, which the stage makes over `sources.storage` with
  // `engine` (its `workers` and `default_subquery_step_ms` are the stage's own). What `sources`
  // refers to must outlive the stage.
  ApiStage(api::Sources sources, promql::EngineOptions engine);

  std::string_view name() const override { return "api"; }
  Status CheckConfig(const config::Config&) const override { return Status::Ok(); }
  Status ApplyConfig(const config::Config& config) override;
  void AddRoutes(http::Router& router) override;

 private:
  // An engine for one query: the options with the query's timeout and the current subquery step.
  promql::Engine EngineFor(std::chrono::milliseconds timeout) const;

  WorkerPool workers_;
  promql::EngineOptions engine_;
  std::atomic<int64_t> subquery_step_ms_;
  api::Sources sources_;
};

}  // namespace argus::cmd
