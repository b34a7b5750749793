#include "cmd/server_stages.h"

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <thread>

#include "base/log.h"
#include "discovery/file_discoverer.h"
#include "rules/rule_file.h"

namespace argus::cmd {

Result<std::unique_ptr<StorageStage>> StorageStage::Open(const ServerFlags& flags,
                                                         MetricsRegistry& registry,
                                                         const Clock& clock) {
  tsdb::DbOptions options;
  options.retention_ms = flags.retention_ms;
  options.retention_bytes = flags.retention_bytes;
  options.metrics = &registry;
  options.clock = &clock;
  auto db = tsdb::Db::Open(flags.storage_path, options);
  if (!db.ok()) return db.status();
  return std::unique_ptr<StorageStage>(new StorageStage(std::move(*db)));
}

Status StorageStage::ApplyConfig(const config::Config& config) {
  db_->SetOutOfOrderWindow(config.storage.tsdb.out_of_order_time_window.count());
  return Status::Ok();
}

namespace {

rules::GroupServices RuleServices(TimerSource& timers, storage::Storage& storage,
                                  rules::RuleMetrics& metrics,
                                  std::function<promql::Engine()> make_engine,
                                  rules::NotifyFunc notify) {
  rules::GroupServices services;
  services.timers = &timers;
  services.appendable = &storage;
  services.queryable = &storage;
  services.query = rules::EngineQueryFunc(std::move(make_engine), storage);
  services.notify = std::move(notify);
  services.metrics = &metrics;
  return services;
}

}  // namespace

RulesStage::RulesStage(TimerSource& timers, storage::Storage& storage, MetricsRegistry& registry,
                       const promql::EngineOptions& engine, std::string external_url,
                       rules::NotifyFunc notify)
    : engine_(engine),
      subquery_step_ms_(engine.default_subquery_step_ms),
      external_url_(std::move(external_url)),
      metrics_(registry),
      manager_(RuleServices(
          timers, storage, metrics_,
          [this] {
            promql::EngineOptions options = engine_;
            options.default_subquery_step_ms = subquery_step_ms_.load(std::memory_order_relaxed);
            return promql::Engine(options);
          },
          std::move(notify))) {}

Result<std::vector<rules::RuleGroupSpec>> LoadRuleFiles(const config::Config& config) {
  // As Prometheus: every file a pattern matches, once; a pattern that matches nothing is no error.
  std::vector<rules::RuleGroupSpec> groups;
  std::set<std::string> seen;
  std::string errors;
  auto add = [&](Result<std::vector<rules::RuleGroupSpec>> loaded) {
    if (!loaded.ok()) {
      errors += (errors.empty() ? "" : "\n") + loaded.status().message();
      return;
    }
    for (rules::RuleGroupSpec& group : *loaded) groups.push_back(std::move(group));
  };
  for (const std::string& pattern : config.rule_files) {
    if (config.source == config::kEmbeddedSource) {
      for (const config::EmbeddedFile& file : config::EmbeddedRuleFiles()) {
        if (fnmatch(pattern.c_str(), std::string(file.name).c_str(), FNM_PATHNAME) != 0) continue;
        if (seen.insert(std::string(file.name)).second) {
          add(rules::ParseRuleFile(file.content, file.name));
        }
      }
      continue;
    }
    for (const std::string& file : discovery::MatchingFiles(pattern)) {
      if (seen.insert(file).second) add(rules::LoadRuleFile(file));
    }
  }
  if (!errors.empty()) return Status::Error(std::move(errors), Status::Code::kInvalidInput);
  return groups;
}

Result<rules::RulesConfig> RulesStage::Load(const config::Config& config) const {
  rules::RulesConfig rules;
  rules.evaluation_interval = config.global.evaluation_interval;
  rules.context = {config.global.external_labels, external_url_};
  ARGUS_ASSIGN_OR_RETURN(rules.groups, LoadRuleFiles(config));
  return rules;
}

Status RulesStage::CheckConfig(const config::Config& config) const { return Load(config).status(); }

Status RulesStage::ApplyConfig(const config::Config& config) {
  ARGUS_ASSIGN_OR_RETURN(rules::RulesConfig rules, Load(config));
  subquery_step_ms_.store(config.global.evaluation_interval.count(), std::memory_order_relaxed);
  manager_.Update(rules);
  return Status::Ok();
}

Result<std::unique_ptr<EventsStage>> EventsStage::Open(const ServerFlags& flags,
                                                       MetricsRegistry& registry,
                                                       TimerSource& timers) {
  events::StoreOptions options;
  options.retention_ms = flags.retention_ms;
  options.clock = &timers.clock();
  auto store = events::Store::Open(std::filesystem::path(flags.storage_path) / "events", options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<EventsStage>(new EventsStage(std::move(*store), registry, timers));
}

EventsStage::EventsStage(std::unique_ptr<events::Store> store, MetricsRegistry& registry,
                         TimerSource& timers)
    : store_(std::move(store)),
      recorder_(*store_, bus_, registry),
      // Open applied retention; the first run comes a minute later.
      retention_(timers,
                 {.interval = std::chrono::minutes(1), .initial_delay = std::chrono::minutes(1)},
                 [this] {
                   if (Status s = store_->DropExpired(); !s.ok()) {
                     log::Error("Deleting events past retention failed", {{"err", s.message()}});
                   }
                 }) {
  registry.AddGaugeFunc("argus_events_store_size_bytes",
                        "Bytes of the event store's segment files.",
                        [store = store_.get()] { return static_cast<double>(store->SizeBytes()); });
}

Status EventsStage::ApplyConfig(const config::Config&) {
  if (!started_) retention_.Start();
  started_ = true;
  return Status::Ok();
}

// A worker per core decodes the series of every query ahead of its evaluation.
ApiStage::ApiStage(api::Sources sources, promql::EngineOptions engine)
    : workers_(static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
      engine_(engine),
      subquery_step_ms_(engine.default_subquery_step_ms),
      sources_(std::move(sources)) {
  engine_.workers = &workers_;
  sources_.instant_query = [this](std::string_view query, int64_t t,
                                  std::chrono::milliseconds timeout, promql::StatsLevel stats) {
    return EngineFor(timeout).InstantQuery(*sources_.storage, query, t, stats);
  };
  sources_.range_query = [this](std::string_view query, int64_t start, int64_t end, int64_t step,
                                std::chrono::milliseconds timeout, promql::StatsLevel stats) {
    return EngineFor(timeout).RangeQuery(*sources_.storage, query, start, end, step, stats);
  };
}

Status ApiStage::ApplyConfig(const config::Config& config) {
  subquery_step_ms_ = config.global.evaluation_interval.count();
  return Status::Ok();
}

void ApiStage::AddRoutes(http::Router& router) { api::RegisterRoutes(sources_, &router); }

promql::Engine ApiStage::EngineFor(std::chrono::milliseconds timeout) const {
  promql::EngineOptions options = engine_;
  options.timeout = timeout;
  options.default_subquery_step_ms = subquery_step_ms_;
  return promql::Engine(options);
}

}  // namespace argus::cmd
