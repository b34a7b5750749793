#include "cmd/server.h"

#include <absl/synchronization/mutex.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <future>
#include <thread>

#include "api/api.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/metrics.h"
#include "cmd/api_inputs.h"
#include "cmd/notify_stage.h"
#include "cmd/process_metrics.h"
#include "cmd/server_stages.h"
#include "cmd/stages.h"
#include "config/config.h"
#include "http/asio_timer_source.h"
#include "http/event_loop.h"
#include "http/server.h"
#include "ui/ui.h"

namespace argus::cmd {
namespace {

// The threads of the event loop that every network stage shares: the HTTP server, scrapes and
// collections. What runs on them is short and never blocks (HTTP handlers, queries among them, run
// on the server's own threads), so two threads keep scrapes on time without one per core.
constexpr int kEventLoopThreads = 2;

// What the main thread is asked to do, by signals and by the HTTP API.
struct Command {
  enum class Kind { kReload, kStop };
  Kind kind;
  std::promise<Status>* done = nullptr;  // Set when somebody waits for the outcome.
};

class CommandQueue {
 public:
  void Push(Command c) {
    absl::MutexLock lock(&mu_);
    if (closed_) {
      if (c.done) c.done->set_value(Status::Error("the server is shutting down"));
      return;
    }
    queue_.push_back(c);
  }
  // Answers what is still queued, and everything pushed from now on, with an error: nobody will
  // carry it out.
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    for (const Command& c : queue_) {
      if (c.done) c.done->set_value(Status::Error("the server is shutting down"));
    }
    queue_.clear();
  }
  Command Pop() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::deque<Command>* queue) { return !queue->empty(); }, &queue_));
    Command c = queue_.front();
    queue_.pop_front();
    return c;
  }

 private:
  absl::Mutex mu_;
  std::deque<Command> queue_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Turns SIGHUP into a reload and SIGTERM/SIGINT into a stop. The signals are blocked in every
// thread (see BlockSignals), so only this thread's sigwait sees them.
std::jthread StartSignalThread(CommandQueue& commands, const sigset_t& signals) {
  return std::jthread([&commands, signals] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        commands.Push({Command::Kind::kReload});
      } else {
        commands.Push({Command::Kind::kStop});
        return;
      }
    }
  });
}

sigset_t BlockSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The handlers of the operational endpoints. /-/ready answers 503 until `ready`: the first
// configuration applied, as Prometheus does.
http::Router MakeRouter(const MetricsRegistry& registry, CommandQueue& commands,
                        const std::atomic<bool>& ready) {
  http::Router router;
  auto text = [](std::string body) {
    return [body](const http::Request&, http::Response* r) { r->body = body; };
  };
  for (const char* method : {"GET", "HEAD"}) {
    router.Handle(method, "/-/healthy", text("Argus is Healthy.\n"));
    router.Handle(method, "/-/ready", [&ready](const http::Request&, http::Response* r) {
      if (ready) {
        r->body = "Argus is Ready.\n";
      } else {
        r->status = 503;
        r->body = "Service Unavailable\n";
      }
    });
    router.Handle(method, "/metrics", [&registry](const http::Request&, http::Response* r) {
      r->content_type = "text/plain; version=0.0.4; charset=utf-8";
      registry.Render(&r->body);
    });
  }
  for (const char* method : {"POST", "PUT"}) {
    router.Handle(method, "/-/reload", [&commands](const http::Request&, http::Response* r) {
      std::promise<Status> done;
      auto outcome = done.get_future();
      commands.Push({Command::Kind::kReload, &done});
      Status status = outcome.get();
      if (!status.ok()) {
        r->status = 500;
        r->body = "failed to reload config: " + status.message() + "\n";
      }
    });
  }
  return router;
}

// What /metrics says about reloads.
struct ReloadMetrics {
  explicit ReloadMetrics(MetricsRegistry& registry)
      : successful(registry.AddGauge("prometheus_config_last_reload_successful",
                                     "Whether the last configuration reload attempt was "
                                     "successful.")),
        success_time(registry.AddGauge("prometheus_config_last_reload_success_timestamp_seconds",
                                       "Timestamp of the last successful configuration reload.")) {}
  Gauge& successful;
  Gauge& success_time;
};

// What the stages are made from: what RunServer owns, which outlives them.
struct StageInputs {
  const ServerFlags& flags;
  QueryFlags query;
  const Clock& clock;
  MetricsRegistry& registry;
  const ReloadMetrics& reloads;
  const LiveConfig& live_config;
  http::EventLoop& loop;
  TimerSource& timers;
};

