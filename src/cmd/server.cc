#include "cmd/server.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "api/api.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/metrics.h"
#include "base/worker_pool.h"
#include "cmd/api_inputs.h"
#include "cmd/process_metrics.h"
#include "collect/manager.h"
#include "config/config.h"
#include "http/asio_timer_source.h"
#include "http/event_loop.h"
#include "http/server.h"
#include "scrape/manager.h"
#include "tsdb/db.h"

namespace argus::cmd {
namespace {

// What the main thread is asked to do, by signals and by the HTTP API.
struct Command {
  enum class Kind { kReload, kStop };
  Kind kind;
  std::promise<Status>* done = nullptr;  // Set when somebody waits for the outcome.
};

class CommandQueue {
 public:
  void Push(Command c) {
    std::lock_guard lock(mu_);
    if (closed_) {
      if (c.done) c.done->set_value(Status::Error("the server is shutting down"));
      return;
    }
    queue_.push_back(c);
    cv_.notify_one();
  }
  // Answers what is still queued, and everything pushed from now on, with an error: nobody will
  // carry it out.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (const Command& c : queue_) {
      if (c.done) c.done->set_value(Status::Error("the server is shutting down"));
    }
    queue_.clear();
  }
  Command Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !queue_.empty(); });
    Command c = queue_.front();
    queue_.pop_front();
    return c;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Command> queue_;
  bool closed_ = false;
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

// The handlers of the operational endpoints.
http::Router MakeRouter(const MetricsRegistry& registry, CommandQueue& commands) {
  http::Router router;
  auto text = [](std::string body) {
    return [body](const http::Request&, http::Response* r) { r->body = body; };
  };
  for (const char* method : {"GET", "HEAD"}) {
    router.Handle(method, "/-/healthy", text("Argus is Healthy.\n"));
    router.Handle(method, "/-/ready", text("Argus is Ready.\n"));
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

}  // namespace

int RunServer(const ServerFlags& flags) {
  if (!log::Init(flags.log_level)) return 2;
  sigset_t signals = BlockSignals();  // Before any thread starts, so that all inherit the mask.

  auto query_flags = ParseQueryFlags(flags);
  if (!query_flags.ok()) {
    spdlog::error("msg=\"Invalid flag\" err=\"{}\"", query_flags.status().message());
    return 2;
  }
  auto config = LoadConfig(flags);
  if (!config.ok()) {
    spdlog::error("msg=\"Error loading config\" err=\"{}\"", config.status().message());
    return 1;
  }
  LiveConfig live_config(*config);
  MetricsRegistry registry;
  RegisterProcessMetrics(registry);
  registry.AddInfo("argus_build_info", "A metric with a constant '1' value labeled by version.",
                   {"version"}, {ARGUS_VERSION});
  Gauge& reload_ok = registry.AddGauge("prometheus_config_last_reload_successful",
                                       "Whether the last configuration reload attempt was "
                                       "successful.");
  Gauge& reload_time = registry.AddGauge("prometheus_config_last_reload_success_timestamp_seconds",
                                         "Timestamp of the last successful configuration reload.");
  CounterFamily& requests = registry.AddCounterFamily(
      "prometheus_http_requests_total", "Counter of HTTP requests.", {"code", "handler"});

  const Clock& clock = SystemClock::Instance();
  tsdb::DbOptions db_options;
  db_options.retention_ms = flags.retention_ms;
  db_options.retention_bytes = flags.retention_bytes;
  db_options.metrics = &registry;
  db_options.clock = &clock;
  auto db = tsdb::Db::Open(flags.storage_path, db_options);
  if (!db.ok()) {
    spdlog::error("msg=\"Opening storage failed\" err=\"{}\"", db.status().message());
    return 1;
  }
  tsdb::Db& tsdb = **db;
  std::unique_ptr<storage::Storage> storage = std::move(*db);
  http::EventLoop loop(2);
  scrape::ScrapeManager scraper(loop, *storage, clock, registry);
  http::AsioTimerSource timers(loop, clock);
  collect::CollectManager collectors(timers, *storage, clock);

  CommandQueue commands;
  http::ServerOptions options;
  options.listen_address = flags.listen_address;
  options.observer = [&requests](std::string_view handler, int status, double) {
    requests.WithLabels({std::to_string(status), std::string(handler)}).Inc();
  };
  http::Router router = MakeRouter(registry, commands);
  api::Sources api;
  api.storage = storage.get();
  api.clock = &clock;
  api.query_timeout = query_flags->timeout;
  api.lookback_delta_ms = query_flags->lookback_delta_ms;
  // A worker per core decodes the series of every query ahead of its evaluation.
  WorkerPool query_workers(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  promql::EngineOptions engine;
  engine.workers = &query_workers;
  engine.lookback_delta_ms = query_flags->lookback_delta_ms;
  engine.max_samples = flags.query_max_samples;
  engine.default_subquery_step_ms = (*config)->config.global.evaluation_interval.count();
  engine.clock = &clock;
  // An engine per query is a copy of the options: the request's timeout is its own.
  api.instant_query = [&storage, engine](std::string_view query, int64_t t,
                                         std::chrono::milliseconds timeout) {
    promql::EngineOptions options = engine;
    options.timeout = timeout;
    return promql::Engine(options).InstantQuery(*storage, query, t);
  };
  api.range_query = [&storage, engine](std::string_view query, int64_t start, int64_t end,
                                       int64_t step, std::chrono::milliseconds timeout) {
    promql::EngineOptions options = engine;
    options.timeout = timeout;
    return promql::Engine(options).RangeQuery(*storage, query, start, end, step);
  };
  api.targets = [&scraper] { return scraper.Targets(); };
  api.metadata = [&scraper] { return scraper.Metadata(); };
  api.config = [&live_config] { return live_config.Get(); };
  api.runtime_info = [&reload_ok, &reload_time, start_ms = clock.NowMillis()] {
    api::RuntimeInfo info;
    info.start_time_ms = start_ms;
    std::error_code ec;
    info.cwd = std::filesystem::current_path(ec).string();
    info.reload_config_success = reload_ok.Value() == 1;
    info.last_config_time_ms = static_cast<int64_t>(reload_time.Value() * 1000);
    return info;
  };
  api.tsdb_stats = HeadStats(tsdb.head());
  api.flags = flags.all;
  api.global_url = GlobalUrl(flags);
  api::RegisterRoutes(std::move(api), &router);

  loop.Start();
  auto server = http::Server::Start(loop, options, std::move(router));
  if (!server.ok()) {
    spdlog::error("msg=\"Cannot start web server\" err=\"{}\"", server.status().message());
    loop.Stop();
    return 1;
  }
  Status applied = scraper.ApplyConfig((*config)->config);
  if (applied.ok()) applied = collectors.ApplyConfig((*config)->config);
  if (!applied.ok()) {
    spdlog::error("msg=\"Error applying config\" err=\"{}\"", applied.message());
    return 1;
  }
  reload_ok.Set(1);
  reload_time.Set(static_cast<double>(clock.NowMillis()) / 1000);
  spdlog::info("msg=\"Server is ready to receive web requests.\" address={} config={}",
               flags.listen_address, (*config)->config.source);
  std::jthread signal_thread = StartSignalThread(commands, signals);

  for (;;) {
    Command command = commands.Pop();
    if (command.kind == Command::Kind::kStop) break;
    auto reloaded = LoadConfig(flags);
    Status status = reloaded.ok() ? scraper.ApplyConfig((*reloaded)->config) : reloaded.status();
    if (status.ok()) status = collectors.ApplyConfig((*reloaded)->config);
    if (status.ok()) {
      live_config.Set(*reloaded);
      spdlog::info("msg=\"Completed loading of configuration file\" filename={}",
                   (*reloaded)->config.source);
      reload_ok.Set(1);
      reload_time.Set(static_cast<double>(clock.NowMillis()) / 1000);
    } else {
      spdlog::error("msg=\"Error reloading config; the running configuration stays\" err=\"{}\"",
                    status.message());
      reload_ok.Set(0);
    }
    if (command.done) command.done->set_value(status);
  }

  spdlog::info("msg=\"Received termination request, shutting down\"");
  commands.Close();
  (*server)->Shutdown();
  collectors.Stop();
  scraper.Stop();
  loop.Stop();
  spdlog::info("msg=\"See you next time!\"");
  return 0;
}

}  // namespace argus::cmd