// The API's inputs besides the query functions, which the API stage makes.
api::Sources ApiSources(const StageInputs& in, tsdb::Db& db, EventsStage& event_stage,
                        const scrape::ScrapeManager& scraper,
                        const collect::CollectManager& collector, const rules::Manager& rules) {
  api::Sources api;
  api.storage = &db;
  api.clock = &in.clock;
  api.query_timeout = in.query.timeout;
  api.lookback_delta_ms = in.query.lookback_delta_ms;
  api.targets = [&scraper, &collector] { return AllTargets(scraper, collector); };
  api.metadata = [&scraper, &collector] { return AllMetadata(scraper, collector); };
  api.config = [&live_config = in.live_config] { return live_config.Get(); };
  api.rule_groups = [&rules] { return rules.Groups(); };
  api.runtime_info = [&reloads = in.reloads, start_ms = in.clock.NowMillis()] {
    api::RuntimeInfo info;
    info.start_time_ms = start_ms;
    std::error_code ec;
    info.cwd = std::filesystem::current_path(ec).string();
    info.reload_config_success = reloads.successful.Value() == 1;
    info.last_config_time_ms = static_cast<int64_t>(reloads.success_time.Value() * 1000);
    return info;
  };
  api.tsdb_stats = HeadStats(db.head());
  api.record_event = [&recorder = event_stage.recorder()](const events::Event& e) {
    return recorder.Record(e);
  };
  api.query_events = [&store = event_stage.store()](
                         int64_t start, int64_t end,
                         const std::vector<std::vector<model::Matcher>>& selectors) {
    return store.Query(start, end, selectors);
  };
  api.flags = in.flags.all;
  api.global_url = GlobalUrl(in.flags);
  api.build = in.flags.build;
  return api;
}

promql::EngineOptions QueryEngine(const StageInputs& in) {
  promql::EngineOptions engine;
  engine.lookback_delta_ms = in.query.lookback_delta_ms;
  engine.max_samples = in.flags.query_max_samples;
  engine.clock = &in.clock;
  return engine;
}

// The server's stages in start order: each builds on the ones above it and stops before them.
Result<std::unique_ptr<Stages>> MakeStages(const StageInputs& in) {
  auto stages = std::make_unique<Stages>();
  auto opened = StorageStage::Open(in.flags, in.registry, in.clock);
  if (!opened.ok()) return opened.status().Wrap("storage");
  tsdb::Db& db = stages->Add(std::move(*opened)).db();
  auto events = EventsStage::Open(in.flags, in.registry, in.timers);
  if (!events.ok()) return events.status().Wrap("events");
  EventsStage& event_stage = stages->Add(std::move(*events));
  auto notify =
      NotifyStage::Open(in.flags, in.clock, in.timers, in.loop, in.registry, event_stage.bus());
  if (!notify.ok()) return notify.status().Wrap("notify");
  NotifyStage& notify_stage = stages->Add(std::move(*notify));
  auto& scrape = stages->Add(std::make_unique<ScrapeStage>(in.loop, in.timers, db, in.registry));
  auto& collect = stages->Add(
      std::make_unique<CollectStage>(in.timers, db, in.registry, in.flags.listen_address));
  promql::EngineOptions rule_queries = QueryEngine(in);
  rule_queries.timeout = in.query.timeout;
  auto& rules = stages->Add(std::make_unique<RulesStage>(
      in.timers, db, in.registry, rule_queries, ExternalUrl(in.flags),
      [&notify_stage](std::vector<model::Alert> alerts) { notify_stage.Send(std::move(alerts)); }));
  stages->Add(std::make_unique<ApiStage>(
      ApiSources(in, db, event_stage, scrape.manager(), collect.manager(), rules.manager()),
      QueryEngine(in)));
  return stages;
}

// Brings configuration files to the stages, at start and on every reload, and tells how it went:
// in the log, on /metrics, and to the API, which serves the configuration in force.
class Reloader {
 public:
  // The arguments must outlive the reloader.
  Reloader(const ServerFlags& flags, Stages& stages, LiveConfig& live_config,
           const ReloadMetrics& metrics, const Clock& clock)
      : flags_(flags),
        stages_(stages),
        live_config_(live_config),
        metrics_(metrics),
        clock_(clock) {}

  // Hands `loaded` to every stage and, once all of them run it, to the API; logs what of it Argus
  // does not act on yet, at start and on every reload.
  Status Apply(std::shared_ptr<const api::LoadedConfig> loaded) {
    for (const std::string& warning : loaded->config.warnings) {
      log::Warn("Configuration accepted with a part that is not acted on", {{"warning", warning}});
    }
    Status status =
        stages_.ApplyConfig(std::shared_ptr<const config::Config>(loaded, &loaded->config));
    if (status.ok()) {
      live_config_.Set(std::move(loaded));
      metrics_.success_time.Set(static_cast<double>(clock_.NowMillis()) / 1000);
    }
    metrics_.successful.Set(status.ok() ? 1 : 0);
    return status;
  }

  // Reads the configuration file again and applies it.
  Status Reload() {
    auto loaded = LoadConfig(flags_);
    Status status = loaded.ok() ? Apply(*loaded) : loaded.status();
    if (status.ok()) {
      log::Info("Completed loading of configuration file",
                {{"filename", (*loaded)->config.source}});
      return status;
    }
    metrics_.successful.Set(0);
    if (stages_.applied()) {
      log::Error("Error reloading config; the running configuration stays",
                 {{"err", status.message()}});
    } else {
      log::Error("Error reloading config; the stages now run different configurations",
                 {{"err", status.message()}});
    }
    return status;
  }

 private:
  const ServerFlags& flags_;
  Stages& stages_;
  LiveConfig& live_config_;
  const ReloadMetrics& metrics_;
  const Clock& clock_;
};

// The first line of the log: what runs, and with which flags (each as a field of its own name).
void LogStart(const ServerFlags& flags) {
  const BuildInfo& b = flags.build;
  std::vector<log::Field> fields = {{"version", b.version},       {"revision", b.revision},
                                    {"branch", b.branch},         {"build_user", b.build_user},
                                    {"build_date", b.build_date}, {"compiler", b.toolchain},
                                    {"platform", b.platform}};
  for (const auto& [name, value] : flags.all) fields.emplace_back(name, value);
  log::Write(log::Level::kInfo, "Starting Argus", fields);
}

}  // namespace

int RunServer(const ServerFlags& flags) {
  log::Level level = log::Level::kInfo;
  log::Format format = log::Format::kLogfmt;
  log::ParseLevel(flags.log_level, &level);
  log::ParseFormat(flags.log_format, &format);
  log::Init(level, format);
  LogStart(flags);
  sigset_t signals = BlockSignals();  // Before any thread starts, so that all inherit the mask.

  auto query_flags = ParseQueryFlags(flags);
  CHECK(query_flags.ok());  // CheckServerFlags passed them.
  auto config = LoadConfig(flags);
  if (!config.ok()) {
    log::Error("Error loading config", {{"err", config.status().message()}});
    return 1;
  }
  LiveConfig live_config(*config);
  MetricsRegistry registry;
  RegisterProcessMetrics(registry);
  registry.AddInfo(
      "argus_build_info",
      "A metric with a constant '1' value labeled by version, revision, branch, and "
      "the compiler from which argus was built.",
      {"branch", "compiler", "revision", "version"},
      {flags.build.branch, flags.build.toolchain, flags.build.revision, flags.build.version});
  ReloadMetrics reloads(registry);
  CounterFamily& requests = registry.AddCounterFamily(
      "prometheus_http_requests_total", "Counter of HTTP requests.", {"code", "handler"});
  const Clock& clock = SystemClock::Instance();
  http::EventLoop loop(kEventLoopThreads);
  http::AsioTimerSource timers(loop, clock);

  auto stages =
      MakeStages({flags, *query_flags, clock, registry, reloads, live_config, loop, timers});
  if (!stages.ok()) {
    log::Error("Error starting the server", {{"err", stages.status().message()}});
    return 1;
  }
  CommandQueue commands;
  std::atomic<bool> ready = false;
  http::Router router = MakeRouter(registry, commands, ready);
  (*stages)->AddRoutes(router);
  ui::AddRoutes(ui::EmbeddedUi(), &router);
  http::ServerOptions options;
  options.listen_address = flags.listen_address;
  options.observer = [&requests](std::string_view handler, int status, double) {
    requests.WithLabels({std::to_string(status), std::string(handler)}).Inc();
  };
  loop.Start();
  auto server = http::Server::Start(loop, options, std::move(router));
  if (!server.ok()) {
    log::Error("Cannot start web server", {{"err", server.status().message()}});
    (*stages)->Stop();
    loop.Stop();
    return 1;
  }
  Reloader reloader(flags, **stages, live_config, reloads, clock);
  Status applied = reloader.Apply(*config);
  if (!applied.ok()) {
    log::Error("Error applying config", {{"err", applied.message()}});
    (*server)->Shutdown();
    (*stages)->Stop();
    loop.Stop();
    return 1;
  }
  ready = true;
  log::Info("Server is ready to receive web requests.",
            {{"address", flags.listen_address}, {"config", (*config)->config.source}});
  std::jthread signal_thread = StartSignalThread(commands, signals);

  for (;;) {
    Command command = commands.Pop();
    if (command.kind == Command::Kind::kStop) break;
    Status status = reloader.Reload();
    if (command.done) command.done->set_value(status);
  }

  log::Info("Received termination request, shutting down");
  commands.Close();
  (*server)->Shutdown();
  (*stages)->Stop();
  loop.Stop();
  log::Info("See you next time!");
  return 0;
}

}  // namespace argus::cmd
